package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.isentropic.base.OutputFiles;
import org.isentropic.experiments.stats.TwoLevelBootstrap;

/**
 * The report of a family with registered claims (v3): {@value PerTarget#FILE} first, then everything else computed
 * from that file as written (so that the committed numbers are exactly what anyone recomputes from it):
 * {@value #CLAIMS} (id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict), {@value #CELLS} (every cell at every n with
 * accuracy and loss and their two-level intervals), {@code calibration.csv}, {@code window-probe.csv} and
 * {@code extrapolation.md}, whose claims section is the sentences of {@link ClaimAnalysis}.
 */
public final class ClaimsReport {

    public static final String CLAIMS = "claims-results.csv";
    public static final String CELLS = "cells.csv";
    /** Bootstrap resamples of every interval (enough draws beyond the strictest Holm quantile). */
    public static final int RESAMPLES = TwoLevelBootstrap.DEFAULT_RESAMPLES;

    private ClaimsReport() {
    }

    /**
     * Writes the report into {@code out}.
     *
     * @param claims the registered claims as they apply to this run (under --quick: at the plan's longest n)
     */
    public static List<ClaimAnalysis.Result> write(Evaluation.Result r, List<WindowProbe.Row> probe,
            ExperimentRunner.Setup s, List<RegisteredClaims.Claim> claims, long seed, String kernelName, Path out) {
        try {
            Files.createDirectories(out);
            Path perTarget = out.resolve(PerTarget.FILE);
            PerTarget.write(r, perTarget);
            Map<PerTarget.Key, PerTarget.Sums> data = PerTarget.read(perTarget);
            List<ClaimAnalysis.Result> results = ClaimAnalysis.run(claims, data, RESAMPLES, seed);
            put(out.resolve(CLAIMS), ClaimAnalysis.csv(results));
            List<String[]> cells = cellRows(data, seed);
            put(out.resolve(CELLS), csv(cells));
            put(out.resolve("calibration.csv"), ExtrapolationReport.calibrationTable(r));
            put(out.resolve("window-probe.csv"), ExtrapolationReport.probeTable(probe));
            put(out.resolve("extrapolation.md"), markdown(r, s, results, cells, kernelName, seed));
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out + ": " + e.getMessage(), e);
        }
    }

    /** One row of {@value #CELLS}: a cell at one n, accuracy (%) and loss (nats) with their 95 % intervals. */
    public record CellRow(CellRef cell, int n, String seeds, int streams, long targets, double accuracy,
            double accuracyLo, double accuracyHi, double loss, double lossLo, double lossHi) {
    }

    /** Reads a {@value #CELLS} file (the figures plot it). */
    public static List<CellRow> readCells(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(String.join(",", CELL_HEADER))) {
            throw new IllegalArgumentException(file + ": header must be " + String.join(",", CELL_HEADER));
        }
        List<CellRow> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != CELL_HEADER.length) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + CELL_HEADER.length
                        + " fields expected");
            }
            out.add(new CellRow(new CellRef(f[0], f[1], f[2]), Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5]),
                    Long.parseLong(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12])));
        }
        return out;
    }

    static final String[] CELL_HEADER = {"checkpoint", "method", "temperature", "n", "seeds", "streams", "targets",
        "accuracy", "accuracy_lo", "accuracy_hi", "loss", "loss_lo", "loss_hi"};

    /** Every cell at every n: accuracy (%) and loss (nats) with their two-level 95 % intervals. */
    static List<String[]> cellRows(Map<PerTarget.Key, PerTarget.Sums> data, long seed) {
        Map<String, PerTarget.Key> sorted = new TreeMap<>();
        data.keySet().forEach(k -> sorted.put(k.cell() + String.format(Locale.ROOT, "@%05d", k.n()), k));
        List<String[]> rows = new ArrayList<>();
        for (PerTarget.Key k : sorted.values()) {
            PerTarget.Sums sums = data.get(k);
            List<Integer> seeds = List.copyOf(new TreeSet<>(sums.seeds().keySet()));
            double[][] acc = sums.means(Metric.ACCURACY, seeds);
            double[][] loss = sums.means(Metric.LOSS, seeds);
            TwoLevelBootstrap a = TwoLevelBootstrap.single(acc, ClaimAnalysis.DESIGN, RESAMPLES, seed);
            TwoLevelBootstrap l = TwoLevelBootstrap.single(loss, ClaimAnalysis.DESIGN, RESAMPLES, seed);
            TwoLevelBootstrap.Interval ai = a.interval(0.95);
            TwoLevelBootstrap.Interval li = l.interval(0.95);
            long targets = 0;
            for (double[][] s : sums.seeds().values()) {
                for (double t : s[2]) {
                    targets += (long) t;
                }
            }
            rows.add(new String[] {k.cell().checkpoint(), k.cell().method(), k.cell().temperature(),
                Integer.toString(k.n()), seeds.toString().replace(", ", " ").replace("[", "").replace("]", ""),
                Integer.toString(acc[0].length), Long.toString(targets), f(a.estimate(), 2), f(ai.lo(), 2), f(ai.hi(), 2),
                f(l.estimate(), 4), f(li.lo(), 4), f(li.hi(), 4)});
        }
        return rows;
    }

    static String markdown(Evaluation.Result r, ExperimentRunner.Setup s, List<ClaimAnalysis.Result> results,
            List<String[]> cells, String kernelName, long seed) {
        StringBuilder b = new StringBuilder();
        Plan plan = s.plan();
        Streams st = s.test().get(Protocol.STREAMS);
        b.append("# Length extrapolation: family ").append(r.family().id()).append(", plan ").append(plan.name())
                .append("\n\n");
        b.append("Generated by `isentropic experiment eval").append(plan.name().equals("quick") ? " --quick" : "")
                .append("` (seed ").append(seed).append("; kernel: ").append(kernelName).append(String.format(
                        Locale.ROOT, "; %.0f s). Every number below is computed from `%s` in this folder.%n%n",
                        r.seconds(), PerTarget.FILE));
        b.append("## Protocol\n\n");
        b.append("- Corpus: ").append(s.corpusName()).append(". Test streams: ").append(st.size()).append(" of ")
                .append(st.length()).append(" characters, each a stretch of one held-out address (pieces sharing a"
                        + " 200-character passage with the training text are skipped).\n");
        b.append("- Targets: every 8th character of every window is masked (12.5 % at every n); the ")
                .append(st.targets().length).append(" masked characters of the central ").append(st.band())
                .append(" of each stream are scored at every n (n >= ").append(st.band()).append(": one centred window;"
                        + " shorter n: the band cut into windows of n).\n");
        b.append("- Lengths: ").append(new TreeSet<>(plan.rows(r.family()).values().stream().flatMap(List::stream)
                .toList())).append("; calibration streams (oracle, entropy at N): ").append(s.calibration().size())
                .append(".\n");
        b.append("- Intervals: two-level bootstrap over seeds and streams (crossed: one draw of streams shared by the"
                + " drawn seeds, deviations rescaled for small samples; `TwoLevelBootstrap`), ").append(RESAMPLES)
                .append(" resamples, paired for differences; Holm-adjusted intervals across the ")
                .append(results.stream().filter(ClaimAnalysis.Result::run).count())
                .append(" registered comparisons that ran; the verdict uses the adjusted interval.\n");
        b.append("- Claims: pre-registered in `experiments/claims.csv` (committed before this run).\n\n");
        b.append("## Claims (generated sentences)\n\n");
        for (ClaimAnalysis.Result c : results) {
            b.append("- ").append(c.sentence());
            if (c.run()) {
                b.append(" Seeds ").append(c.seeds()).append(", ").append(c.streams()).append(" streams.");
            }
            b.append('\n');
        }
        b.append("\n## Cells (accuracy %, loss nats; 95 % two-level intervals)\n\n");
        b.append("| cell | n | seeds | accuracy | loss |\n|---|---|---|---|---|\n");
        for (String[] c : cells) {
            b.append("| ").append(c[0]).append('/').append(c[1]).append('/').append(c[2]).append(" | ").append(c[3])
                    .append(" | ").append(c[4]).append(" | ").append(c[7]).append(" [").append(c[8]).append(", ")
                    .append(c[9]).append("] | ").append(c[10]).append(" [").append(c[11]).append(", ").append(c[12])
                    .append("] |\n");
        }
        return b.toString();
    }

    private static String csv(List<String[]> rows) {
        StringBuilder b = new StringBuilder(String.join(",", CELL_HEADER)).append('\n');
        for (String[] r : rows) {
            b.append(String.join(",", r)).append('\n');
        }
        return b.toString();
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static void put(Path file, String text) {
        OutputFiles.writeString(file, text);
    }
}
