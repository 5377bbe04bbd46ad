package org.isentropic.experiments.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.isentropic.base.OutputFiles;
import org.isentropic.experiments.stats.TwoLevelBootstrap;

/**
 * The retrieval probe's numbers (issue 24), computed from {@value RetrievalProbe#FILE} as written (so that anyone
 * recomputes them from that file): per cell, distance D and window n, and per seed and stream, the <em>above-floor
 * value</em>: the copy run's mean over the stream's scored characters minus the control run's mean over the same
 * characters (accuracy in percentage points, loss in nats). The registered retrieval claims
 * ({@link RegisteredClaims#retrieval()}) are decided on these values by {@link ClaimAnalysis}, the evaluation's own
 * machinery: the above-floor values are handed over in its input shape ({@link PerTarget.Sums}, one per cell at D,
 * from the window {@link RetrievalProbe#windowFor}), so the two-level bootstrap (design {@link ClaimAnalysis#DESIGN}),
 * the Holm adjustment (across the retrieval family only) and the verdict sentences are the evaluation's. Every
 * (cell, D, n) also gets a two-level 95 % interval of its above-floor accuracy, for the report and the figure.
 *
 * <p>Means: every figure of a cell is the mean over seeds and streams of per-stream means (a stream weighs the same
 * whatever its number of characters, as in the bootstrap), so the table's accuracy minus its floor is exactly the
 * above-floor estimate.
 */
public final class RetrievalAnalysis {

    /** The claims' results, next to {@value RetrievalProbe#FILE}. */
    public static final String CLAIMS = "retrieval-claims-results.csv";
    public static final String REPORT = "retrieval.md";

    /** Sums per stream: copy run's hits, loss, source mass and characters, then the control run's hits, loss, characters. */
    private static final int COPY_HITS = 0;
    private static final int COPY_LOSS = 1;
    private static final int COPY_MASS = 2;
    private static final int COPY_COUNT = 3;
    private static final int CONTROL_HITS = 4;
    private static final int CONTROL_LOSS = 5;
    private static final int CONTROL_COUNT = 6;
    private static final int SUMS = 7;

    /** A cell at one distance, in a window of n characters. */
    public record Key(CellRef cell, int distance, int n) {
    }

    /**
     * One (cell, D, n) of the probe.
     *
     * @param seeds seed index (ascending) -> stream index (ascending, 0 ... T - 1) -> the stream's sums
     */
    public record Cell(Key key, Map<Integer, TreeMap<Integer, double[]>> seeds) {

        /** The above-floor values in the evaluation's shape: per seed, per stream, copy minus control sums. */
        PerTarget.Sums aboveFloor() {
            Map<Integer, double[][]> out = new TreeMap<>();
            seeds.forEach((seed, streams) -> {
                double[][] s = new double[3][streams.size()];
                int i = 0;
                for (Map.Entry<Integer, double[]> e : streams.entrySet()) {
                    double[] v = e.getValue();
                    if (e.getKey() != i || v[COPY_COUNT] != v[CONTROL_COUNT] || v[COPY_COUNT] == 0) {
                        throw new IllegalArgumentException(RetrievalProbe.FILE + ": " + key + " seed " + seed
                                + (e.getKey() != i ? " lacks stream " + i : " stream " + i + " has " + (long) v[COPY_COUNT]
                                        + " characters in the copy run and " + (long) v[CONTROL_COUNT]
                                        + " in the control (the same characters are scored in both)"));
                    }
                    s[0][i] = v[COPY_HITS] - v[CONTROL_HITS];
                    s[1][i] = v[COPY_LOSS] - v[CONTROL_LOSS];
                    s[2][i] = v[COPY_COUNT];
                    i++;
                }
                out.put(seed, s);
            });
            return new PerTarget.Sums(out);
        }

        /** The mean over seeds and streams of the per-stream mean of sum {@code what} (divided by its count). */
        double mean(int what, double scale) {
            double total = 0;
            for (TreeMap<Integer, double[]> streams : seeds.values()) {
                double seedTotal = 0;
                for (double[] v : streams.values()) {
                    seedTotal += scale * v[what] / v[what >= CONTROL_HITS ? CONTROL_COUNT : COPY_COUNT];
                }
                total += seedTotal / streams.size();
            }
            return total / seeds.size();
        }

        long characters() {
            long n = 0;
            for (TreeMap<Integer, double[]> streams : seeds.values()) {
                for (double[] v : streams.values()) {
                    n += (long) v[COPY_COUNT];
                }
            }
            return n;
        }
    }

    /**
     * One row of the report's table.
     *
     * @param accuracy copy run, %
     * @param floor control run, %
     * @param above accuracy - floor (points), with its 95 % two-level interval [aboveLo, aboveHi] (NaN with a single
     *     seed and stream)
     * @param loss copy run, nats
     * @param floorLoss control run, nats
     * @param sourceMass the last layer's mean attention weight on the source (copy run)
     * @param characters scored in the copy run (as many in the control)
     */
    public record CellRow(CellRef cell, int distance, int n, List<Integer> seeds, int streams, long characters,
            double accuracy, double floor, double above, double aboveLo, double aboveHi, double loss, double floorLoss,
            double sourceMass) {

        /** True when this row is the one the claims and the figure read for its D ({@link RetrievalProbe#windowFor}). */
        public boolean registeredWindow() {
            return n == RetrievalProbe.windowFor(distance);
        }
    }

    /** The cells' rows and the claims' results. */
    public record Analysis(List<CellRow> cells, List<ClaimAnalysis.Result> claims) {
    }

    private RetrievalAnalysis() {
    }

    /** The probe's hits as per-(cell, D, n) sums (the same numbers {@link #read} finds in the file they were written to). */
    static Map<Key, Cell> collect(List<RetrievalProbe.Hit> hits) {
        Map<Key, Cell> out = new LinkedHashMap<>();
        for (RetrievalProbe.Hit h : hits) {
            add(out, CellRef.of(h.row()), h.row().checkpoint().seed(), h.stream(), h.distance(), h.n(), h.control(),
                    h.correct(), h.loss(), h.sourceMass());
        }
        return out;
    }

    /** Reads {@value RetrievalProbe#FILE} ({@link RetrievalProbe#HEADER}) into per-(cell, D, n) sums. */
    public static Map<Key, Cell> read(Path file) {
        Map<Key, Cell> out = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file),
                1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String header = in.readLine();
            if (!RetrievalProbe.HEADER.equals(header)) {
                throw new IllegalArgumentException(file + ": header must be " + RetrievalProbe.HEADER + ", got " + header);
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] f = line.split(",", -1);
                try {
                    if (f.length != 11) {
                        throw new IllegalArgumentException("11 fields expected, got " + f.length);
                    }
                    add(out, new CellRef(f[0], f[5], f[6]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]), Integer.parseInt(f[4]), bit(f[7]), bit(f[8]),
                            Double.parseDouble(f[9]), Double.parseDouble(f[10]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean bit(String s) {
        return switch (s) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException("control and correct are 0 or 1, got '" + s + "'");
        };
    }

    private static void add(Map<Key, Cell> out, CellRef cell, int seed, int stream, int distance, int n,
            boolean control, boolean correct, double loss, double sourceMass) {
        Cell c = out.computeIfAbsent(new Key(cell, distance, n), k -> new Cell(k, new TreeMap<>()));
        double[] v = c.seeds().computeIfAbsent(seed, k -> new TreeMap<>()).computeIfAbsent(stream, k -> new double[SUMS]);
        if (control) {
            v[CONTROL_HITS] += correct ? 1 : 0;
            v[CONTROL_LOSS] += loss;
            v[CONTROL_COUNT]++;
        } else {
            v[COPY_HITS] += correct ? 1 : 0;
            v[COPY_LOSS] += loss;
            v[COPY_MASS] += sourceMass;
            v[COPY_COUNT]++;
        }
    }

    /**
     * The claims' input: per cell at distance D (as {@link PerTarget.Key}'s n), its above-floor values in the window
     * D is read from ({@link RetrievalProbe#windowFor}).
     */
    static Map<PerTarget.Key, PerTarget.Sums> claimData(Map<Key, Cell> data) {
        Map<PerTarget.Key, PerTarget.Sums> out = new LinkedHashMap<>();
        data.forEach((k, c) -> {
            if (k.n() == RetrievalProbe.windowFor(k.distance())) {
                out.put(new PerTarget.Key(k.cell(), k.distance()), c.aboveFloor());
            }
        });
        return out;
    }

    /** Decides the retrieval claims (their own Holm family); a claim whose cells were not run is "not run". */
    public static List<ClaimAnalysis.Result> decide(List<RegisteredClaims.Claim> claims, Map<Key, Cell> data,
            int resamples, long seed) {
        if (claims.stream().anyMatch(c -> c.kind() != RegisteredClaims.Kind.RETRIEVAL)) {
            throw new IllegalArgumentException("the retrieval analysis decides retrieval claims only");
        }
        return ClaimAnalysis.run(claims, claimData(data), resamples, seed);
    }

    /** Every (cell, D, n): accuracy, floor, above the floor with its 95 % two-level interval, loss, source mass. */
    public static List<CellRow> cellRows(Map<Key, Cell> data, int resamples, long seed) {
        List<CellRef> order = data.keySet().stream().map(Key::cell).distinct().toList();
        List<Key> keys = new ArrayList<>(data.keySet());
        keys.sort(Comparator.comparingInt((Key k) -> order.indexOf(k.cell())).thenComparingInt(Key::distance)
                .thenComparingInt(Key::n));
        List<CellRow> out = new ArrayList<>();
        for (Key k : keys) {
            Cell c = data.get(k);
            List<Integer> seeds = List.copyOf(c.seeds().keySet());
            double[][] above = c.aboveFloor().means(Metric.ACCURACY, seeds);
            double lo = Double.NaN;
            double hi = Double.NaN;
            double estimate = c.mean(COPY_HITS, 100) - c.mean(CONTROL_HITS, 100);
            if (above.length * above[0].length >= 2) {
                TwoLevelBootstrap.Interval ci = TwoLevelBootstrap.single(above, ClaimAnalysis.DESIGN, resamples, seed)
                        .interval(1 - ClaimAnalysis.ALPHA);
                estimate = ci.estimate();
                lo = ci.lo();
                hi = ci.hi();
            }
            out.add(new CellRow(k.cell(), k.distance(), k.n(), seeds, above[0].length, c.characters(),
                    c.mean(COPY_HITS, 100), c.mean(CONTROL_HITS, 100), estimate, lo, hi, c.mean(COPY_LOSS, 1),
                    c.mean(CONTROL_LOSS, 1), c.mean(COPY_MASS, 1)));
        }
        return out;
    }

    /**
     * Reads {@code dir}/{@value RetrievalProbe#FILE}, decides {@code claims} and writes {@value #CLAIMS} beside it
     * (id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict; copy-accuracy in points, copy-loss in nats).
     */
    public static Analysis write(Path dir, List<RegisteredClaims.Claim> claims, long seed) {
        Map<Key, Cell> data = read(dir.resolve(RetrievalProbe.FILE));
        List<ClaimAnalysis.Result> results = decide(claims, data, ClaimsReport.RESAMPLES, seed);
        OutputFiles.writeString(dir.resolve(CLAIMS), ClaimAnalysis.csv(results));
        return new Analysis(cellRows(data, ClaimsReport.RESAMPLES, seed), results);
    }

    /**
     * The report: how the probe measures, which checkpoints ran, the claims' generated sentences and every
     * (cell, D, n).
     *
     * @param checkpoints {@link RetrievalProbe#checkpointsLine}
     * @param figure the figure's PNG file name beside the report, or null
     */
    public static String markdown(Analysis a, String command, String checkpoints, long seed, String figure) {
        StringBuilder b = new StringBuilder("# Long-range retrieval probe\n\n");
        b.append("Generated by `").append(command).append("` (seed ").append(seed).append(") from `")
                .append(RetrievalProbe.FILE).append("` in this folder; the claims' results are in `").append(CLAIMS)
                .append("`.\n\n");
        b.append(checkpoints).append("\n\n");
        b.append("- Task: random strings of 8-16 letters planted twice, the second copy D characters after the first;"
                + " every other letter of the second copy is masked and scored. The control replaces the first copy by"
                + " a different random string: its accuracy on the same characters is the floor.\n");
        b.append("- Above the floor: per seed and stream, the copy run's mean over the stream's scored characters minus"
                + " the control run's (accuracy in points, loss in nats); every number below is a mean over seeds and"
                + " streams of per-stream means.\n");
        b.append("- Windows: D <= ").append(RetrievalProbe.MAX_SHORT).append(" is planted alone in a window of N = ")
                .append(RetrievalProbe.windowFor(RetrievalProbe.MAX_SHORT)).append(" and, with every other D, in one"
                        + " window of ").append(RetrievalProbe.WINDOW).append(". The claims and the figure read D <= ")
                .append(RetrievalProbe.MAX_SHORT).append(" from the window of N and larger D from the full window.\n");
        b.append("- Intervals: two-level bootstrap over seeds and streams (crossed, `TwoLevelBootstrap`), ")
                .append(ClaimsReport.RESAMPLES).append(" resamples; Holm-adjusted across the ")
                .append(a.claims().stream().filter(ClaimAnalysis.Result::run).count())
                .append(" retrieval comparisons that ran (the evaluation's claims are a separate family); the verdict"
                        + " uses the adjusted interval (`ClaimAnalysis`, `Verdict`).\n");
        b.append("- Claims: pre-registered in `experiments/claims.csv` (metrics copy-accuracy and copy-loss; n is D).\n\n");
        b.append("## Claims (generated sentences)\n\n");
        for (ClaimAnalysis.Result c : a.claims()) {
            b.append("- ").append(c.sentence());
            if (c.run()) {
                b.append(" Seeds ").append(c.seeds()).append(", ").append(c.streams()).append(" streams.");
            }
            b.append('\n');
        }
        if (figure != null) {
            b.append("\n![accuracy above the floor against D](").append(figure).append(")\n");
        }
        b.append("\n## Cells\n\n| cell | D | n | seeds | streams | characters | accuracy % | floor % |"
                + " above the floor [95 %] | loss (nats) | floor loss | source mass |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellRow r : a.cells()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %.1f | %.1f | %+.1f %s | %.3f | %.3f"
                    + " | %.3f |%n", r.cell(), r.distance(), r.n(), seedList(r.seeds()), r.streams(), r.characters(),
                    r.accuracy(), r.floor(), r.above(), Double.isNaN(r.aboveLo()) ? "(one seed, one stream)"
                            : String.format(Locale.ROOT, "[%.1f, %.1f]", r.aboveLo(), r.aboveHi()), r.loss(),
                    r.floorLoss(), r.sourceMass()));
        }
        return b.toString();
    }

    private static String seedList(List<Integer> seeds) {
        return seeds.toString().replace(", ", " ").replace("[", "").replace("]", "");
    }
}
