package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.isentropic.figures.analysis.BenchmarkResults;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.cli.Table;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.figures.report.SectionResult;
import org.knowm.xchart.XYChart;

/**
 * Figure 7: kernel performance (GFLOP/s and percent of the measured peak vs n, per implementation), from
 * {@code benchmarks/results.json} when {@code isentropic bench} has written it; absent otherwise.
 */
public final class KernelPerformanceFigure implements ReportSection {

    public static final String BASE = "figure-7-kernel-performance";
    /** Where the benchmarks module writes its results, relative to the repository root. */
    public static final String RESULTS = "benchmarks/results.json";
    /** At most this many series per chart (the ones with the most lengths). */
    public static final int MAX_SERIES = 10;

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "Kernel performance vs n";
    }

    @Override
    public SectionResult render(FigureContext ctx) throws IOException {
        Optional<Path> file = ctx.repositoryRoot().map(r -> r.resolve(RESULTS)).filter(Files::isRegularFile);
        if (file.isEmpty()) {
            return SectionResult.absent(number(), title(), "No benchmark results: " + RESULTS + " does not exist"
                    + (ctx.repositoryRoot().isEmpty() ? " (the repository root could not be located)" : "")
                    + ". Run `isentropic bench` (or `isentropic bench --quick`) to write it, then rerun.");
        }
        BenchmarkResults res = BenchmarkResults.read(file.get());
        List<BenchmarkResults.Series> shown = new ArrayList<>();
        for (BenchmarkResults.Series s : res.series()) {
            if (s.n().length >= 1 && shown.size() < MAX_SERIES) {
                shown.add(s);
            }
        }
        if (shown.isEmpty()) {
            return SectionResult.absent(number(), title(), file.get().getFileName() + " holds no case with n and "
                    + "GFLOP/s; nothing to plot.");
        }
        Table data = new Table(3, "implementation", "n", "gflops", "percent_of_peak");
        for (BenchmarkResults.Series s : res.series()) {
            for (int i = 0; i < s.n().length; i++) {
                data.add(s.name(), s.n()[i], s.gflops()[i], s.percentOfPeak()[i]);
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        int minN = Integer.MAX_VALUE;
        int maxN = 0;
        for (BenchmarkResults.Series s : shown) {
            minN = Math.min(minN, s.n()[0]);
            maxN = Math.max(maxN, s.n()[s.n().length - 1]);
        }
        if (maxN <= minN) {
            maxN = 2 * minN;
        }
        List<String> images = new ArrayList<>();
        XYChart g = chart("Attention throughput (" + res.plan() + " benchmark run)", "GFLOP/s (FP32, log scale)",
                minN, maxN);
        g.getStyler().setYAxisLogarithmic(true);
        g.getStyler().setYAxisMin(null);
        XYChart p = chart("Attention throughput as a share of the measured FP32 peak", "% of measured peak", minN, maxN);
        for (BenchmarkResults.Series s : shown) {
            double[] x = new double[s.n().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = s.n()[i];
            }
            Charts.addLengthSeries(g, s.name(), x, s.gflops(), null);
            Charts.addLengthSeries(p, s.name(), x, s.percentOfPeak(), null);
        }
        images.add(ChartFiles.save(g, ctx.outDir(), BASE + "-gflops").png().getFileName().toString());
        images.add(ChartFiles.save(p, ctx.outDir(), BASE + "-percent-of-peak").png().getFileName().toString());

        BenchmarkResults.Series best = null;
        int bestI = -1;
        for (BenchmarkResults.Series s : res.series()) {
            for (int i = 0; i < s.n().length; i++) {
                if (best == null || s.gflops()[i] > best.gflops()[bestI]) {
                    best = s;
                    bestI = i;
                }
            }
        }
        String reading = String.format(Locale.ROOT,
                "The highest throughput in %s is %s GFLOP/s, by %s at n = %d (%s%% of the measured peak of %s GFLOP/s "
                + "on 1 thread and %s on all threads). The file holds %d implementation/configuration series, the "
                + "%d with the most lengths are plotted; the CSV has them all.",
                RESULTS, num(best.gflops()[bestI]), best.name(), best.n()[bestI], num(best.percentOfPeak()[bestI]),
                num(res.peak1()), num(res.peakAll()), res.series().size(), shown.size());
        Table key = new Table(2, "implementation", "n", "GFLOP/s", "% of peak");
        for (BenchmarkResults.Series s : shown) {
            int last = s.n().length - 1;
            key.add(s.name(), s.n()[last], s.gflops()[last], s.percentOfPeak()[last]);
        }
        Map<String, Double> k = new LinkedHashMap<>();
        k.put("best_gflops", best.gflops()[bestI]);
        k.put("best_percent_of_peak", best.percentOfPeak()[bestI]);
        k.put("peak_1_thread", res.peak1());
        k.put("peak_all_threads", res.peakAll());
        return new SectionResult(number(), title(), true, images, List.of(csv), reading, key, k,
                "read from " + RESULTS + " (plan " + res.plan() + ", " + res.timestamp() + ", " + res.machine() + ")");
    }

    private static XYChart chart(String title, String yTitle, int minN, int maxN) {
        XYChart c = Charts.lengthChart(title, "n (sequence length)", yTitle, minN, maxN);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }
}
