package org.isentropic.figures.sections;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.isentropic.experiments.eval.Method;
import org.isentropic.experiments.eval.RetrievalAnalysis;
import org.isentropic.experiments.eval.RetrievalProbe;
import org.isentropic.experiments.eval.Temperature;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.ChartGrid;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.Palette;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The retrieval probe's figure (issue 24), written by {@code isentropic experiment retrieval} beside its report:
 * accuracy above the floor against the distance D (log axis), small multiples laid out by {@link ChartGrid} as figure
 * 8's are, one panel per checkpoint family (a family with more than {@value ExtrapolationPanels#MAX_SERIES} curves is
 * split into RoPE and the other methods), one curve per method and temperature with its 95 % two-level band (shaded,
 * same colour), D &lt;= {@value RetrievalProbe#MAX_SHORT} read from the window of N and larger D from the full window
 * ({@link RetrievalProbe#windowFor}), one y scale for every panel, 0 (the floor) drawn dashed. A second figure,
 * {@value #FULL_WINDOW_BASE}, draws every D from the full window of {@value RetrievalProbe#WINDOW} (where short
 * distances too are read among thousands of keys).
 */
public final class RetrievalFigure {

    public static final String BASE = "retrieval-above-floor";
    public static final String FULL_WINDOW_BASE = "retrieval-above-floor-full-window";
    static final int MIN_D = 16;

    /** One panel: its title and its curves, each a cell's rows in the registered windows, ascending in D. */
    record Panel(String title, List<List<RetrievalAnalysis.CellRow>> curves) {
    }

    private RetrievalFigure() {
    }

    /**
     * Writes {@value #BASE}{@code .png} and {@code .svg} into {@code dir}; null when no row is in a registered window
     * (nothing to plot).
     */
    public static ChartFiles.Images save(List<RetrievalAnalysis.CellRow> rows, Path dir) throws IOException {
        List<Panel> panels = panels(rows, RetrievalAnalysis.CellRow::registeredWindow, "");
        return panels.isEmpty() ? null : ChartGrid.save(charts(panels), 2, dir, BASE);
    }

    /**
     * Writes {@value #FULL_WINDOW_BASE}{@code .png} and {@code .svg}: every D read from the full window; null when no
     * row is in it.
     */
    public static ChartFiles.Images saveFullWindow(List<RetrievalAnalysis.CellRow> rows, Path dir) throws IOException {
        List<Panel> panels = panels(rows, r -> r.n() == RetrievalProbe.WINDOW, " (window of " + RetrievalProbe.WINDOW
                + ")");
        return panels.isEmpty() ? null : ChartGrid.save(charts(panels), 2, dir, FULL_WINDOW_BASE);
    }

    /** The panels of the rows {@code keep} passes, in the rows' order of checkpoints, their titles + suffix. */
    static List<Panel> panels(List<RetrievalAnalysis.CellRow> rows, Predicate<RetrievalAnalysis.CellRow> keep,
            String suffix) {
        Map<String, Map<String, List<RetrievalAnalysis.CellRow>>> byFamily = new LinkedHashMap<>();
        for (RetrievalAnalysis.CellRow r : rows) {
            if (keep.test(r)) {
                byFamily.computeIfAbsent(r.cell().checkpoint(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.cell().method() + "/" + r.cell().temperature(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Panel> out = new ArrayList<>();
        byFamily.forEach((family, curves) -> {
            List<List<RetrievalAnalysis.CellRow>> all = new ArrayList<>(curves.values());
            all.forEach(c -> c.sort(java.util.Comparator.comparingInt(RetrievalAnalysis.CellRow::distance)));
            if (all.size() <= ExtrapolationPanels.MAX_SERIES) {
                out.add(new Panel(family + suffix, all));
                return;
            }
            List<List<RetrievalAnalysis.CellRow>> rope = all.stream().filter(c -> rope(c)).toList();
            List<List<RetrievalAnalysis.CellRow>> others = all.stream().filter(c -> !rope(c)).toList();
            chunks(family + ": RoPE" + suffix, rope, out);
            chunks(family + ": other methods" + suffix, others, out);
        });
        return out;
    }

    private static boolean rope(List<RetrievalAnalysis.CellRow> curve) {
        return curve.get(0).cell().method().equals(Method.ROPE.id());
    }

    private static void chunks(String title, List<List<RetrievalAnalysis.CellRow>> curves, List<Panel> out) {
        int max = ExtrapolationPanels.MAX_SERIES;
        for (int i = 0; i < curves.size(); i += max) {
            String part = curves.size() > max ? " (" + (i / max + 1) + ")" : "";
            out.add(new Panel(title + part, curves.subList(i, Math.min(curves.size(), i + max))));
        }
    }

    /** A curve's legend label: the method and the temperature as the report names them. */
    static String label(RetrievalAnalysis.CellRow r) {
        String method = Method.parse(r.cell().method()).label();
        String[] t = r.cell().temperature().split("@", 2);
        String temperature = Temperature.parse(t[0]).label().split(" \\(")[0];
        return method + ", " + temperature + (t.length == 2 ? " [" + t[1] + "]" : "");
    }

    static List<XYChart> charts(List<Panel> panels) {
        double lo = 0;
        double hi = 0;
        for (Panel p : panels) {
            for (List<RetrievalAnalysis.CellRow> c : p.curves()) {
                for (RetrievalAnalysis.CellRow r : c) {
                    lo = Math.min(lo, Double.isNaN(r.aboveLo()) ? r.above() : r.aboveLo());
                    hi = Math.max(hi, Double.isNaN(r.aboveHi()) ? r.above() : r.aboveHi());
                }
            }
        }
        double yMin = Math.floor(lo / 5) * 5 - 5;
        double yMax = Math.ceil(hi / 5) * 5 + 5;
        int maxD = RetrievalProbe.WINDOW;
        List<XYChart> out = new ArrayList<>();
        for (Panel p : panels) {
            XYChart chart = Charts.lengthChart(p.title(), "D (characters from the source; trained at N = 64)",
                    "accuracy above the floor (points)", MIN_D, maxD);
            chart.getStyler().setYAxisMin(yMin).setYAxisMax(yMax);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 220));
            XYSeries floor = Charts.addHorizontalReference(chart, "floor", 0, Charts.log2(MIN_D), Charts.log2(maxD));
            floor.setLineColor(Color.GRAY);
            floor.setShowInLegend(false);
            int colour = 0;
            for (List<RetrievalAnalysis.CellRow> curve : p.curves()) {
                Color col = Palette.color(colour++);
                String name = label(curve.get(0));
                int k = curve.size();
                double[] d = new double[k];
                double[] y = new double[k];
                double[] bandX = new double[2 * k];
                double[] bandY = new double[2 * k];
                boolean band = true;
                for (int i = 0; i < k; i++) {
                    RetrievalAnalysis.CellRow r = curve.get(i);
                    d[i] = r.distance();
                    y[i] = r.above();
                    bandX[i] = Charts.log2(r.distance());
                    bandX[2 * k - 1 - i] = bandX[i];
                    bandY[i] = r.aboveLo();
                    bandY[2 * k - 1 - i] = r.aboveHi();
                    band &= !Double.isNaN(r.aboveLo());
                }
                if (band) {
                    XYSeries s = chart.addSeries(name + " band", bandX, bandY);
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                    Color shade = new Color(col.getRed(), col.getGreen(), col.getBlue(), 50);
                    s.setFillColor(shade);
                    s.setLineColor(shade);
                    s.setMarker(SeriesMarkers.NONE);
                    s.setShowInLegend(false);
                }
                XYSeries line = Charts.addLengthSeries(chart, name, d, y, null);
                line.setLineColor(col);
                line.setMarkerColor(col);
            }
            out.add(chart);
        }
        return out;
    }
}
