package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void readsTheBenchmarkJson() throws Exception {
        // the shape BenchReport.json() writes (cases with benchmark, params, gflops, percent_of_peak)
        String json = "{\"plan\": \"quick\", \"timestamp\": \"2026-01-01T00:00:00Z\","
                + " \"machine\": {\"jvm\": \"test JVM\", \"cpu_model\": \"test CPU\", \"processors\": 2},"
                + " \"peak\": {\"gflops_1_thread\": 200.0, \"gflops_all_threads\": 400.0},"
                + " \"cases\": ["
                + case_("FusedAttentionBenchmark.attend", 256, 50, 25) + ","
                + case_("FusedAttentionBenchmark.attend", 1024, 90, 45) + ","
                + case_("RowAtATimeBenchmark.attend", 256, 10, 5) + ","
                + case_("RowAtATimeBenchmark.attend", 1024, 12, 6) + "]}";
        Files.createDirectories(dir.resolve("benchmarks"));
        Files.writeString(dir.resolve(KernelPerformanceFigure.RESULTS), json, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        SectionResult r = new KernelPerformanceFigure().render(TinyRun.context(out, dir));
        assertTrue(r.available(), r.reading());
        List<Map<String, String>> rows = TinyRun.csv(out.resolve(KernelPerformanceFigure.BASE + ".csv"));
        assertEquals(4, rows.size());
        assertEquals(90.0, r.keyNumbers().get("best_gflops"));
        assertTrue(r.reading().contains("90.00") && r.reading().contains("1024"), r.reading());
        assertEquals(2, ImageChecks.svgSeriesCount(out.resolve(KernelPerformanceFigure.BASE + "-gflops.svg")));
        assertEquals(2, r.images().size());
    }

    private static String case_(String benchmark, int n, double gflops, double pct) {
        return "{\"id\": \"x\", \"benchmark\": \"" + benchmark + "\", \"params\": {\"n\": \"" + n
                + "\", \"d\": \"128\", \"threads\": \"1\"}, \"gflops\": " + gflops + ", \"percent_of_peak\": " + pct + "}";
    }
}
