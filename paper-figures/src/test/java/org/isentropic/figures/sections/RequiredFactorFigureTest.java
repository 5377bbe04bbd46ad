package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.isentropic.figures.report.Budget;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.Base;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.InvarianceSolver;
import org.junit.jupiter.api.Test;

class RequiredFactorFigureTest extends RenderedFigureTest {

    RequiredFactorFigureTest() {
        super(new RequiredFactorFigure(), RequiredFactorFigure.BASE);
    }

    @Test
    void referenceLinesAreTheRulesAndTheMeanFieldPointsAreTheSolvers() {
        Budget b = budget();
        double info = TemperatureRule.infoScale(b.trainLength(), b.headDim()).factor(b.maxLength());
        double logn = TemperatureRule.logN(b.trainLength()).factor(b.maxLength());
        for (Map<String, String> row : run.rows()) {
            assertEquals(info, TinyRun.num(row, "infoscale"), TinyRun.CSV_ROUNDING);
            assertEquals(logn, TinyRun.num(row, "logn"), TinyRun.CSV_ROUNDING);
            if (row.get("model").equals("cosine") && row.get("condition").equals(Condition.MEAN_FIELD.id())) {
                double h = TinyRun.num(row, "base_entropy");
                double expected = InvarianceSolver.solve(Condition.MEAN_FIELD, LogitModels.sphere(b.headDim(), 1.0),
                        b.trainLength(), new int[] {b.maxLength()}, Base.entropy(h), b.samples(), 1L).factor()[0];
                // the CSV prints h to 6 decimals; the factor's sensitivity to h is O(1)
                assertEquals(expected, TinyRun.num(row, "factor"), 1e-5, "mean-field at h=" + h);
            }
        }
        // the conditions on the sphere, plus the exact condition for dot-product logits
        assertEquals((RequiredFactorFigure.CONDITIONS.size() + 1) * b.sharpnessPoints(), run.rows().size());
    }

    @Test
    void imageAndSeries() throws Exception {
        assertChartPng();
        assertEquals(RequiredFactorFigure.CONDITIONS.size() + 1 + 3, // + dot exact, + three reference lines
                svgSeries());
    }
}
