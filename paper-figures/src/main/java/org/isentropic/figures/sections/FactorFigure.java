package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.FactorCurves;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.SeriesGroups;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.theory.rules.RuleParameters;
import org.knowm.xchart.XYChart;

/**
 * Figure 1: the temperature factor of every registered rule against the length n, N and d of the budget
 * (64 and 128 in the full report), on a log2 length axis from N/4 to the largest length, N marked.
 */
public final class FactorFigure extends NumberedSection {

    public static final String BASE = "figure-1-factors";

    public FactorFigure() {
        super(1, "Temperature factor vs length for every rule");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        RuleParameters params = ReferenceSetup.ruleParameters(ctx);
        int minLength = Math.max(1, b.trainLength() / 4);
        FactorCurves curves = FactorCurves.compute(params, minLength, b.maxLength(), 8);
        Table data = dataTable(curves);
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);

        XYChart chart = Charts.lengthChart("Temperature factor of each rule (N = " + b.trainLength() + ", d = "
                + b.headDim() + ")", "n (keys per attention row; per-position rules: position n)",
                "factor on the logits (dimensionless)", minLength, b.maxLength());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<String> ids = new ArrayList<>();
        curves.rules().forEach(rule -> ids.add(rule.id().equals("derived") ? "derived (exact invariance, s = "
                + Charts.compact(ReferenceSetup.ENTROPY_MODEL_SCALE) + ")" : rule.id()));
        for (int[] group : SeriesGroups.identical(curves.factors())) {
            int r = group[0];
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < curves.lengths().length; i++) {
                double f = curves.factors()[r][i];
                if (Double.isFinite(f)) {
                    xs.add((double) curves.lengths()[i]);
                    ys.add(f);
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                }
            }
            Charts.addLengthSeries(chart, SeriesGroups.label(group, ids), toArray(xs), toArray(ys), null);
        }
        Charts.addVerticalReference(chart, "training length N = " + b.trainLength(), Charts.log2(b.trainLength()),
                lo, hi);
        ChartFiles.Images img = ChartFiles.save(chart, ctx.outDir(), BASE);

        int last = curves.lengths().length - 1;
        int maxN = curves.lengths()[last];
        int info = curves.indexOf("infoscale");
        int logn = curves.indexOf("logn");
        double fi = curves.factors()[info][last];
        double fl = curves.factors()[logn][last];
        int argMax = -1;
        int argMin = -1;
        for (int r = 0; r < curves.rules().size(); r++) {
            double f = curves.factors()[r][last];
            if (!Double.isFinite(f)) {
                continue;
            }
            if (argMax < 0 || f > curves.factors()[argMax][last]) {
                argMax = r;
            }
            if (argMin < 0 || f < curves.factors()[argMin][last]) {
                argMin = r;
            }
        }
        String ratio = Charts.compact((double) maxN / b.trainLength());
        String reading = String.format(java.util.Locale.ROOT,
                "At n = %d (%sx N), InfoScale multiplies the logits by %s and log-n by %s, so InfoScale squared (%s) "
                + "stays %s ln n / ln N (%s), as the concavity bound 1 <= lambda^2 <= ln n / ln N predicts. "
                + "The largest factor at that length is %s's (%s) and the smallest %s's (%s); the %d rules draw %d "
                + "distinct curves%s.",
                maxN, ratio, num(fi), num(fl), num(fi * fi), fi * fi <= fl + 1e-12 ? "at or below" : "ABOVE", num(fl),
                curves.rules().get(argMax).id(), num(curves.factors()[argMax][last]),
                curves.rules().get(argMin).id(), num(curves.factors()[argMin][last]),
                curves.rules().size(), SeriesGroups.identical(curves.factors()).size(), largestGroup(curves, ids));
        Map<String, Double> key = new LinkedHashMap<>();
        key.put("infoscale_at_max", fi);
        key.put("logn_at_max", fl);
        key.put("max_length", (double) maxN);
        return new SectionResult(number(), title(), true, List.of(img.png().getFileName().toString()), List.of(csv),
                reading, keyTable(curves, b), key,
                "rules from the registry with N = " + b.trainLength() + ", d = " + b.headDim()
                        + ", default parameters" + (params.hasDerived() ? "; derived = " + ReferenceSetup.derivedLabel(ctx)
                        : ""));
    }

    static Table dataTable(FactorCurves curves) {
        List<String> cols = new ArrayList<>();
        cols.add("n");
        curves.rules().forEach(r -> cols.add(r.id()));
        Table t = new Table(6, cols);
        for (int i = 0; i < curves.lengths().length; i++) {
            Object[] row = new Object[cols.size()];
            row[0] = curves.lengths()[i];
            for (int r = 0; r < curves.rules().size(); r++) {
                row[r + 1] = curves.factors()[r][i];
            }
            t.add(row);
        }
        return t;
    }

    private static Table keyTable(FactorCurves curves, Budget b) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < curves.lengths().length; i++) {
            int n = curves.lengths()[i];
            if (n >= b.trainLength() && Integer.bitCount(n / b.trainLength()) == 1 && n % b.trainLength() == 0) {
                shown.add(i);
            }
        }
        List<String> cols = new ArrayList<>(List.of("rule", "formula"));
        shown.forEach(i -> cols.add("n=" + curves.lengths()[i]));
        Table t = new Table(4, cols);
        for (int r = 0; r < curves.rules().size(); r++) {
            Object[] row = new Object[cols.size()];
            row[0] = curves.rules().get(r).id();
            row[1] = curves.rules().get(r).formula();
            for (int k = 0; k < shown.size(); k++) {
                row[k + 2] = curves.factors()[r][shown.get(k)];
            }
            t.add(row);
        }
        return t;
    }

    private static String largestGroup(FactorCurves curves, List<String> ids) {
        int[] best = null;
        for (int[] g : SeriesGroups.identical(curves.factors())) {
            if (best == null || g.length > best.length) {
                best = g;
            }
        }
        return best.length > 1 ? " (identical ones share a line, e.g. " + SeriesGroups.label(best, ids) + ")" : "";
    }

    static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
