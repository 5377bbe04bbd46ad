package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.isentropic.theory.rules.TemperatureRule;
import org.junit.jupiter.api.Test;

class MaxCosineFigureTest extends RenderedFigureTest {

    /** Monte Carlo mean vs exact expectation: |z| below 5 for every point (24 points; false alarm < 1e-4). */
    static final double Z_BOUND = 5.0;

    MaxCosineFigureTest() {
        super(new MaxCosineFigure(), MaxCosineFigure.BASE);
    }

    @Test
    void capCosineIsTheClosedFormAndItsRatioIsInfoScale() {
        int trainLength = budget().trainLength();
        for (Map<String, String> row : run.rows()) {
            int d = (int) TinyRun.num(row, "d");
            int n = (int) TinyRun.num(row, "n");
            double closedForm = Math.sqrt(1 - Math.pow(n, -2.0 / d)); // docs/method.md, section 2
            assertEquals(closedForm, TinyRun.num(row, "cap_cosine"), TinyRun.CSV_ROUNDING, "d=" + d + " n=" + n);
            if (n >= trainLength) {
                double capAtTrainLength = Math.sqrt(1 - Math.pow(trainLength, -2.0 / d));
                assertEquals(TemperatureRule.infoScale(trainLength, d).factor(n), closedForm / capAtTrainLength,
                        1e-12);
            }
        }
    }

    @Test
    void monteCarloAgreesWithTheExactExpectation() {
        for (Map<String, String> row : run.rows()) {
            double z = Math.abs(TinyRun.num(row, "max_cos_mc") - TinyRun.num(row, "exact_expected_max"))
                    / TinyRun.num(row, "max_cos_se");
            assertTrue(z < Z_BOUND, "z = " + z + " at " + row + " (seed " + TinyRun.SEED + ")");
        }
    }

    @Test
    void imageAndSeries() throws Exception {
        assertChartPng();
        assertEquals(3 * MaxCosineFigure.dims(budget()).length,
                svgSeries());
    }
}
