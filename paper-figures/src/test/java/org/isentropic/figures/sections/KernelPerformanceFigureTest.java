package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        SectionResult r = new KernelPerformanceFigure().render(TinyRun.context(dir.resolve("out"), dir));
        assertFalse(r.available());
        assertTrue(r.reading().contains("isentropic bench"), r.reading());
    }

    @Test
    void readsTheBenchmarkJsonIntoThreePanelsWithShortLabels() throws Exception {
        // the shape BenchReport.json() writes (cases with benchmark, params and the derived numbers)
        String json = "{\"plan\": \"quick\", \"timestamp\": \"2026-01-01T00:00:00Z\","
                + " \"machine\": {\"jvm\": \"test JVM\", \"cpu_model\": \"test CPU\", \"processors\": 2},"
                + " \"peak\": {\"gflops_1_thread\": 200.0, \"gflops_all_threads\": 400.0},"
                + " \"bandwidth\": {\"gb_per_s_1_thread\": 15.0, \"gb_per_s_all_threads\": 25.0},"
                + " \"cases\": ["
                + attention("FusedAttentionBenchmark.attend", 256, "bidirectional", 1, 0.5, 50, 25) + ","
                + attention("FusedAttentionBenchmark.attend", 1024, "bidirectional", 1, 6, 90, 45) + ","
                + attention("FusedAttentionBenchmark.attend", 1024, "causal", 1, 3.3, 82, 41) + ","
                + attention("OpenBlasBenchmark.attend", 1024, "bidirectional", 1, 7.2, 75, 37.5) + ","
                + attention("RowAtATimeBenchmark.attend", 256, "bidirectional", 1, 3, 10, 5) + ","
                + attention("RowAtATimeBenchmark.attend", 1024, "bidirectional", 1, 45, 12, 6) + ","
                + "{\"id\": \"decode/n65536/d128/t1\", \"benchmark\": \"DecodeBenchmark.step\", \"params\": {\"n\":"
                + " \"65536\", \"d\": \"128\", \"threads\": \"1\"}, \"seconds_per_op\": 0.005, \"gflops\": 6.7,"
                + " \"percent_of_peak\": null, \"gb_per_s\": 13.4, \"percent_of_bandwidth\": 89.5}]}";
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
        // bidirectional, one head: fused 1t, OpenBLAS 1t, row-at-a-time 1t
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

    private static String attention(String benchmark, int n, String mask, int threads, double ms, double gflops,
                                    double pct) {
        return "{\"id\": \"x\", \"benchmark\": \"" + benchmark + "\", \"params\": {\"n\": \"" + n
                + "\", \"d\": \"128\", \"mask\": \"" + mask + "\", \"threads\": \"" + threads + "\"}, \"seconds_per_op\": "
                + ms / 1e3 + ", \"gflops\": " + gflops + ", \"percent_of_peak\": " + pct + "}";
    }
}
