package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.BenchmarkResults;
import org.isentropic.figures.analysis.BenchmarkResults.Case;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.Palette;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;

/**
 * Figure 7: kernel performance from {@code benchmarks/results.json} (written by {@code isentropic bench}),
 * absent without it. Three panels, each readable on its own:
 * <ol>
 *   <li>{@code -gflops}: GFLOP/s against n for one head, d = 128, full mask, one line per implementation
 *       and thread count (fused, OpenBLAS, PyTorch SDPA, the baselines), labelled "fused 1t", "OpenBLAS 2t";</li>
 *   <li>{@code -percent-of-peak}: every attention variant at the anchor n (4096 in the full run) as a bar, in %
 *       of the FP32 peak measured in the same run with the same threads;</li>
 *   <li>{@code -decode-bandwidth}: every decode case as a bar, in % of the memory bandwidth measured in the
 *       same run with the same threads (decode is bound by memory, not by FLOPs).</li>
 * </ol>
 */
public final class KernelPerformanceFigure extends NumberedSection {

    public static final String BASE = "figure-7-kernel-performance";
    /** Where the benchmarks module writes its results, relative to the repository root. */
    public static final String RESULTS = "benchmarks/results.json";

    public KernelPerformanceFigure() {
        super(7, "Kernel performance");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget budget) throws IOException {
        Optional<Path> file = ctx.repositoryRoot().map(r -> r.resolve(RESULTS)).filter(Files::isRegularFile);
        if (file.isEmpty()) {
            return SectionResult.absent(number(), title(), "No benchmark results: " + RESULTS + " does not exist"
                    + (ctx.repositoryRoot().isEmpty() ? " (the repository root could not be located)" : "")
                    + ". Run `isentropic bench` (or `isentropic bench --quick`) to write it, then rerun.");
        }
        BenchmarkResults res = BenchmarkResults.read(file.get());
        Map<String, List<Case>> series = res.throughputSeries();
        int anchor = res.anchorN();
        List<Case> atAnchor = res.atN(anchor);
        List<Case> decode = res.decode();
        if (series.isEmpty() && atAnchor.isEmpty() && decode.isEmpty()) {
            return SectionResult.absent(number(), title(), file.get().getFileName() + " holds no attention or decode"
                    + " case; nothing to plot.");
        }
        Table data = new Table(3, "case", "label", "n", "ms_per_call", "gflops", "percent_of_peak", "gb_per_s",
                "percent_of_bandwidth");
        for (Case c : res.cases()) {
            if (c.isAttention() || c.isDecode()) {
                data.add(c.id(), c.isDecode() ? decodeLabel(c) : c.label(), c.intParam("n", 0), c.seconds() * 1e3,
                        c.gflops(), c.percentOfPeak(), c.gbPerSecond(), c.percentOfBandwidth());
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        List<String> images = new ArrayList<>();
        if (!series.isEmpty()) {
            images.add(ChartFiles.save(throughputChart(series, res.plan()), ctx.outDir(), BASE + "-gflops").png()
                    .getFileName().toString());
        }
        if (!atAnchor.isEmpty()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Case c : atAnchor) {
                labels.add(c.label());
                values.add(c.percentOfPeak());
            }
            CategoryChart bars = bars("% of measured FP32 peak at n = " + anchor, "% of peak (same threads)", labels,
                    values);
            images.add(ChartFiles.save(bars, ctx.outDir(), BASE + "-percent-of-peak").png().getFileName().toString());
        }
        List<Case> decodeWithBandwidth = decode.stream().filter(c -> Double.isFinite(c.percentOfBandwidth())).toList();
        if (!decodeWithBandwidth.isEmpty()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Case c : decodeWithBandwidth) {
                labels.add(decodeLabel(c));
                values.add(c.percentOfBandwidth());
            }
            CategoryChart bars = bars("Decode: % of measured memory bandwidth", "% of bandwidth (same threads)", labels,
                    values);
            images.add(ChartFiles.save(bars, ctx.outDir(), BASE + "-decode-bandwidth").png().getFileName().toString());
        }

        Case fused = atAnchor.stream().filter(c -> c.label().equals("fused 1t")).findFirst().orElse(null);
        StringBuilder reading = new StringBuilder(String.format(Locale.ROOT, "From %s (%s run, %s).", RESULTS,
                res.plan(), res.timestamp()));
        if (fused != null) {
            reading.append(String.format(Locale.ROOT, " At n = %d, d = 128, one head, full mask, one thread the"
                    + " fused kernel runs at %s GFLOP/s, %s%% of the measured peak of %s GFLOP/s.", anchor,
                    num(fused.gflops()), num(fused.percentOfPeak()), num(res.peak1())));
            for (Case c : atAnchor) {
                if (c.label().equals("OpenBLAS 1t") || c.label().equals("PyTorch SDPA 1t")) {
                    reading.append(String.format(Locale.ROOT, " %s takes %.2fx the fused kernel's time.", c.label(),
                            c.seconds() / fused.seconds()));
                }
            }
        }
        Case slowest = decodeWithBandwidth.stream().max((a, b) -> Integer.compare(a.intParam("n", 0) * a.intParam(
                "kvHeads", 1), b.intParam("n", 0) * b.intParam("kvHeads", 1))).orElse(null);
        if (slowest != null) {
            reading.append(String.format(Locale.ROOT, " Decode (%s) reads its cache at %s GB/s, %s%% of the"
                    + " measured bandwidth (%s GB/s on 1 thread).", decodeLabel(slowest), num(slowest.gbPerSecond()),
                    num(slowest.percentOfBandwidth()), num(res.bandwidth1())));
        }
        Table key = new Table(2, "case", "ms/call", "GFLOP/s", "% of peak");
        for (Case c : atAnchor) {
            key.add(c.label(), c.seconds() * 1e3, c.gflops(), c.percentOfPeak());
        }
        Map<String, Double> k = new LinkedHashMap<>();
        k.put("anchor_n", (double) anchor);
        k.put("fused_gflops", fused == null ? Double.NaN : fused.gflops());
        k.put("fused_percent_of_peak", fused == null ? Double.NaN : fused.percentOfPeak());
        k.put("peak_1_thread", res.peak1());
        k.put("peak_all_threads", res.peakAll());
        k.put("bandwidth_1_thread", res.bandwidth1());
        return new SectionResult(number(), title(), true, images, List.of(csv), reading.toString(), key, k,
                "read from " + RESULTS + " (plan " + res.plan() + ", " + res.timestamp() + ", " + res.machine() + ")");
    }

    /** "decode n=65536 2t", "decode 32h/8kv n=32768 1t". */
    static String decodeLabel(Case c) {
        return c.implementation() + " n=" + c.intParam("n", 0) + " " + c.intParam("threads", 1) + "t";
    }

    private static XYChart throughputChart(Map<String, List<Case>> series, String plan) {
        int minN = Integer.MAX_VALUE;
        int maxN = 0;
        for (List<Case> s : series.values()) {
            minN = Math.min(minN, s.get(0).intParam("n", 1));
            maxN = Math.max(maxN, s.get(s.size() - 1).intParam("n", 1));
        }
        if (maxN <= minN) {
            maxN = 2 * minN;
        }
        XYChart g = Charts.lengthChart("Attention, 1 head, d = 128 (" + plan + " run)", "n (sequence length)",
                "GFLOP/s (log scale)", minN, maxN);
        g.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, List<Case>> e : series.entrySet()) {
            List<Case> s = e.getValue();
            double[] x = new double[s.size()];
            double[] y = new double[s.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = s.get(i).intParam("n", 1);
                y[i] = s.get(i).gflops();
            }
            Charts.addLengthSeries(g, e.getKey(), x, y, null);
        }
        return g;
    }

    /** A bar chart with one bar per label, labels rotated so that long ones fit. */
    private static CategoryChart bars(String title, String yTitle, List<String> labels, List<Double> values) {
        // wide enough for every label: XChart drops x labels that would overlap
        int width = Math.max(Charts.WIDTH, 48 * labels.size() + 160);
        CategoryChart c = new CategoryChartBuilder().width(width).height(Charts.HEIGHT + 100).title(title)
                .yAxisTitle(yTitle).build();
        var s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendVisible(false);
        s.setSeriesColors(Palette.colors());
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setXAxisLabelRotation(50);
        if (labels.size() > 1) {
            s.setXAxisMaxLabelCount(labels.size()); // XChart refuses a count of 1
        }
        s.setLabelsVisible(true);
        s.setLabelsPosition(1.0);
        s.setLabelsFontColorAutomaticEnabled(false);
        s.setLabelsFontColor(Color.BLACK);
        s.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setDecimalPattern("#0.0");
        s.setYAxisMin(0.0);
        s.setChartTitleBoxVisible(false);
        s.setPlotContentSize(0.85);
        c.addSeries("value", labels, values);
        return c;
    }
}
