package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.isentropic.figures.analysis.FactorCurves;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.SeriesGroups;
import org.isentropic.figures.report.Budget;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.junit.jupiter.api.Test;

class FactorFigureTest extends RenderedFigureTest {

    FactorFigureTest() {
        super(new FactorFigure(), FactorFigure.BASE);
    }

    @Test
    void infoScaleAndLogNColumnsEqualTheRules() {
        Budget b = budget();
        TemperatureRule info = TemperatureRule.infoScale(b.trainLength(), b.headDim());
        TemperatureRule logn = TemperatureRule.logN(b.trainLength());
        for (Map<String, String> row : run.rows()) {
            int n = (int) TinyRun.num(row, "n");
            assertEquals(info.factor(n), TinyRun.num(row, "infoscale"), TinyRun.CSV_ROUNDING, "infoscale at n=" + n);
            assertEquals(logn.factor(n), TinyRun.num(row, "logn"), TinyRun.CSV_ROUNDING, "logn at n=" + n);
            assertEquals(1.0, TinyRun.num(row, "standard"), 0.0);
        }
    }

    @Test
    void everyRegisteredRuleHasAColumnAndTheGridSpansNOver4ToMax() {
        for (String id : TemperatureRules.ids()) {
            assertTrue(run.rows().get(0).containsKey(id), "column " + id);
        }
        assertEquals(budget().trainLength() / 4, (int) TinyRun.num(run.rows().get(0), "n"));
        assertEquals(budget().maxLength(), (int) TinyRun.num(run.rows().get(run.rows().size() - 1), "n"));
    }

    @Test
    void derivedColumnIsTheSolversTable() {
        var derived = ReferenceSetup.derivedEntropy(run.context());
        for (Map<String, String> row : run.rows()) {
            int n = (int) TinyRun.num(row, "n");
            for (int i = 0; i < derived.lengths().length; i++) {
                if (derived.lengths()[i] == n) {
                    assertEquals(derived.factor()[i], TinyRun.num(row, "derived"), TinyRun.CSV_ROUNDING,
                            "derived at n=" + n);
                }
            }
        }
    }

    @Test
    void imageAndSeries() throws Exception {
        assertChartPng();
        Budget b = budget();
        FactorCurves curves = FactorCurves.compute(ReferenceSetup.ruleParameters(run.context()), b.trainLength() / 4,
                b.maxLength(), 8);
        int expected = SeriesGroups.identical(curves.factors()).size() + 1; // + the training-length line
        assertEquals(expected, svgSeries());
        assertTrue(run.result().reading().contains(Charts.num(TemperatureRule.infoScale(b.trainLength(), b.headDim())
                .factor(b.maxLength()))), run.result().reading());
    }
}
