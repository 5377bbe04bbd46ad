package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.figures.charts.SeriesGroups;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRules;
import org.junit.jupiter.api.Test;

class DilutionFigureTest extends RenderedFigureTest {

    DilutionFigureTest() {
        super(new DilutionFigure(), DilutionFigure.BASE);
    }

    @Test
    void factorsComeFromTheRegistryAndMassesAreProbabilities() {
        RuleParameters p = RuleParameters.of(budget().trainLength(), budget().headDim());
        for (Map<String, String> row : run.rows()) {
            String id = row.get("rule");
            int n = (int) TinyRun.num(row, "n");
            if (!id.equals("derived")) {
                assertEquals(TemperatureRules.create(id, p).factor(n), TinyRun.num(row, "factor"), TinyRun.CSV_ROUNDING,
                        id);
            }
            double m = TinyRun.num(row, "focus_mass");
            assertTrue(m >= 0 && m <= 1, "mass " + m + " in " + row);
        }
    }

    @Test
    void rulesWithTheSameFactorAtNKeepTheSameMassThere() {
        int n = budget().trainLength();
        Map<Double, Double> massByFactor = new LinkedHashMap<>();
        for (Map<String, String> row : run.rows()) {
            if ((int) TinyRun.num(row, "n") == n) {
                double f = TinyRun.num(row, "factor");
                Double prev = massByFactor.putIfAbsent(f, TinyRun.num(row, "focus_mass"));
                if (prev != null) {
                    assertEquals(prev, TinyRun.num(row, "focus_mass"), TinyRun.CSV_ROUNDING, row.toString());
                }
            }
        }
    }

    @Test
    void imageAndSeries() throws Exception {
        assertChartPng();
        Map<String, List<Double>> byRule = new LinkedHashMap<>();
        for (Map<String, String> row : run.rows()) {
            byRule.computeIfAbsent(row.get("rule"), k -> new ArrayList<>()).add(TinyRun.num(row, "focus_mass"));
        }
        double[][] curves = byRule.values().stream()
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
        // the CSV rounds to 6 decimals, so identical curves are still identical there
        int expected = SeriesGroups.identical(curves).size();
        assertEquals(expected, svgSeries());
    }
}
