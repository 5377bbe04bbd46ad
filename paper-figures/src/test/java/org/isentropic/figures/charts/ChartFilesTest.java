package org.isentropic.figures.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class ChartFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesPngAt150DpiAndSvgWithOneColourPerSeries() throws Exception {
        XYChart chart = Charts.lengthChart("test", "n (keys)", "y (units)", 64, 4096);
        double[] n = {64, 256, 1024, 4096};
        Charts.addLengthSeries(chart, "a", n, new double[] {1, 2, 3, 4}, null);
        Charts.addLengthSeries(chart, "b", n, new double[] {2, 2, 2, 2}, new double[] {0.1, 0.1, 0.1, 0.1});
        Charts.addHorizontalReference(chart, "ref", 3, Charts.log2(64), Charts.log2(4096));
        ChartFiles.Images img = ChartFiles.save(chart, dir, "t");
        assertEquals(Charts.WIDTH * 150 / 72, img.pngWidth());
        ImageChecks.assertChartPng(img.png(), Charts.WIDTH, Charts.HEIGHT);
        assertTrue(Files.size(img.svg()) > 1000);
        assertEquals(3, ImageChecks.svgSeriesCount(img.svg()));
    }

    @Test
    void seriesCountSeesAMissingSeries() throws Exception {
        // teeth: the counter must not just report what a chart was asked to draw
        XYChart one = Charts.xy("one", "x (1)", "y (1)");
        Charts.addSeries(one, "only", new double[] {0, 1}, new double[] {0, 1}, null);
        assertEquals(1, ImageChecks.svgSeriesCount(ChartFiles.save(one, dir, "one").svg()));
    }

    @Test
    void blankOrWronglySizedImagesFailTheCheck() throws Exception {
        // teeth for assertPng: a white image of the right size, and a good chart checked at the wrong size
        Path blank = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(ChartFiles.pixels(100), ChartFiles.pixels(80),
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> ImageChecks.assertChartPng(blank, 100, 80));
        XYChart c = Charts.xy("t", "x (1)", "y (1)");
        Charts.addSeries(c, "s", new double[] {0, 1}, new double[] {0, 1}, null);
        Path png = ChartFiles.save(c, dir, "sized").png();
        ImageChecks.assertChartPng(png, Charts.WIDTH, Charts.HEIGHT);
        assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> ImageChecks.assertChartPng(png, Charts.WIDTH, Charts.HEIGHT + 1));
    }

    @Test
    void heatMapPanelHasOneImagePerMapPlusTheColourBar() throws Exception {
        HeatMapPanel panel = new HeatMapPanel("maps", "key j", "query i", "p (log)", 120, 1e-4);
        for (int k = 0; k < 3; k++) {
            double[] v = new double[16 * 16];
            for (int i = 0; i < 16; i++) {
                v[i * 16 + i] = 1.0 / (k + 1);
                v[i * 16 + (i + 1) % 16] = 1 - 1.0 / (k + 1);
            }
            panel.add(new HeatMapPanel.Map("s = " + k, 16, v));
        }
        ChartFiles.Images img = ChartFiles.save(panel, dir, "maps");
        ImageChecks.assertChartPng(img.png(), panel.getWidth(), panel.getHeight());
        assertEquals(4, ImageChecks.svgImageCount(img.svg()));
    }

    @Test
    void lengthAxisLabelsPowersOfTwoOnly() {
        assertEquals("64", Charts.powerOfTwoLabel(6.0));
        assertEquals("4096", Charts.powerOfTwoLabel(12.0));
        assertEquals("", Charts.powerOfTwoLabel(6.5));
    }

    @Test
    void badInputNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lengthChart("t", "x", "y", 64, 64));
        assertTrue(e.getMessage().contains("64"));
        assertThrows(IllegalArgumentException.class, () -> new HeatMapPanel.Map("m", 4, new double[15]));
        assertThrows(IllegalArgumentException.class, () -> ChartFiles.save(Charts.xy("t", "x", "y"), dir, "../x"));
    }

    @Test
    void identicalSeriesAreGrouped() {
        double[][] rows = {{1, 2}, {1, 3}, {1, 2 + 1e-15}, {Double.NaN, 2}, {Double.NaN, 2}};
        var groups = SeriesGroups.identical(rows);
        assertEquals(3, groups.size());
        assertEquals("a = c", SeriesGroups.label(groups.get(0), java.util.List.of("a", "b", "c", "d", "e")));
    }

    @Test
    void compactNumbers() {
        assertEquals("8", Charts.compact(8.0));
        assertEquals("0.35", Charts.compact(0.35));
        assertEquals("1.392", Charts.compact(1.3918));
    }
}
