package org.isentropic.figures.sections;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.isentropic.base.Table;
import org.isentropic.experiments.eval.ClaimsReport;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.ChartGrid;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.Palette;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.experiments.eval.ResultTables;
import org.isentropic.experiments.eval.ResultTables.Cell;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Figure 8: length extrapolation of the trained GAU checkpoints, read from the tables that
 * {@code isentropic experiment eval} writes into {@code experiments/results/full/}: {@code extrapolation.csv}
 * (cells per arm, i.e. all seeds of a training recipe, with stream-level bootstrap intervals) and
 * {@code calibration.csv} (per checkpoint and layer: the oracle factor and every rule's factor). The
 * evaluation takes longer than the whole report may, so the report plots its committed output and says
 * where it came from; {@code isentropic experiment eval --out experiments/results/full} recomputes it.
 *
 * <p>Panel 1: accuracy on the streams protocol with RoPE under the standard, log-n, InfoScale and oracle
 * temperatures for the softmax arm (the fine-tuned control when there is one) and the CosScale arm (s = 128
 * when there is one), with the 95 % bootstrap band (dashed, unlabelled), plus each arm's best cell at the
 * largest n. Panel 2: each temperature's factor divided by the oracle's (geometric mean over layers and
 * seeds, RoPE), against n: 1 is the entropy-matched factor.
 */
public final class ExtrapolationFigure extends NumberedSection {

    public static final String BASE = "figure-8-extrapolation";
    /** Where {@code isentropic experiment eval} leaves its full cell table, relative to the repository root. */
    public static final String RESULTS = "experiments/results/full/" + ResultTables.CELLS;
    /** Its calibration table, beside it. */
    public static final String CALIBRATION = "experiments/results/full/" + ResultTables.CALIBRATION;
    /** The window probe of claim 4 (attention mass near the diagonal per checkpoint, layer and stream). */
    public static final String WINDOW_PROBE = "experiments/results/full/" + ResultTables.WINDOW_PROBE;
    static final String PROTOCOL = "streams";
    static final String[] TEMPERATURES = {"standard", "logn", "infoscale", "oracle", "isentropic"};
    /** The arms whose temperatures the second panel compares (the softmax control and CosScale s = 128). */
    static final List<String> TEMPERATURE_ARMS = List.of("control", "cos128", "softmax", "cosscale");
    static final String[] RULES = {"infoscale", "logn", "softmax_plus", "derived"};

    public ExtrapolationFigure() {
        super(Figures.EXPERIMENTS_FIGURE, "Length extrapolation of the trained model");
    }

    /** The v3 family's cell table (registered claims), plotted as small multiples when it exists. */
    public static final String V3_CELLS = "experiments/results/v3/" + ClaimsReport.CELLS;
    /** Its calibration table (the oracle-distance view). */
    public static final String V3_CALIBRATION = "experiments/results/v3/" + ResultTables.CALIBRATION;

    @Override
    protected SectionResult render(FigureContext ctx, Budget budget) throws IOException {
        Optional<Path> v3 = ctx.repositoryRoot().map(r -> r.resolve(V3_CELLS)).filter(Files::isRegularFile);
        if (v3.isPresent()) {
            return renderV3(ctx, v3.get());
        }
        Optional<Path> file = ctx.repositoryRoot().map(r -> r.resolve(RESULTS)).filter(Files::isRegularFile);
        String rerun = "Run `isentropic experiment eval --out experiments/results/full`, then rerun.";
        if (file.isEmpty()) {
            return SectionResult.absent(number(), title(), "No experiment results: " + RESULTS + " does not exist"
                    + (ctx.repositoryRoot().isEmpty() ? " (the repository root could not be located)" : "")
                    + ". " + rerun);
        }
        if (!ResultTables.hasArms(file.get())) {
            return SectionResult.absent(number(), title(), RESULTS + " is in the format of an earlier evaluation (tiled"
                    + " documents, no stream-level intervals); it is not plotted. " + rerun);
        }
        List<Cell> rows = ResultTables.cells(file.get()).stream().filter(r -> r.protocol().equals(PROTOCOL)).toList();
        if (rows.isEmpty()) {
            return SectionResult.absent(number(), title(), RESULTS + " holds no " + PROTOCOL + " rows; nothing to plot.");
        }
        int minN = rows.stream().mapToInt(r -> r.length()).min().getAsInt();
        int maxN = rows.stream().mapToInt(r -> r.length()).max().getAsInt();
        if (maxN <= minN) {
            return SectionResult.absent(number(), title(), RESULTS + " holds a single length; nothing to plot.");
        }
        List<String> arms = arms(rows);
        XYChart acc = Charts.lengthChart("Accuracy vs n per model (RoPE, standard; 95 % bands)",
                "n (characters; trained at " + minN + ")", "masked-character accuracy (%)", minN, maxN);
        XYChart temps = Charts.lengthChart("Accuracy vs n per temperature (RoPE)",
                "n (characters; trained at " + minN + ")", "masked-character accuracy (%)", minN, maxN);
        Table data = new Table(4, "arm", "method", "temperature", "n", "accuracy_percent", "accuracy_lo",
                "accuracy_hi");
        Table key = new Table(1, "arm", "method / temperature", "accuracy at " + minN + " (%)",
                "accuracy at " + maxN + " (%) [95 % interval]");
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        int colour = 0;
        for (String arm : arms) {
            for (String temp : TEMPERATURES) {
                TreeMap<Integer, Cell> s = series(rows, arm, "rope", temp);
                if (s.isEmpty()) {
                    continue;
                }
                addRows(data, s);
                if (temp.equals("standard")) {
                    addWithBand(acc, arm, s, Palette.color(colour++));
                }
                if (TEMPERATURE_ARMS.contains(arm)) {
                    addLine(temps, arm + " " + temp, s);
                }
                Cell last = s.get(maxN);
                key.add(arm, "RoPE / " + temp, pct(s.get(minN)), last == null ? "" : interval(last));
                keyNumbers.put(arm + "_rope_" + temp + "_at_" + maxN, pct(last));
            }
            Cell best = best(rows, arm, maxN);
            if (best != null) {
                TreeMap<Integer, Cell> s = series(rows, arm, best.method(), best.temperature());
                key.add(arm, best.method() + " / " + best.temperature() + " (best at " + maxN + ")", pct(s.get(minN)),
                        interval(best));
                keyNumbers.put(arm + "_best_at_" + maxN, pct(best));
            }
        }
        List<String> images = new ArrayList<>();
        images.add(ChartFiles.save(acc, ctx.outDir(), BASE + "-accuracy").png().getFileName().toString());
        images.add(ChartFiles.save(temps, ctx.outDir(), BASE + "-temperatures").png().getFileName().toString());
        oracleDistance(ctx, CALIBRATION, "RoPE", "layers", minN, maxN).ifPresent(images::add);
        Optional<Path> probe = ctx.repositoryRoot().map(r -> r.resolve(WINDOW_PROBE)).filter(Files::isRegularFile);
        if (probe.isPresent()) {
            XYChart local = localMassChart(probe.get());
            if (local != null) {
                images.add(ChartFiles.save(local, ctx.outDir(), BASE + "-local-mass").png().getFileName().toString());
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        return new SectionResult(number(), title(), true, images, List.of(csv), reading(rows, arms, minN, maxN), key,
                keyNumbers, "read from " + RESULTS + " and " + CALIBRATION + " (written by `isentropic experiment eval`;"
                        + " streams protocol: the same 8 targets per stream at every n, intervals from a stream-level"
                        + " bootstrap); the claims with their paired intervals are in experiments/results/full/"
                        + "extrapolation.md");
    }

    /**
     * The v3 figure: small multiples of accuracy against n per method family or claim (ExtrapolationPanels), and
     * each temperature's factor over the oracle's (RoPE, the control) from the calibration table.
     */
    private SectionResult renderV3(FigureContext ctx, Path cellsFile) throws IOException {
        List<ClaimsReport.CellRow> rows = ClaimsReport.readCells(cellsFile);
        int minN = rows.stream().mapToInt(ClaimsReport.CellRow::n).min().orElse(0);
        int maxN = rows.stream().mapToInt(ClaimsReport.CellRow::n).max().orElse(0);
        if (rows.isEmpty() || maxN <= minN) {
            return SectionResult.absent(number(), title(), V3_CELLS + " holds fewer than two lengths; nothing to plot.");
        }
        Table data = new Table(4, "curve", "cell", "n", "accuracy_percent", "accuracy_lo", "accuracy_hi", "loss_nats",
                "loss_lo", "loss_hi");
        List<XYChart> panels = ExtrapolationPanels.charts(rows, minN, maxN, data);
        List<String> images = new ArrayList<>();
        images.add(ChartGrid.save(panels, 2, ctx.outDir(), BASE + "-panels").png().getFileName().toString());
        oracleDistance(ctx, V3_CALIBRATION, "control, RoPE", "layers, seeds", minN, maxN)
                .ifPresent(images::add);
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        return new SectionResult(number(), title(), true, images, List.of(csv), ExtrapolationPanels.reading(rows,
                maxN), null, Map.of(), "read from " + V3_CELLS + " (written by `isentropic experiment eval --out"
                + " experiments/results/v3`: every cell a registered claim uses, all seeds, 128 targets per stream at"
                + " every n, 95 % two-level bootstrap bands over seeds and streams); the claims' verdicts are in"
                + " experiments/results/v3/extrapolation.md");
    }

    /**
     * The oracle-distance view: each temperature's factor over the oracle's against n, from the calibration table at
     * {@code calibration} (relative to the repository root); the PNG's file name, or empty without oracle rows.
     */
    private static Optional<String> oracleDistance(FigureContext ctx, String calibration, String what, String over,
            int minN, int maxN) throws IOException {
        Optional<Path> cal = ctx.repositoryRoot().map(r -> r.resolve(calibration)).filter(Files::isRegularFile);
        if (cal.isEmpty()) {
            return Optional.empty();
        }
        XYChart dist = Charts.lengthChart("Factor / the oracle's factor (" + what + ")",
                "n (characters; trained at " + minN + ")", "factor / oracle factor (geometric mean, " + over + ")",
                minN, maxN);
        int plotted = 0;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : oracleRatios(cal.get()).entrySet()) {
            double[] x = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            Charts.addLengthSeries(dist, e.getKey(), x, y, null);
            plotted++;
        }
        if (plotted == 0) {
            return Optional.empty();
        }
        Charts.dashed(Charts.addHorizontalReference(dist, "oracle (entropy-matched) = 1", 1.0, Charts.log2(minN),
                Charts.log2(maxN)), false);
        return Optional.of(ChartFiles.save(dist, ctx.outDir(), BASE + "-oracle-distance").png().getFileName().toString());
    }

    /** The softmax arm (control when present) and the CosScale arm (cos128 when present). */
    static List<String> arms(List<Cell> rows) {
        List<String> all = rows.stream().map(r -> r.arm()).distinct().toList();
        List<String> out = new ArrayList<>();
        if (all.contains("control")) {
            out.add("control");
        } else if (all.contains("softmax")) {
            out.add("softmax");
        }
        // every CosScale arm, by s (cos16, cos32, ...; a learned-s arm "cosscale" last)
        all.stream().filter(a -> a.startsWith("cos"))
                .sorted(java.util.Comparator.comparingInt(a -> a.matches("cos\\d+") ? Integer.parseInt(a.substring(3))
                        : Integer.MAX_VALUE)).forEach(out::add);
        return out.isEmpty() ? all : out;
    }

    /**
     * Claim 4 on trained models: attention mass within |i - j| <= w per CosScale s (mean over layers, streams
     * and seeds) at the largest probed n, one series per w; the softmax control's mass as a dashed line. Null
     * when the probe holds fewer than two values of s.
     */
    static XYChart localMassChart(Path file) throws IOException {
        List<ResultTables.WindowMass> rows = ResultTables.windowMasses(file);
        int maxN = rows.stream().mapToInt(ResultTables.WindowMass::length).max().orElse(0);
        // window -> (s -> {sum, count}); softmax control under s = 0
        TreeMap<Integer, TreeMap<Double, double[]>> sums = new TreeMap<>();
        for (ResultTables.WindowMass r : rows) {
            if (r.length() != maxN) {
                continue;
            }
            double sc = Double.isNaN(r.scale()) ? (r.arm().equals("control") ? 0 : Double.NaN) : r.scale();
            if (Double.isNaN(sc)) {
                continue;
            }
            double[] acc = sums.computeIfAbsent(r.window(), w -> new TreeMap<>()).computeIfAbsent(sc, x -> new double[2]);
            acc[0] += r.mass();
            acc[1]++;
        }
        long scales = sums.values().stream().flatMap(m -> m.keySet().stream()).filter(x -> x > 0).distinct().count();
        if (scales < 2) {
            return null;
        }
        double sMin = sums.values().stream().flatMap(m -> m.keySet().stream()).filter(x -> x > 0).min(Double::compare)
                .orElse(1.0);
        double sMax = sums.values().stream().flatMap(m -> m.keySet().stream()).max(Double::compare).orElse(2.0);
        XYChart chart = Charts.lengthChart("Attention mass within |i - j| <= w vs CosScale s (n = " + maxN + ")",
                "CosScale s (fixed in training)", "mass within the window (mean over layers)", (int) sMin, (int) sMax);
        for (var e : sums.entrySet()) {
            double[] x = e.getValue().entrySet().stream().filter(v -> v.getKey() > 0)
                    .mapToDouble(v -> v.getKey()).toArray();
            double[] y = e.getValue().entrySet().stream().filter(v -> v.getKey() > 0)
                    .mapToDouble(v -> v.getValue()[0] / v.getValue()[1]).toArray();
            Charts.addLengthSeries(chart, "w = " + e.getKey(), x, y, null);
            double[] soft = e.getValue().get(0.0);
            if (soft != null) {
                Charts.dashed(Charts.addHorizontalReference(chart, "softmax control, w = " + e.getKey(),
                        soft[0] / soft[1], Charts.log2(sMin), Charts.log2(sMax)), false);
            }
        }
        return chart;
    }

    /**
     * Per "arm rule" series: n -> geometric mean over layers and seeds of factor / oracle (RoPE rows of the
     * calibration table).
     */
    static Map<String, TreeMap<Integer, Double>> oracleRatios(Path file) throws IOException {
        Map<String, TreeMap<Integer, double[]>> acc = new LinkedHashMap<>();
        for (ResultTables.Calibration r : ResultTables.calibration(file)) {
            if (!r.method().equals("rope")) {
                continue;
            }
            for (String rule : RULES) {
                double[] s = acc.computeIfAbsent(r.arm() + " " + rule, k -> new TreeMap<>())
                        .computeIfAbsent(r.length(), k -> new double[2]);
                s[0] += Math.log(r.factor(rule) / r.oracle());
                s[1]++;
            }
        }
        Map<String, TreeMap<Integer, Double>> out = new LinkedHashMap<>();
        acc.forEach((k, m) -> {
            TreeMap<Integer, Double> t = new TreeMap<>();
            m.forEach((n, s) -> t.put(n, Math.exp(s[0] / s[1])));
            out.put(k, t);
        });
        return out;
    }

    private static String reading(List<Cell> rows, List<String> arms, int minN, int maxN) {
        StringBuilder sb = new StringBuilder();
        for (String arm : arms) {
            TreeMap<Integer, Cell> std = series(rows, arm, "rope", "standard");
            TreeMap<Integer, Cell> info = series(rows, arm, "rope", "infoscale");
            TreeMap<Integer, Cell> logn = series(rows, arm, "rope", "logn");
            TreeMap<Integer, Cell> oracle = series(rows, arm, "rope", "oracle");
            Cell best = best(rows, arm, maxN);
            if (std.containsKey(minN) && std.containsKey(maxN)) {
                sb.append(String.format(Locale.ROOT, "%s with RoPE goes from %s %% at n = %d to %s at n = %d under the"
                        + " standard temperature", arm, oneDecimal(pct(std.get(minN))), minN, interval(std.get(maxN)),
                        maxN));
                if (info.containsKey(maxN) && logn.containsKey(maxN)) {
                    sb.append(String.format(Locale.ROOT, " (InfoScale %s, log-n %s", interval(info.get(maxN)),
                            interval(logn.get(maxN))));
                    sb.append(oracle.containsKey(maxN) ? ", oracle " + interval(oracle.get(maxN)) + ")" : ")");
                }
                if (best != null) {
                    sb.append(String.format(Locale.ROOT, "; its best cell at n = %d is %s / %s with %s. ", maxN,
                            best.method(), best.temperature(), interval(best)));
                } else {
                    sb.append(". ");
                }
            }
        }
        return sb.toString().trim();
    }

    private static void addRows(Table data, TreeMap<Integer, Cell> s) {
        for (Cell r : s.values()) {
            data.add(r.arm(), r.method(), r.temperature(), r.length(), pct(r), 100 * r.accuracyLo(), 100 * r.accuracyHi());
        }
    }

    private static double[][] xy(TreeMap<Integer, Cell> s) {
        double[][] out = new double[4][s.size()];
        int i = 0;
        for (Cell r : s.values()) {
            out[0][i] = r.length();
            out[1][i] = pct(r);
            out[2][i] = 100 * r.accuracyLo();
            out[3][i] = 100 * r.accuracyHi();
            i++;
        }
        return out;
    }

    private static void addLine(XYChart chart, String name, TreeMap<Integer, Cell> s) {
        double[][] v = xy(s);
        Charts.addLengthSeries(chart, name, v[0], v[1], null);
    }

    /** The series and its 95 % band (dashed, same colour, not in the legend). */
    private static void addWithBand(XYChart chart, String name, TreeMap<Integer, Cell> s, java.awt.Color colour) {
        double[][] v = xy(s);
        Charts.addLengthSeries(chart, name, v[0], v[1], null).setLineColor(colour);
        for (int b = 2; b <= 3; b++) {
            XYSeries band = Charts.dashed(Charts.addLengthSeries(chart, name + (b == 2 ? " 95 % lo" : " 95 % hi"),
                    v[0], v[b], null), false);
            band.setLineColor(colour);
            band.setShowInLegend(false);
        }
    }

    private static TreeMap<Integer, Cell> series(List<Cell> rows, String arm, String method, String temperature) {
        TreeMap<Integer, Cell> out = new TreeMap<>();
        for (Cell r : rows) {
            if (r.arm().equals(arm) && r.method().equals(method) && r.temperature().equals(temperature)) {
                out.put(r.length(), r);
            }
        }
        return out;
    }

    /** The arm's most accurate cell at n, oracle rows excluded (the oracle is a reference, not a method). */
    private static Cell best(List<Cell> rows, String arm, int length) {
        Cell best = null;
        for (Cell r : rows) {
            if (r.arm().equals(arm) && r.length() == length && !r.temperature().startsWith("oracle")
                    && (best == null || r.accuracy() > best.accuracy())) {
                best = r;
            }
        }
        return best;
    }

    private static String interval(Cell r) {
        return String.format(Locale.ROOT, "%.1f %% [%.1f, %.1f]", 100 * r.accuracy(), 100 * r.accuracyLo(),
                100 * r.accuracyHi());
    }

    private static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static double pct(Cell r) {
        return r == null ? Double.NaN : 100 * r.accuracy();
    }
}
