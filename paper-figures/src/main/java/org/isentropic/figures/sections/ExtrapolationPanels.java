package org.isentropic.figures.sections;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.base.Table;
import org.isentropic.experiments.eval.ClaimsReport;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.Palette;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Figure 8 for a family with registered claims (v3): small multiples read from {@code cells.csv}, one panel per
 * method family or claim, each curve the cell's accuracy against n (log axis) with its 95 % two-level band
 * (dashed, same colour), at most {@value #MAX_SERIES} curves a panel, the legend inside the plot, one accuracy
 * scale for all panels. A panel whose cells are all absent is left out.
 */
final class ExtrapolationPanels {

    static final int MAX_SERIES = 6;
    static final int PANEL_WIDTH = 620;
    static final int PANEL_HEIGHT = 380;

    /** One panel: a title and its curves (label, cell). */
    record Panel(String title, List<String[]> curves) {
    }

    private ExtrapolationPanels() {
    }

    /** The panels of the v3 claims, in reading order. */
    static List<Panel> panels() {
        String c = "softmax-ft";
        List<Panel> p = new ArrayList<>();
        p.add(new Panel("Softmax control (RoPE): temperatures", List.of(
                new String[] {"standard", c + "/rope/standard"}, new String[] {"log-n", c + "/rope/logn"},
                new String[] {"InfoScale", c + "/rope/infoscale"}, new String[] {"oracle", c + "/rope/oracle"},
                new String[] {"isentropic (per row)", c + "/rope/isentropic"},
                new String[] {"windowed |i-j|<=N/2", c + "/window/standard"})));
        p.add(new Panel("CosScale s = 128 vs the control", List.of(
                new String[] {"cos128 standard", "cos128/rope/standard"},
                new String[] {"cos128 InfoScale", "cos128/rope/infoscale"},
                new String[] {"cos128 windowed", "cos128/window/standard"},
                new String[] {"control standard", c + "/rope/standard"},
                new String[] {"control InfoScale", c + "/rope/infoscale"})));
        p.add(new Panel("CosScale across s (RoPE)", List.of(
                new String[] {"s=16 standard", "cos16/rope/standard"}, new String[] {"s=16 InfoScale", "cos16/rope/infoscale"},
                new String[] {"s=32 standard", "cos32/rope/standard"}, new String[] {"s=32 InfoScale", "cos32/rope/infoscale"},
                new String[] {"s=128 standard", "cos128/rope/standard"},
                new String[] {"s=128 InfoScale", "cos128/rope/infoscale"})));
        String[][] methods = {{"window", "windowed"}, {"streaming", "StreamingLLM"}, {"lm-infinite", "LM-Infinite"},
            {"rerope-half", "ReRoPE w=N/2"}, {"ntk", "NTK"}, {"yarn", "YaRN"}};
        for (String[] t : new String[][] {{"standard", "standard"}, {"logn", "log-n"}, {"infoscale", "InfoScale"}}) {
            List<String[]> curves = new ArrayList<>();
            for (String[] m : methods) {
                curves.add(new String[] {m[1], c + "/" + m[0] + "/" + t[0]});
            }
            p.add(new Panel("Baselines on the control, " + t[1], curves));
        }
        p.add(new Panel("PI and ALiBi on the control", List.of(
                new String[] {"PI standard", c + "/pi/standard"}, new String[] {"PI log-n", c + "/pi/logn"},
                new String[] {"PI InfoScale", c + "/pi/infoscale"}, new String[] {"ALiBi standard", c + "/alibi/standard"},
                new String[] {"ALiBi log-n", c + "/alibi/logn"}, new String[] {"ALiBi InfoScale", c + "/alibi/infoscale"})));
        p.add(new Panel("Claim 5: InfoScale vs training at N = 256", List.of(
                new String[] {"N=64, InfoScale", "softmax/rope/infoscale"},
                new String[] {"N=256, standard", "softmax-n256/rope/standard"})));
        return p;
    }

    /**
     * The panels with data as charts; every plotted point goes to {@code data} (label, cell, n, accuracy, lo, hi,
     * loss, lo, hi).
     */
    static List<XYChart> charts(List<ClaimsReport.CellRow> rows, int minN, int maxN, Table data) {
        Map<String, TreeMap<Integer, ClaimsReport.CellRow>> byCell = new java.util.HashMap<>();
        for (ClaimsReport.CellRow r : rows) {
            byCell.computeIfAbsent(r.cell().toString(), k -> new TreeMap<>()).put(r.n(), r);
        }
        // one accuracy scale for every panel, so that panels compare at a glance
        double yMin = Math.floor(rows.stream().mapToDouble(ClaimsReport.CellRow::accuracyLo).min().orElse(0) / 5) * 5;
        double yMax = Math.ceil(rows.stream().mapToDouble(ClaimsReport.CellRow::accuracyHi).max().orElse(100) / 5) * 5;
        List<XYChart> out = new ArrayList<>();
        for (Panel panel : panels()) {
            if (panel.curves().size() > MAX_SERIES) {
                throw new IllegalStateException("panel " + panel.title() + " has more than " + MAX_SERIES + " curves");
            }
            XYChart chart = Charts.xy(panel.title(), "n (characters; trained at N = 64)", "accuracy (%)", PANEL_WIDTH,
                    PANEL_HEIGHT);
            chart.setCustomXAxisTickLabelsFormatter(x -> {
                double r = Math.rint(x);
                return Math.abs(x - r) > 1e-9 || r < 0 ? "" : Long.toString(1L << (long) r);
            });
            chart.getStyler().setXAxisMin(Charts.log2(minN)).setXAxisMax(Charts.log2(maxN));
            chart.getStyler().setYAxisMin(yMin).setYAxisMax(yMax);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 220));
            int colour = 0;
            int plotted = 0;
            for (String[] curve : panel.curves()) {
                TreeMap<Integer, ClaimsReport.CellRow> s = byCell.get(curve[1]);
                Color col = Palette.color(colour++);
                if (s == null) {
                    continue;
                }
                double[][] v = new double[4][s.size()];
                int i = 0;
                for (ClaimsReport.CellRow r : s.values()) {
                    v[0][i] = Charts.log2(r.n());
                    v[1][i] = r.accuracy();
                    v[2][i] = r.accuracyLo();
                    v[3][i] = r.accuracyHi();
                    data.add(curve[0], curve[1], r.n(), r.accuracy(), r.accuracyLo(), r.accuracyHi(), r.loss(),
                            r.lossLo(), r.lossHi());
                    i++;
                }
                Charts.addSeries(chart, curve[0], v[0], v[1], null).setLineColor(col);
                plotted++;
                for (int b = 2; b <= 3; b++) {
                    XYSeries band = Charts.dashed(Charts.addSeries(chart, curve[0] + (b == 2 ? " lo" : " hi"), v[0],
                            v[b], null), false);
                    band.setLineColor(col);
                    band.setShowInLegend(false);
                }
            }
            if (plotted > 0) {
                out.add(chart);
            }
        }
        return out;
    }

    /** A one-line reading: every panel's first and last curve at the longest n. */
    static String reading(List<ClaimsReport.CellRow> rows, int maxN) {
        StringBuilder b = new StringBuilder();
        for (ClaimsReport.CellRow r : rows) {
            if (r.n() == maxN && r.cell().method().equals("rope") && r.cell().temperature().equals("standard")) {
                b.append(String.format(Locale.ROOT, "%s at n = %d: %.1f %% [%.1f, %.1f], loss %.3f nats. ",
                        r.cell(), maxN, r.accuracy(), r.accuracyLo(), r.accuracyHi(), r.loss()));
            }
        }
        return b.toString().trim();
    }

}
