package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

class ExtrapolationFigureTest {

    private static final String HEADER = "model,protocol,method,temperature,length,predictions,accuracy,accuracy_lo,"
            + "accuracy_hi,loss,loss_halfwidth,perplexity,perplexity_lo,perplexity_hi,entropy_layer0,entropy_layer1";

    @TempDir
    Path dir;

    @Test
    void absentWithoutResultsSaysHowToMakeThem() throws Exception {
        SectionResult r = new ExtrapolationFigure().render(TinyRun.context(dir.resolve("out"), dir));
        assertFalse(r.available());
        assertTrue(r.reading().contains("isentropic experiment eval"), r.reading());
    }

    @Test
    void plotsTheExperimentTableAndReadsItsNumbers() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        // a model whose RoPE accuracy falls with n, and a windowed method that keeps it (made-up test data)
        for (String temp : ExtrapolationFigure.TEMPERATURES) {
            csv.append(row("m", "rope", temp, 64, 0.40)).append(row("m", "rope", temp, 4096, 0.10));
        }
        csv.append(row("m", "window", "standard", 64, 0.39)).append(row("m", "window", "standard", 4096, 0.38));
        csv.append("m,one-token,rope,standard,64,10,0.9,0.8,0.95,1,0.1,2,1.9,2.1,3,3\n"); // other protocol: ignored
        Path file = dir.resolve(ExtrapolationFigure.RESULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);

        Path out = dir.resolve("out");
        SectionResult r = new ExtrapolationFigure().render(TinyRun.context(out, dir));

        assertTrue(r.available(), r.reading());
        assertEquals(38.0, r.keyNumbers().get("m_best_at_4096"), 1e-9);
        assertEquals(10.0, r.keyNumbers().get("m_rope_standard_at_4096"), 1e-9);
        assertTrue(r.reading().contains("40.0 % at n = 64 to 10.0 % at n = 4096"), r.reading());
        assertTrue(r.reading().contains("window / standard with 38.0 %"), r.reading());
        List<Map<String, String>> rows = TinyRun.csv(out.resolve(ExtrapolationFigure.BASE + ".csv"));
        assertEquals(8, rows.size()); // 3 temperatures x 2 lengths + the best method's 2 lengths
        // 3 RoPE temperatures + the best method
        assertEquals(4, ImageChecks.svgSeriesCount(out.resolve(ExtrapolationFigure.BASE + "-accuracy.svg")));
        assertEquals(2, r.images().size());
    }

    @Test
    void aMalformedLineNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve(ExtrapolationFigure.RESULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, HEADER + "\nm,one-pass-15%,rope,standard,not-a-length,1,0.4,0.3,0.5,1,1,1,1,1,1,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtrapolationFigure.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    private static String row(String model, String method, String temp, int n, double acc) {
        return String.join(",", model, ExtrapolationFigure.PROTOCOL, method, temp, Integer.toString(n), "100",
                Double.toString(acc), Double.toString(acc - 0.05), Double.toString(acc + 0.05),
                "2", "0.1", "7", "6", "8", "3.5", "4.5") + "\n";
    }
}
