package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.figures.report.SectionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtrapolationFigureTest {

    private static final String HEADER = "family,arm,seeds,protocol,method,temperature,n_mode,length,streams,"
            + "predictions,accuracy,accuracy_lo,accuracy_hi,loss,loss_lo,loss_hi,perplexity,seed_accuracy_min,"
            + "seed_accuracy_max,entropy_layer0";
    private static final String CAL_HEADER = "checkpoint,arm,seed,layer,method,length,entropy_at_N,oracle,derived,"
            + "derived_se,infoscale,logn,softmax_plus";

    @TempDir
    Path dir;

    @Test
    void absentWithoutResultsSaysHowToMakeThem() throws Exception {
        TinyRun.assertAbsent(TinyRun.renderFromResults(new ExtrapolationFigure(), dir), "isentropic experiment eval");
    }

    @Test
    void anEarlierFormatIsNotPlotted() throws Exception {
        Path file = dir.resolve(ExtrapolationFigure.RESULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "model,protocol,method,temperature,length,accuracy\nm,one-pass-15%,rope,standard,64,0.4\n");
        TinyRun.assertAbsent(TinyRun.renderFromResults(new ExtrapolationFigure(), dir), "earlier evaluation");
    }

    @Test
    void v3CellsArePlottedAsSmallMultiplesWithBands() throws Exception {
        // made-up test data in cells.csv's format: two curves of the first panel and one of the CosScale panel
        StringBuilder csv = new StringBuilder("checkpoint,method,temperature,n,seeds,streams,targets,accuracy,"
                + "accuracy_lo,accuracy_hi,loss,loss_lo,loss_hi\n");
        for (int n : new int[] {64, 256, 4096}) {
            double acc = n == 64 ? 60 : 20;
            csv.append("softmax-ft,rope,standard,").append(n).append(",1 2,64,16384,").append(acc).append(',')
                    .append(acc - 2).append(',').append(acc + 2).append(",1.5,1.4,1.6\n");
            csv.append("softmax-ft,rope,infoscale,").append(n).append(",1 2,64,16384,50,48,52,1.6,1.5,1.7\n");
            csv.append("cos128,rope,standard,").append(n).append(",1 2,64,16384,55,53,57,1.4,1.3,1.5\n");
        }
        Path file = dir.resolve(ExtrapolationFigure.V3_CELLS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        SectionResult r = new ExtrapolationFigure().render(TinyRun.context(out, dir));
        assertTrue(r.available(), r.reading());
        assertEquals(List.of(ExtrapolationFigure.BASE + "-panels.png"), r.images(), "no calibration: one grid image");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve(r.images().get(0)).toFile());
        // three panels have data (the control's temperatures, CosScale vs the control, CosScale across s): two columns,
        // two rows
        assertEquals(org.isentropic.figures.charts.ChartFiles.pixels(2 * ExtrapolationPanels.PANEL_WIDTH), png.getWidth());
        assertEquals(org.isentropic.figures.charts.ChartFiles.pixels(2 * ExtrapolationPanels.PANEL_HEIGHT), png.getHeight());
        assertTrue(Files.size(out.resolve(ExtrapolationFigure.BASE + "-panels.svg")) > 1000);
        assertTrue(r.reading().contains("softmax-ft/rope/standard at n = 4096: 20.0 % [18.0, 22.0]"), r.reading());
        assertTrue(ExtrapolationPanels.panels().stream().allMatch(p -> p.curves().size()
                <= ExtrapolationPanels.MAX_SERIES));
    }

    @Test
    void plotsTheCellsWithIntervalsAndTheDistanceFromTheOracle() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        // made-up test data: RoPE falls with n, a windowed row keeps it, the oracle row is excluded from "best"
        for (String temp : List.of("standard", "logn", "infoscale")) {
            csv.append(row("softmax", "rope", temp, "sequence", 64, 0.40)).append(row("softmax", "rope", temp,
                    "sequence", 4096, 0.10));
        }
        csv.append(row("softmax", "rope", "oracle", "sequence", 64, 0.40));
        csv.append(row("softmax", "rope", "oracle", "sequence", 4096, 0.60));
        csv.append(row("softmax", "window", "logn", "visible", 64, 0.39));
        csv.append(row("softmax", "window", "logn", "visible", 4096, 0.38));
        csv.append(row("softmax", "rope", "standard", "sequence", 4096, 0.9).replace(",streams,", ",repeated,"));
        Path file = dir.resolve(ExtrapolationFigure.RESULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ExtrapolationFigure.CALIBRATION), CAL_HEADER + "\n"
                + "gau-softmax,softmax,1,0,rope,4096,3.5,4.0,3.0,0.1,1.4,2.0,1.33\n"
                + "gau-softmax,softmax,1,1,rope,4096,1.2,1.0,1.0,0.1,1.4,2.0,1.33\n"
                + "gau-softmax,softmax,1,0,window,4096,3.5,9.0,3.0,0.1,1.4,2.0,1.33\n", StandardCharsets.UTF_8);

        Path out = dir.resolve("out");
        SectionResult r = new ExtrapolationFigure().render(TinyRun.context(out, dir));

        assertTrue(r.available(), r.reading());
        assertEquals(38.0, r.keyNumbers().get("softmax_best_at_4096"), 1e-9, "oracle and repeated rows are not best");
        assertEquals(10.0, r.keyNumbers().get("softmax_rope_standard_at_4096"), 1e-9);
        assertTrue(r.reading().contains("40.0 % at n = 64 to 10.0 % [5.0, 15.0] at n = 4096"), r.reading());
        assertTrue(r.reading().contains("window / logn@visible with 38.0 %"), r.reading());
        assertEquals(3, r.images().size()); // accuracy per model, per temperature, distance from the oracle
        Map<String, TreeMap<Integer, Double>> ratios = ExtrapolationFigure.oracleRatios(
                dir.resolve(ExtrapolationFigure.CALIBRATION));
        // infoscale / oracle: layer 0 1.4/4, layer 1 1.4/1 -> geometric mean sqrt(1.4 * 1.4 / 4) = 0.7
        assertEquals(0.7, ratios.get("softmax infoscale").get(4096), 1e-12);
        assertEquals(Math.sqrt(0.75), ratios.get("softmax derived").get(4096), 1e-12);
    }

    @Test
    void aMalformedLineNamesTheFileAndLine() throws Exception {
        Path file = dir.resolve(ExtrapolationFigure.RESULTS);
        Files.createDirectories(file.getParent());
        Files.writeString(file, HEADER + "\n" + row("a", "rope", "standard", "sequence", 64, 0.4).replace(",64,", ",x,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> org.isentropic.experiments.eval.ResultTables.cells(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    private static String row(String arm, String method, String temp, String mode, int n, double acc) {
        return String.join(",", "v1", arm, "1", "streams", method, temp, mode, Integer.toString(n), "32", "256",
                Double.toString(acc), Double.toString(acc - 0.05), Double.toString(acc + 0.05), "2", "1.9", "2.1", "7",
                Double.toString(acc), Double.toString(acc), "3.5") + "\n";
    }

    @Test
    void localMassPanelAveragesTheProbeAtTheLargestLengthPerScaleAndSkipsTheEffectiveWindowLines() throws Exception {
        Path probe = dir.resolve("window-probe.csv");
        Files.writeString(probe, String.join("\n", "checkpoint,arm,seed,scale,length,layer,window,stream,mass",
                "c,control,1,,4096,0,32,0,0.30", "c,control,1,,4096,1,32,0,0.40",
                "a,cos16,1,16,4096,0,32,0,0.50", "a,cos16,1,16,4096,1,32,0,0.70", "a,cos16,1,16,64,0,32,0,0.99",
                "b,cos128,1,128,4096,0,32,0,0.90", "b,cos128,1,128,4096,1,32,0,0.80",
                "# effective window", "# checkpoint,length,layer,effective_window", "# a,64,0,32", ""),
                StandardCharsets.UTF_8);
        var chart = ExtrapolationFigure.localMassChart(probe);
        var w32 = chart.getSeries("w = 32");
        assertEquals(0.6, w32.getYData()[0], 1e-12); // s = 16: mean of 0.5 and 0.7 at n = 4096 only
        assertEquals(0.85, w32.getYData()[1], 1e-12); // s = 128
        assertEquals(0.35, chart.getSeries("softmax control, w = 32").getYData()[0], 1e-12);
        Files.writeString(probe, "checkpoint,arm,seed,scale,length,layer,window,stream,mass\n"
                + "a,cos16,1,16,4096,0,32,0,0.5\n", StandardCharsets.UTF_8);
        assertEquals(null, ExtrapolationFigure.localMassChart(probe)); // one value of s: no panel
    }
}
