package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.ImageChecks;
import org.isentropic.theory.cosscale.CosScaleAnalysis;
import org.junit.jupiter.api.Test;

class CosScaleFigureTest extends RenderedFigureTest {

    /** Panel a's data; panels b and c have files of their own. */
    private static final String ENTROPY = CosScaleFigure.BASE + "a-entropy-vs-s";

    CosScaleFigureTest() {
        super(new CosScaleFigure(), ENTROPY);
    }

    @Test
    void meanFieldColumnIsTheTheorys() throws Exception {
        int d = budget().headDim();
        for (Map<String, String> row : run.rows()) {
            int n = (int) TinyRun.num(row, "n");
            double s = TinyRun.num(row, "s");
            assertEquals(CosScaleAnalysis.entropyMeanField(d, n, s), TinyRun.num(row, "entropy_mean_field"), 1e-5,
                    "n=" + n + " s=" + s);
        }
    }

    @Test
    void kernelMapsAreRowStochastic() throws Exception {
        int n = budget().mapSize();
        Map<String, Double> rowSums = new HashMap<>();
        for (Map<String, String> row : TinyRun.csv(dir.resolve(CosScaleFigure.BASE + "b-attention-maps.csv"))) {
            rowSums.merge(row.get("s") + "/" + row.get("i"), TinyRun.num(row, "p"), Double::sum);
        }
        assertEquals(CosScaleFigure.MAP_SCALES.length * n, rowSums.size());
        // float probabilities printed to 8 decimals: n float roundings plus n print roundings
        double tolerance = n * (0x1.0p-23 + 0.5e-8);
        rowSums.forEach((k, sum) -> assertEquals(1.0, sum, tolerance, "row " + k));
    }

    @Test
    void distancesAreFractions() throws Exception {
        List<Map<String, String>> rows = TinyRun.csv(dir.resolve(CosScaleFigure.BASE + "c-window-distance.csv"));
        assertEquals(CosScaleFigure.WINDOWS.length * budget().scalePoints(), rows.size());
        for (Map<String, String> row : rows) {
            double tv = TinyRun.num(row, "tv_to_windowed");
            assertTrue(tv >= 0 && tv <= 1 + TinyRun.CSV_ROUNDING, row.toString());
        }
    }

    @Test
    void imagesAndSeries() throws Exception {
        assertEquals(3, run.result().images().size());
        assertChartPng();
        ImageChecks.assertChartPng(dir.resolve(CosScaleFigure.BASE + "c-window-distance.png"), Charts.WIDTH,
                Charts.HEIGHT);
        int lengths = CosScaleFigure.entropyLengths(budget()).length;
        assertEquals(2 * lengths, svgSeries());
        assertEquals(CosScaleFigure.WINDOWS.length,
                ImageChecks.svgSeriesCount(dir.resolve(CosScaleFigure.BASE + "c-window-distance.svg")));
        Path maps = dir.resolve(CosScaleFigure.BASE + "b-attention-maps.svg");
        assertEquals(CosScaleFigure.MAP_SCALES.length + 1, ImageChecks.svgImageCount(maps)); // + colour bar
        assertTrue(java.nio.file.Files.size(dir.resolve(CosScaleFigure.BASE + "b-attention-maps.png")) > 1000);
    }
}
