package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.benchmarks.runner.BenchCase;
import org.isentropic.benchmarks.runner.BenchSettings;
import org.isentropic.benchmarks.runner.MachineInfo;
import org.isentropic.benchmarks.runner.ResultsFile;
import org.isentropic.figures.analysis.BenchmarkResults;
import org.isentropic.figures.charts.ImageChecks;
import org.isentropic.figures.report.SectionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelPerformanceFigureTest {

    @TempDir
    Path dir;

    @Test
    void absentWithoutResultsSaysSo() throws Exception {
        TinyRun.assertAbsent(TinyRun.renderFromResults(new KernelPerformanceFigure(), dir), "isentropic bench");
    }

    @Test
    void readsTheBenchmarkJsonIntoThreePanelsWithShortLabels() throws Exception {
        // written by the benchmarks' own writer (the results file's records)
        List<ResultsFile.CaseResult> cases = List.of(
                attention("FusedAttentionBenchmark.attend", 256, "full", 1, 0.5, 50, 25),
                attention("FusedAttentionBenchmark.attend", 1024, "full", 1, 6, 90, 45),
                attention("FusedAttentionBenchmark.attend", 1024, "causal", 1, 3.3, 82, 41),
                attention("OpenBlasBenchmark.attend", 1024, "full", 1, 7.2, 75, 37.5),
                attention("RowAtATimeBenchmark.attend", 256, "full", 1, 3, 10, 5),
                attention("RowAtATimeBenchmark.attend", 1024, "full", 1, 45, 12, 6),
                result(new BenchCase("decode/n65536/d128/t1", "DecodeBenchmark.step",
                        sizes("n", "65536", "d", "128", "threads", "1")), 0.005, 6.7, Double.NaN, 13.4, 89.5));
        String json = new ResultsFile("quick", "isentropic bench --quick", "2026-01-01T00:00:00Z", "",
                new MachineInfo("test JVM", "test OS", "test CPU", List.of(), 2, "test species"),
                new ResultsFile.Settings(BenchSettings.quick(), "-Xmx1g"),
                new ResultsFile.Peak("test", 200.0, 400.0, List.of(), Double.NaN), new ResultsFile.Bandwidth(15.0, 25.0),
                cases, List.of(), List.of()).json();
        Files.createDirectories(dir.resolve("benchmarks"));
        Files.writeString(dir.resolve(KernelPerformanceFigure.RESULTS), json, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        SectionResult r = new KernelPerformanceFigure().render(TinyRun.context(out, dir));
        assertTrue(r.available(), r.reading());
        List<Map<String, String>> rows = TinyRun.csv(out.resolve(KernelPerformanceFigure.BASE + ".csv"));
        assertEquals(7, rows.size());
        assertEquals("OpenBLAS 1t", rows.get(3).get("label"));
        assertEquals("fused causal 1t", rows.get(2).get("label"));
        assertEquals("decode n=65536 1t", rows.get(6).get("label"));
        assertEquals(3, r.images().size(), r.images().toString());
        // full mask, one head: fused 1t, OpenBLAS 1t, row-at-a-time 1t
        assertEquals(3, ImageChecks.svgSeriesCount(out.resolve(KernelPerformanceFigure.BASE + "-gflops.svg")));
        assertTrue(Files.size(out.resolve(KernelPerformanceFigure.BASE + "-percent-of-peak.png")) > 0);
        assertTrue(Files.size(out.resolve(KernelPerformanceFigure.BASE + "-decode-bandwidth.png")) > 0);
        assertEquals(1024.0, r.keyNumbers().get("anchor_n"));
        assertEquals(45.0, r.keyNumbers().get("fused_percent_of_peak"));
        assertTrue(r.reading().contains("OpenBLAS 1t takes 1.20x the fused kernel's time"), r.reading());
        assertTrue(r.reading().contains("89.50% of the measured bandwidth"), r.reading());
    }

    @Test
    void labelsNameTheVariantAndTheThreads() {
        BenchmarkResults.Case c = new BenchmarkResults.Case("x", "FusedAttentionBenchmark.attend",
                Map.of("n", "4096", "d", "128", "mask", "window256", "threads", "2", "entropy", "false",
                        "logits", "cosine", "rule", "standard"), 1, 1, 1, Double.NaN, Double.NaN);
        assertEquals("fused window 256 no entropy CosScale 2t", c.label());
        BenchmarkResults.Case gqa = new BenchmarkResults.Case("y", "MultiHeadBenchmark.attend",
                Map.of("heads", "32", "kvHeads", "8", "n", "4096", "d", "128", "mask", "causal", "threads", "1"), 1, 1, 1,
                Double.NaN, Double.NaN);
        assertEquals("fused 32h/8kv causal 1t", gqa.label());
    }

    private static ResultsFile.CaseResult attention(String benchmark, int n, String mask, int threads, double ms,
                                                    double gflops, double pct) {
        return result(new BenchCase("x" + benchmark + n + mask, benchmark, sizes("n", Integer.toString(n), "d", "128",
                "mask", mask, "threads", Integer.toString(threads))), ms / 1e3, gflops, pct, Double.NaN, Double.NaN);
    }

    private static ResultsFile.CaseResult result(BenchCase c, double seconds, double gflops, double pct,
                                                 double gbPerSecond, double pctOfBandwidth) {
        double nan = Double.NaN;
        return new ResultsFile.CaseResult(c, seconds * 1e3, nan, "ms/op", seconds, nan, gflops, pct, nan, gbPerSecond,
                pctOfBandwidth, nan, nan, nan, nan, nan, nan, nan, nan);
    }

    /** Parameters in the order given. */
    private static Map<String, String> sizes(String... namesAndValues) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }
}
