package org.isentropic.experiments.eval;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.isentropic.base.OutputFiles;

/**
 * The tidy per-target results, {@value #FILE}: one row per scored target and cell, columns {@value #HEADER}
 * (checkpoint: the family name without its seed, e.g. {@code cos128}; seed: the seed index; stream and target:
 * indices into the test streams and their targets; correct 0/1; loss -ln p(original character) in nats). Every
 * analysis of the claims reads this file, so anyone can recompute them from it.
 */
public final class PerTarget {

    public static final String FILE = "per-target.csv.gz";
    public static final String HEADER = "checkpoint,seed,stream,target,n,method,temperature,correct,loss";

    /** A cell at one length. */
    public record Key(CellRef cell, int n) {
    }

    /**
     * One cell at one length: per seed, per stream, the hits and the loss summed over its targets.
     *
     * @param seeds seed index -> {hits per stream, loss sum per stream, targets per stream}
     */
    public record Sums(Map<Integer, double[][]> seeds) {

        /** Per seed (ascending seed index) and stream: accuracy in percentage points or mean loss in nats. */
        public double[][] means(Metric metric, java.util.List<Integer> seedOrder) {
            double[][] out = new double[seedOrder.size()][];
            for (int i = 0; i < seedOrder.size(); i++) {
                double[][] s = seeds.get(seedOrder.get(i));
                out[i] = new double[s[2].length];
                for (int t = 0; t < out[i].length; t++) {
                    out[i][t] = metric == Metric.ACCURACY ? 100 * s[0][t] / s[2][t] : s[1][t] / s[2][t];
                }
            }
            return out;
        }
    }

    private PerTarget() {
    }

    /** Writes the results' per-target rows to {@code file} (gzip, written atomically by OutputFiles). */
    public static void write(Evaluation.Result r, Path file) {
        OutputFiles.write(file, tmp -> {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(tmp),
                    1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                w.write(HEADER);
                w.write('\n');
                for (Evaluation.StreamResult s : r.results()) {
                    if (s.row().protocol() != Protocol.STREAMS) {
                        continue;
                    }
                    CellRef c = CellRef.of(s.row());
                    String prefix = c.checkpoint() + "," + s.row().checkpoint().seed() + "," + s.stream() + ",";
                    String middle = "," + s.length() + "," + c.method() + "," + c.temperature() + ",";
                    for (int t = 0; t < s.hits().length; t++) {
                        w.write(prefix);
                        w.write(Integer.toString(t));
                        w.write(middle);
                        w.write(s.hits()[t] == 1 ? '1' : '0');
                        w.write(',');
                        w.write(String.format(Locale.ROOT, "%.5f", s.losses()[t]));
                        w.write('\n');
                    }
                }
            }
        });
    }

    /** Reads {@code file} into per-(cell, n) sums. */
    public static Map<Key, Sums> read(Path file) {
        Map<Key, Map<Integer, Map<Integer, double[]>>> acc = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file),
                1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String header = in.readLine();
            if (!HEADER.equals(header)) {
                throw new IllegalArgumentException(file + ": header must be " + HEADER + ", got " + header);
            }
            String line;
            int lineNo = 1;
            Map<String, Key> keys = new java.util.HashMap<>();
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] f = line.split(",", -1);
                if (f.length != 9) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": 9 fields expected");
                }
                String keyText = f[0] + "/" + f[5] + "/" + f[6] + "@" + f[4];
                Key k = keys.computeIfAbsent(keyText, x -> new Key(new CellRef(f[0], f[5], f[6]), Integer.parseInt(f[4])));
                int seed = Integer.parseInt(f[1]);
                int stream = Integer.parseInt(f[2]);
                double[] sums = acc.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(seed, x -> new TreeMap<>())
                        .computeIfAbsent(stream, x -> new double[3]);
                sums[0] += f[7].equals("1") ? 1 : 0;
                sums[1] += Double.parseDouble(f[8]);
                sums[2]++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<Key, Sums> out = new LinkedHashMap<>();
        acc.forEach((k, bySeed) -> {
            Map<Integer, double[][]> seeds = new TreeMap<>();
            bySeed.forEach((seed, byStream) -> {
                int streams = byStream.size();
                double[][] s = new double[3][streams];
                int i = 0;
                for (Map.Entry<Integer, double[]> e : byStream.entrySet()) {
                    if (e.getKey() != i) {
                        throw new IllegalArgumentException("per-target: cell " + k + " seed " + seed
                                + " lacks stream " + i);
                    }
                    for (int j = 0; j < 3; j++) {
                        s[j][i] = e.getValue()[j];
                    }
                    i++;
                }
                seeds.put(seed, s);
            });
            out.put(k, new Sums(seeds));
        });
        return out;
    }
}
