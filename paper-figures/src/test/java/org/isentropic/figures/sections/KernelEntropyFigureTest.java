package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.ImageChecks;
import org.isentropic.figures.report.Budget;
import org.isentropic.theory.rules.TemperatureRule;
import org.junit.jupiter.api.Test;

class KernelEntropyFigureTest extends RenderedFigureTest {

    /**
     * Kernel and theory estimate the same expectation from independent draws: their difference over its
     * combined standard error is about N(0, 1); over the few points of the tiny budget, 5 is a bound that
     * a correct pair exceeds with probability below 1e-5.
     */
    static final double Z_BOUND = 5.0;

    KernelEntropyFigureTest() {
        super(new KernelEntropyFigure(), KernelEntropyFigure.BASE);
    }

    @Test
    void factorsAreTheRulesAndTheKernelAgreesWithTheTheory() {
        Budget b = budget();
        TemperatureRule info = TemperatureRule.infoScale(b.trainLength(), b.headDim());
        int checked = 0;
        for (Map<String, String> row : run.rows()) {
            int n = (int) TinyRun.num(row, "n");
            if (row.get("rule").equals("infoscale")) {
                assertEquals(info.factor(n), TinyRun.num(row, "factor"), TinyRun.CSV_ROUNDING);
                checked++;
            }
            double z = Math.abs(TinyRun.num(row, "kernel_mean_entropy") - TinyRun.num(row, "theory_mc_entropy"))
                    / Math.hypot(TinyRun.num(row, "kernel_se"), TinyRun.num(row, "theory_se"));
            assertTrue(z < Z_BOUND, "kernel vs theory z = " + z + " at " + row + " (seed " + TinyRun.SEED + ")");
            double h = TinyRun.num(row, "kernel_mean_entropy");
            assertTrue(h >= 0 && h <= Math.log(n) + 1e-4, "entropy out of [0, ln n]: " + row);
        }
        assertEquals(2 * b.lengths().length, checked); // two models
    }

    @Test
    void allRulesStartFromTheSameEntropyAtN() {
        int n = budget().trainLength();
        Double first = null;
        for (Map<String, String> row : run.rows()) {
            if ((int) TinyRun.num(row, "n") == n && row.get("model").equals("cosine")) {
                double h = TinyRun.num(row, "kernel_mean_entropy");
                if (first == null) {
                    first = h;
                }
                // rules whose factor is 1 at N share the kernel calls there: equal up to the CSV's rounding
                assertEquals(first, h, TinyRun.CSV_ROUNDING, "rule " + row.get("rule") + " at N");
            }
        }
    }

    @Test
    void imageAndSeries() throws Exception {
        assertChartPng();
        ImageChecks.assertChartPng(dir.resolve(KernelEntropyFigure.BASE_DOT + ".png"), Charts.WIDTH, Charts.HEIGHT);
        assertEquals(KernelEntropyFigure.RULES.size() + 1,
                svgSeries());
        assertEquals(KernelEntropyFigure.RULES.size() + 1,
                ImageChecks.svgSeriesCount(dir.resolve(KernelEntropyFigure.BASE_DOT + ".svg")));
    }
}
