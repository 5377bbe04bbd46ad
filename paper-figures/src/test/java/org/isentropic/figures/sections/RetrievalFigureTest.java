package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isentropic.experiments.eval.CellRef;
import org.isentropic.experiments.eval.RetrievalAnalysis;
import org.isentropic.experiments.eval.RetrievalProbe;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.ImageChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalFigureTest {

    @TempDir
    Path dir;

    /** Made-up rows: every D in its registered window, and D = 32 also in the full window (not plotted). */
    static List<RetrievalAnalysis.CellRow> rows(String cell, double atN) {
        List<RetrievalAnalysis.CellRow> out = new ArrayList<>();
        for (int d : RetrievalProbe.DISTANCES) {
            double above = d <= RetrievalProbe.MAX_SHORT ? atN : atN / Math.log(d);
            out.add(row(cell, d, RetrievalProbe.windowFor(d), above));
        }
        out.add(row(cell, 32, RetrievalProbe.WINDOW, -50));
        return out;
    }

    static RetrievalAnalysis.CellRow row(String cell, int d, int n, double above) {
        return new RetrievalAnalysis.CellRow(CellRef.parse(cell, "t"), d, n, List.of(1, 2, 3), 16, 400, above + 5, 5,
                above, above - 4, above + 4, 1.0, 3.0, 0.2);
    }

    @Test
    void onePanelPerCheckpointFamilyAtMostSixCurvesEachWithItsBand() throws Exception {
        List<RetrievalAnalysis.CellRow> rows = new ArrayList<>();
        String c = "copy-softmax-ft";
        for (String t : List.of("standard", "logn", "infoscale", "oracle", "isentropic")) {
            rows.addAll(rows(c + "/rope/" + t, 80));
        }
        for (String m : List.of("window", "streaming", "lm-infinite")) {
            rows.addAll(rows(c + "/" + m + "/standard", 60));
        }
        rows.addAll(rows("copy-cos128/rope/standard", 70));
        rows.addAll(rows("copy-cos128/rope/infoscale", 75));
        List<RetrievalFigure.Panel> panels = RetrievalFigure.panels(rows, RetrievalAnalysis.CellRow::registeredWindow, "");
        assertEquals(List.of("copy-softmax-ft: RoPE", "copy-softmax-ft: other methods", "copy-cos128"),
                panels.stream().map(RetrievalFigure.Panel::title).toList());
        assertEquals(List.of(5, 3, 2), panels.stream().map(p -> p.curves().size()).toList());
        for (RetrievalFigure.Panel p : panels) {
            assertTrue(p.curves().size() <= ExtrapolationPanels.MAX_SERIES);
            for (List<RetrievalAnalysis.CellRow> curve : p.curves()) {
                assertEquals(RetrievalProbe.DISTANCES.length, curve.size(), "the full-window row at D = 32 is left out");
                assertTrue(curve.stream().allMatch(RetrievalAnalysis.CellRow::registeredWindow));
            }
        }
        assertEquals("RoPE, InfoScale", RetrievalFigure.label(panels.get(0).curves().get(2).get(0)));
        assertEquals("Windowed w=N/2, standard", RetrievalFigure.label(panels.get(1).curves().get(0).get(0)));

        ChartFiles.Images img = RetrievalFigure.save(rows, dir);
        assertEquals(dir.resolve(RetrievalFigure.BASE + ".png"), img.png());
        ImageChecks.assertChartPng(img.png(), 2 * Charts.WIDTH, 2 * Charts.HEIGHT);
        assertTrue(Files.size(img.svg()) > 1000);
        assertEquals(5, ImageChecks.svgSeriesCount(img.svg()), "five distinct colours in the largest panel");
    }

    @Test
    void theFullWindowFigureReadsEveryDistanceFromTheWindowOf4096() throws Exception {
        List<RetrievalAnalysis.CellRow> rows = new ArrayList<>(rows("copy-cos128/rope/standard", 70));
        for (int d : RetrievalProbe.DISTANCES) {
            if (d <= RetrievalProbe.MAX_SHORT && d != 32) {
                rows.add(row("copy-cos128/rope/standard", d, RetrievalProbe.WINDOW, -40));
            }
        }
        List<RetrievalFigure.Panel> panels = RetrievalFigure.panels(rows, r -> r.n() == RetrievalProbe.WINDOW,
                " (window of 4096)");
        assertEquals(List.of("copy-cos128 (window of 4096)"), panels.stream().map(RetrievalFigure.Panel::title).toList());
        List<RetrievalAnalysis.CellRow> curve = panels.get(0).curves().get(0);
        assertEquals(RetrievalProbe.DISTANCES.length, curve.size());
        assertTrue(curve.stream().allMatch(r -> r.n() == RetrievalProbe.WINDOW));
        assertEquals(List.of(-40.0, -50.0, -40.0), curve.subList(0, 3).stream().map(RetrievalAnalysis.CellRow::above)
                .toList(), "D <= 48 from the full window, not from the window of N");
        ChartFiles.Images img = RetrievalFigure.saveFullWindow(rows, dir);
        assertEquals(dir.resolve(RetrievalFigure.FULL_WINDOW_BASE + ".png"), img.png());
        ImageChecks.assertChartPng(img.png(), Charts.WIDTH, Charts.HEIGHT);
    }

    @Test
    void nothingToPlotWritesNothing() throws Exception {
        assertNull(RetrievalFigure.save(List.of(row("a/rope/standard", 32, RetrievalProbe.WINDOW, 1)), dir));
        assertTrue(Files.list(dir).findAny().isEmpty());
    }
}
