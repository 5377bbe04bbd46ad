package org.isentropic.experiments.eval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.UserInputException;

/**
 * The finished cells of an evaluation kept on disk as it runs, so that a run cut off (a session's end, a killed
 * job) resumes where it stopped: {@code DIR/cell-store/} holds {@code run.txt} (what determines every score: family,
 * plan, streams, seed, corpus, kernel; a resumed run must match it line for line) and one file per finished cell
 * (a plan row at one n: every stream's hits, losses and entropies), each written atomically when the cell is done,
 * and the oracle's factors per (checkpoint, method, n), which take many passes over the calibration streams.
 * The report is computed from all cells at the end, whether they were scored now or loaded.
 */
public final class CellStore {

    /** The sub-directory of {@code --out} that holds the cells. */
    public static final String DIRECTORY = "cell-store";
    private static final String FINGERPRINT = "run.txt";
    private static final int FORMAT = 1;

    private final Path dir;

    private CellStore(Path dir) {
        this.dir = dir;
    }

    /**
     * The store of {@code out/cell-store} for a run described by {@code fingerprint}. A store left by a run with another
     * description is refused (naming {@code option}) before any work; a new one records the description.
     */
    public static CellStore open(Path out, String option, String fingerprint) {
        Path dir = out.resolve(DIRECTORY);
        Path file = dir.resolve(FINGERPRINT);
        try {
            if (Files.exists(file)) {
                String old = Files.readString(file, StandardCharsets.UTF_8);
                if (!old.equals(fingerprint)) {
                    throw new UserInputException(option + " " + out + " holds the cells of another run (" + file
                            + " differs from this run's settings: " + firstDifference(old, fingerprint)
                            + "); use another " + option + " or remove " + dir);
                }
            } else {
                OutputFiles.writeString(file, fingerprint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + OutputFiles.reason(e), e);
        }
        return new CellStore(dir);
    }

    /** The description a run's cells are checked against: one {@code key: value} line per setting. */
    public static String fingerprint(List<String> settings) {
        return String.join("\n", settings) + "\n";
    }

    /** The cells finished so far (no file: empty). */
    public int finished() {
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".cell.gz")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The stored results of a cell, in stream order, or empty when the cell has not finished. */
    public Optional<List<Evaluation.StreamResult>> load(Plan.Row row, int n) {
        Path f = file(row, n);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(
                Files.newInputStream(f))))) {
            if (in.readInt() != FORMAT) {
                throw new IllegalStateException(f + ": unknown cell format");
            }
            int streams = in.readInt();
            List<Evaluation.StreamResult> out = new ArrayList<>(streams);
            for (int s = 0; s < streams; s++) {
                int stream = in.readInt();
                int targets = in.readInt();
                byte[] hits = new byte[targets];
                in.readFully(hits);
                float[] losses = new float[targets];
                for (int t = 0; t < targets; t++) {
                    losses[t] = in.readFloat();
                }
                double[] entropy = new double[in.readInt()];
                for (int l = 0; l < entropy.length; l++) {
                    entropy[l] = in.readDouble();
                }
                out.add(new Evaluation.StreamResult(row, n, stream, hits, losses, entropy));
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the finished cell " + f + ": " + OutputFiles.reason(e), e);
        }
    }

    /** Stores a finished cell (temporary file, then rename). */
    public void save(Plan.Row row, int n, List<Evaluation.StreamResult> results) {
        OutputFiles.write(file(row, n), tmp -> {
            try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(
                    Files.newOutputStream(tmp))))) {
                o.writeInt(FORMAT);
                o.writeInt(results.size());
                for (Evaluation.StreamResult r : results) {
                    o.writeInt(r.stream());
                    o.writeInt(r.hits().length);
                    o.write(r.hits());
                    for (float l : r.losses()) {
                        o.writeFloat(l);
                    }
                    o.writeInt(r.entropy().length);
                    for (double h : r.entropy()) {
                        o.writeDouble(h);
                    }
                }
            }
        });
    }

    /** The oracle's per-layer factors for a (checkpoint, method, n) found earlier, or empty. */
    public Optional<double[]> loadOracle(Evaluation.OracleKey key) {
        Path f = oracleFile(key);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.util.Arrays.stream(Files.readString(f, StandardCharsets.UTF_8).trim().split(","))
                    .mapToDouble(Double::parseDouble).toArray());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the stored oracle factors " + f + ": " + e.getMessage(), e);
        }
    }

    /** Stores the oracle's factors (shortest decimal that reads back to the same double). */
    public void saveOracle(Evaluation.OracleKey key, double[] factors) {
        StringBuilder b = new StringBuilder();
        for (double x : factors) {
            b.append(b.length() == 0 ? "" : ",").append(x);
        }
        OutputFiles.writeString(oracleFile(key), b.append('\n').toString());
    }

    private Path oracleFile(Evaluation.OracleKey key) {
        return dir.resolve("oracle_" + key.checkpoint() + "_" + key.method().id() + "_n" + key.length() + ".txt");
    }

    /** One file per cell: {@code checkpoint_protocol_method_temperature_nN.cell.gz}. */
    Path file(Plan.Row row, int n) {
        return dir.resolve(row.checkpoint().name() + "_" + row.protocol().label() + "_" + row.method().id() + "_"
                + row.temperatureId() + "_n" + n + ".cell.gz");
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String u = i < x.length ? x[i] : "(nothing)";
            String v = i < y.length ? y[i] : "(nothing)";
            if (!u.equals(v)) {
                return "'" + u + "' there, '" + v + "' here";
            }
        }
        return "same lines";
    }
}
