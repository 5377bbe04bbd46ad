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
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.cli.Table;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.figures.report.SectionResult;
import org.knowm.xchart.XYChart;

/**
 * Figure 8: length extrapolation of the trained GAU checkpoints, read from the table that
 * {@code isentropic experiment eval} writes ({@code experiments/results/full/extrapolation.csv}, committed
 * with the checkpoints). The evaluation itself takes about 20 minutes on 2 cores, longer than the whole
 * report may, so the report plots its committed output (as figure 7 plots the benchmark results) and says
 * where it came from; {@code isentropic experiment eval --out experiments/results/full} recomputes it.
 *
 * <p>Plotted: accuracy of the one-pass 15 % protocol with RoPE under the standard, log-n and InfoScale
 * temperatures for both checkpoints, the best method at the largest length, and the layer-mean attention
 * entropy against ln n.
 */
public final class ExtrapolationFigure implements ReportSection {

    public static final String BASE = "figure-8-extrapolation";
    /** Where {@code isentropic experiment eval} leaves its full table, relative to the repository root. */
    public static final String RESULTS = "experiments/results/full/extrapolation.csv";
    static final String PROTOCOL = "one-pass-15%";
    static final String[] TEMPERATURES = {"standard", "logn", "infoscale"};

    @Override
    public int number() {
        return Figures.EXPERIMENTS_FIGURE;
    }

    @Override
    public String title() {
        return "Length extrapolation of the trained model";
    }

    @Override
    public SectionResult render(FigureContext ctx) throws IOException {
        Optional<Path> file = ctx.repositoryRoot().map(r -> r.resolve(RESULTS)).filter(Files::isRegularFile);
        if (file.isEmpty()) {
            return SectionResult.absent(number(), title(), "No experiment results: " + RESULTS + " does not exist"
                    + (ctx.repositoryRoot().isEmpty() ? " (the repository root could not be located)" : "")
                    + ". Run `isentropic experiment eval --out experiments/results/full`, then rerun.");
        }
        List<Row> rows = read(file.get());
        List<Row> onePass = rows.stream().filter(r -> r.protocol.equals(PROTOCOL)).toList();
        if (onePass.isEmpty()) {
            return SectionResult.absent(number(), title(), RESULTS + " holds no " + PROTOCOL + " rows; nothing to plot.");
        }
        int minN = onePass.stream().mapToInt(r -> r.length).min().getAsInt();
        int maxN = onePass.stream().mapToInt(r -> r.length).max().getAsInt();
        if (maxN <= minN) {
            return SectionResult.absent(number(), title(), RESULTS + " holds a single length; nothing to plot.");
        }
        List<String> models = onePass.stream().map(r -> r.model).distinct().toList();

        XYChart acc = Charts.lengthChart("Accuracy vs length (" + PROTOCOL + ")",
                "n (characters; trained at " + minN + ")", "masked-character accuracy (%)", minN, maxN);
        XYChart ent = Charts.lengthChart("Attention entropy vs length (RoPE)",
                "n (characters; trained at " + minN + ")", "layer-mean entropy (nats)", minN, maxN);
        Table data = new Table(4, "model", "method", "temperature", "n", "accuracy_percent", "accuracy_lo",
                "accuracy_hi", "mean_entropy");
        Table key = new Table(1, "model", "method / temperature", "accuracy at " + minN + " (%)",
                "accuracy at " + maxN + " (%)");
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (String model : models) {
            for (String temp : TEMPERATURES) {
                TreeMap<Integer, Row> s = series(onePass, model, "rope", temp);
                if (s.isEmpty()) {
                    continue;
                }
                add(acc, ent, data, model + " RoPE " + temp, s);
                key.add(model, "RoPE / " + temp, pct(s.get(minN)), pct(s.get(maxN)));
                keyNumbers.put(model + "_rope_" + temp + "_at_" + maxN, pct(s.get(maxN)));
            }
            Row best = best(onePass, model, maxN);
            TreeMap<Integer, Row> s = series(onePass, model, best.method, best.temperature);
            add(acc, null, data, model + " " + best.method + " " + best.temperature + " (best at " + maxN + ")", s);
            key.add(model, best.method + " / " + best.temperature + " (best at " + maxN + ")", pct(s.get(minN)),
                    pct(best));
            keyNumbers.put(model + "_best_at_" + maxN, pct(best));
        }
        List<Double> lnX = new ArrayList<>();
        List<Double> lnY = new ArrayList<>();
        for (int n = minN; n <= maxN; n *= 2) {
            lnX.add((double) n);
            lnY.add(Math.log(n));
        }
        Charts.dashed(Charts.addLengthSeries(ent, "ln n (uniform attention)",
                lnX.stream().mapToDouble(Double::doubleValue).toArray(),
                lnY.stream().mapToDouble(Double::doubleValue).toArray(), null), false);

        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        List<String> images = List.of(
                ChartFiles.save(acc, ctx.outDir(), BASE + "-accuracy").png().getFileName().toString(),
                ChartFiles.save(ent, ctx.outDir(), BASE + "-entropy").png().getFileName().toString());
        return new SectionResult(number(), title(), true, images, List.of(csv),
                reading(onePass, models, minN, maxN), key, keyNumbers,
                "read from " + RESULTS + " (written by `isentropic experiment eval`; " + PROTOCOL
                        + " protocol, temperatures use n = sequence length); the full tables with 95 % intervals "
                        + "and the one-token protocol are in experiments/results/full/extrapolation.md");
    }

    private static String reading(List<Row> rows, List<String> models, int minN, int maxN) {
        StringBuilder sb = new StringBuilder();
        for (String model : models) {
            TreeMap<Integer, Row> std = series(rows, model, "rope", "standard");
            TreeMap<Integer, Row> info = series(rows, model, "rope", "infoscale");
            TreeMap<Integer, Row> logn = series(rows, model, "rope", "logn");
            Row best = best(rows, model, maxN);
            if (std.containsKey(minN) && std.containsKey(maxN)) {
                sb.append(String.format(Locale.ROOT, "%s with RoPE goes from %s %% at n = %d to %s %% at n = %d "
                        + "under the standard temperature", model, oneDecimal(pct(std.get(minN))), minN,
                        oneDecimal(pct(std.get(maxN))), maxN));
                if (info.containsKey(maxN) && logn.containsKey(maxN)) {
                    sb.append(String.format(Locale.ROOT, " (InfoScale %s %%, log-n %s %%)",
                            oneDecimal(pct(info.get(maxN))), oneDecimal(pct(logn.get(maxN)))));
                }
                sb.append(String.format(Locale.ROOT, "; its best cell at n = %d is %s / %s with %s %%. ", maxN,
                        best.method, best.temperature, oneDecimal(pct(best))));
            }
        }
        return sb.toString().trim();
    }

    private static void add(XYChart acc, XYChart ent, Table data, String name, TreeMap<Integer, Row> s) {
        double[] x = new double[s.size()];
        double[] y = new double[s.size()];
        double[] err = new double[s.size()];
        double[] h = new double[s.size()];
        int i = 0;
        for (Row r : s.values()) {
            x[i] = r.length;
            y[i] = pct(r);
            err[i] = 100 * (r.accuracyHi - r.accuracyLo) / 2;
            h[i] = r.meanEntropy;
            data.add(r.model, r.method, r.temperature, r.length, y[i], 100 * r.accuracyLo, 100 * r.accuracyHi, h[i]);
            i++;
        }
        Charts.addLengthSeries(acc, name, x, y, err);
        if (ent != null) {
            Charts.addLengthSeries(ent, name, x, h, null);
        }
    }

    private static TreeMap<Integer, Row> series(List<Row> rows, String model, String method, String temperature) {
        TreeMap<Integer, Row> out = new TreeMap<>();
        for (Row r : rows) {
            if (r.model.equals(model) && r.method.equals(method) && r.temperature.equals(temperature)) {
                out.put(r.length, r);
            }
        }
        return out;
    }

    private static Row best(List<Row> rows, String model, int length) {
        Row best = null;
        for (Row r : rows) {
            if (r.model.equals(model) && r.length == length && (best == null || r.accuracy > best.accuracy)) {
                best = r;
            }
        }
        return best;
    }

    private static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static double pct(Row r) {
        return r == null ? Double.NaN : 100 * r.accuracy;
    }

    /** One line of the experiment's CSV: the columns this figure uses. */
    record Row(String model, String protocol, String method, String temperature, int length, double accuracy,
            double accuracyLo, double accuracyHi, double meanEntropy) {
    }

    /** Reads the experiment table; columns are found by name, and a malformed line names the file and line. */
    static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        List<String> header = List.of(lines.get(0).split(","));
        int[] col = new int[8];
        String[] names = {"model", "protocol", "method", "temperature", "length", "accuracy", "accuracy_lo",
            "accuracy_hi"};
        for (int c = 0; c < names.length; c++) {
            col[c] = header.indexOf(names[c]);
            if (col[c] < 0) {
                throw new IllegalArgumentException(file + " has no column '" + names[c] + "'");
            }
        }
        List<Integer> entropyCols = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).startsWith("entropy_layer")) {
                entropyCols.add(c);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            try {
                double h = 0;
                for (int c : entropyCols) {
                    h += Double.parseDouble(f[c]);
                }
                rows.add(new Row(f[col[0]], f[col[1]], f[col[2]], f[col[3]], Integer.parseInt(f[col[4]]),
                        Double.parseDouble(f[col[5]]), Double.parseDouble(f[col[6]]), Double.parseDouble(f[col[7]]),
                        entropyCols.isEmpty() ? Double.NaN : h / entropyCols.size()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is malformed: " + e.getMessage(), e);
            }
        }
        return rows;
    }
}
