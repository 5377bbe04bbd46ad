package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isentropic.figures.analysis.FactorCurves;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.ImageChecks;
import org.isentropic.figures.charts.SeriesGroups;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactorFigureTest {

    /** The CSV prints 6 decimals: a cell is within half a unit of the 6th decimal of the value. */
    static final double CSV_ROUNDING = 0.5e-6;

    @TempDir
    static Path dir;
    static FigureContext ctx;
    static SectionResult result;
    static List<Map<String, String>> rows;

    @BeforeAll
    static void render() throws Exception {
        ctx = TinyRun.context(dir);
        result = new FactorFigure().render(ctx);
        rows = TinyRun.csv(dir.resolve(FactorFigure.BASE + ".csv"));
    }

    @Test
    void infoScaleAndLogNColumnsEqualTheRules() {
        Budget b = ctx.budget();
        TemperatureRule info = TemperatureRule.infoScale(b.trainLength(), b.headDim());
        TemperatureRule logn = TemperatureRule.logN(b.trainLength());
        for (Map<String, String> row : rows) {
            int n = (int) TinyRun.num(row, "n");
            assertEquals(info.factor(n), TinyRun.num(row, "infoscale"), CSV_ROUNDING, "infoscale at n=" + n);
            assertEquals(logn.factor(n), TinyRun.num(row, "logn"), CSV_ROUNDING, "logn at n=" + n);
            assertEquals(1.0, TinyRun.num(row, "standard"), 0.0);
        }
    }

    @Test
    void everyRegisteredRuleHasAColumnAndTheGridSpansNOver4ToMax() {
        for (String id : TemperatureRules.ids()) {
            assertTrue(rows.get(0).containsKey(id), "column " + id);
        }
        assertEquals(ctx.budget().trainLength() / 4, (int) TinyRun.num(rows.get(0), "n"));
        assertEquals(ctx.budget().maxLength(), (int) TinyRun.num(rows.get(rows.size() - 1), "n"));
    }

    @Test
    void derivedColumnIsTheSolversTable() {
        var derived = ReferenceSetup.derivedEntropy(ctx);
        for (Map<String, String> row : rows) {
            int n = (int) TinyRun.num(row, "n");
            for (int i = 0; i < derived.lengths().length; i++) {
                if (derived.lengths()[i] == n) {
                    assertEquals(derived.factor()[i], TinyRun.num(row, "derived"), CSV_ROUNDING, "derived at n=" + n);
                }
            }
        }
    }

    @Test
    void imageAndSeries() throws Exception {
        ImageChecks.assertChartPng(dir.resolve(FactorFigure.BASE + ".png"), Charts.WIDTH, Charts.HEIGHT);
        Budget b = ctx.budget();
        FactorCurves curves = FactorCurves.compute(ReferenceSetup.ruleParameters(ctx), b.trainLength() / 4,
                b.maxLength(), 8);
        int expected = SeriesGroups.identical(curves.factors()).size() + 1; // + the training-length line
        assertEquals(expected, ImageChecks.svgSeriesCount(dir.resolve(FactorFigure.BASE + ".svg")));
        assertTrue(result.reading().contains(Charts.num(TemperatureRule.infoScale(b.trainLength(), b.headDim())
                .factor(b.maxLength()))), result.reading());
    }
}
