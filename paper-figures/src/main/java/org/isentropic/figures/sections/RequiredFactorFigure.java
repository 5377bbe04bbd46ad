package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.RequiredFactor;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.InvarianceSolver;
import org.knowm.xchart.XYChart;

/**
 * Figure 3: the factor exact entropy invariance requires at the largest length (64 N in the full report)
 * as a function of the entropy at N, for cosine logits on the sphere (with its mean-field and Laplace
 * approximations) and for dot-product logits with Gaussian q and k, with InfoScale, log-n and the
 * exact-Beta cap-cosine ratio as reference lines.
 */
public final class RequiredFactorFigure extends NumberedSection {

    public static final String BASE = "figure-3-required-factor";
    public static final List<Condition> CONDITIONS = List.of(Condition.EXACT, Condition.MEAN_FIELD, Condition.LAPLACE);

    /** Base entropies: evenly spaced from 4 % to 92 % of ln N (the uniform row's entropy). */
    public static double[] baseEntropies(Budget b) {
        double lnN = Math.log(b.trainLength());
        double[] h = new double[b.sharpnessPoints()];
        for (int i = 0; i < h.length; i++) {
            h[i] = lnN * (0.04 + 0.88 * i / (h.length - 1.0));
        }
        return h;
    }

    public RequiredFactorFigure() {
        super(3, "Factor required for exact invariance at the largest length vs sharpness at N");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        int n = b.maxLength();
        LogitModel model = LogitModels.sphere(b.headDim(), 1.0);
        double[] h = baseEntropies(b);
        // Dot-product logits with Gaussian q, k (any norms: holding the base entropy fixes lambda_N): the law of
        // InfoScale's own setting, exact condition only.
        LogitModel dot = LogitModels.gaussian(b.headDim(), Math.sqrt(b.headDim()), Math.sqrt(b.headDim()));
        RequiredFactor rf;
        RequiredFactor rfDot;
        try (Progress p = new Progress("figure 3 base entropies", 2L * h.length)) {
            rf = RequiredFactor.compute(model, b.trainLength(), n, h, CONDITIONS, b.samples(), ctx.seedFor(number()),
                    p::step);
            rfDot = RequiredFactor.compute(dot, b.trainLength(), n, h, List.of(Condition.EXACT), b.samples(),
                    ctx.seedFor(number()) + 1, p::step);
        }
        double info = TemperatureRule.infoScale(b.trainLength(), b.headDim()).factor(n);
        double logn = TemperatureRule.logN(b.trainLength()).factor(n);
        double capExact = InvarianceSolver.capCosineExact(b.headDim(), n)
                / InvarianceSolver.capCosineExact(b.headDim(), b.trainLength());

        Table data = new Table(6, "base_entropy", "model", "condition", "factor", "se", "infoscale", "logn",
                "cap_exact_ratio");
        for (int c = 0; c < CONDITIONS.size(); c++) {
            for (int i = 0; i < h.length; i++) {
                data.add(h[i], "cosine", CONDITIONS.get(c).id(), rf.factor()[c][i], rf.standardError()[c][i], info, logn,
                        capExact);
            }
        }
        for (int i = 0; i < h.length; i++) {
            data.add(h[i], "dot", Condition.EXACT.id(), rfDot.factor()[0][i], rfDot.standardError()[0][i], info, logn,
                    capExact);
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);

        XYChart chart = Charts.xy("Factor needed at n = " + n + " to hold the entropy of N = " + b.trainLength()
                + " (d = " + b.headDim() + ")", "entropy at N = " + b.trainLength()
                + " (nats; ln N = " + num(Math.log(b.trainLength())) + " is uniform)",
                "factor lambda_n / lambda_N (dimensionless)");
        for (int c = 0; c < CONDITIONS.size(); c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (int i = 0; i < h.length; i++) {
                if (Double.isFinite(rf.factor()[c][i])) {
                    xs.add(h[i]);
                    ys.add(rf.factor()[c][i]);
                    es.add(Double.isFinite(rf.standardError()[c][i]) ? rf.standardError()[c][i] : 0.0);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            var series = Charts.addSeries(chart, "cosine logits: " + CONDITIONS.get(c).id(), FactorFigure.toArray(xs),
                    FactorFigure.toArray(ys), CONDITIONS.get(c).monteCarlo() ? FactorFigure.toArray(es) : null);
            if (CONDITIONS.get(c) == Condition.LAPLACE) {
                Charts.dashed(series, true); // lies almost on the mean-field curve: dashed so both show
            }
        }
        addFinite(chart, "dot-product logits: exact", h, rfDot.factor()[0], rfDot.standardError()[0]);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        Charts.addHorizontalReference(chart, "InfoScale " + num(info), info, h[0], h[h.length - 1]);
        Charts.addHorizontalReference(chart, "log-n " + num(logn), logn, h[0], h[h.length - 1]);
        Charts.addHorizontalReference(chart, "exact cap-cosine ratio " + num(capExact), capExact, h[0], h[h.length - 1]);
        ChartFiles.Images img = ChartFiles.save(chart, ctx.outDir(), BASE);

        int exact = CONDITIONS.indexOf(Condition.EXACT);
        double[] xInfo = rf.crossings(exact, info);
        double[] xLogn = rf.crossings(exact, logn);
        double[] xInfoDot = rfDot.crossings(0, info);
        double[] xLognDot = rfDot.crossings(0, logn);
        double minF = Double.POSITIVE_INFINITY;
        double maxF = Double.NEGATIVE_INFINITY;
        for (double f : rf.factor()[exact]) {
            if (Double.isFinite(f)) {
                minF = Math.min(minF, f);
                maxF = Math.max(maxF, f);
            }
        }
        String reading = String.format(Locale.ROOT,
                "Over base entropies from %s to %s nats the exact factor needed at n = %d ranges from %s to %s for "
                + "cosine logits, against %s for InfoScale and %s for log-n: %s and %s. For dot-product logits with "
                + "Gaussian q and k, %s and %s.",
                num(h[0]), num(h[h.length - 1]), n, num(minF), num(maxF), num(info), num(logn),
                where("InfoScale", xInfo, h), where("log-n", xLogn, h), where("InfoScale", xInfoDot, h),
                where("log-n", xLognDot, h));
        Table key = new Table(4, "entropy at N (nats)", "cosine: exact", "+- se", "cosine: mean-field",
                "cosine: Laplace", "dot: exact", "+- se ", "InfoScale", "log-n");
        for (int i = 0; i < h.length; i++) {
            key.add(h[i], rf.factor()[exact][i], rf.standardError()[exact][i],
                    rf.factor()[CONDITIONS.indexOf(Condition.MEAN_FIELD)][i],
                    rf.factor()[CONDITIONS.indexOf(Condition.LAPLACE)][i], rfDot.factor()[0][i],
                    rfDot.standardError()[0][i], info, logn);
        }
        Map<String, Double> k = new LinkedHashMap<>();
        k.put("exact_min", minF);
        k.put("exact_max", maxF);
        k.put("infoscale", info);
        k.put("logn", logn);
        for (int j = 0; j < xInfo.length; j++) {
            k.put("infoscale_exact_at_entropy_" + j, xInfo[j]);
        }
        for (int j = 0; j < xLogn.length; j++) {
            k.put("logn_exact_at_entropy_" + j, xLogn[j]);
        }
        for (int j = 0; j < xInfoDot.length; j++) {
            k.put("dot_infoscale_exact_at_entropy_" + j, xInfoDot[j]);
        }
        for (int j = 0; j < xLognDot.length; j++) {
            k.put("dot_logn_exact_at_entropy_" + j, xLognDot[j]);
        }
        return new SectionResult(number(), title(), true, List.of(img.png().getFileName().toString()), List.of(csv),
                reading, key, k, "theory sphere model (cosine logits) and Gaussian model (dot-product logits) in R^"
                        + b.headDim() + ", base entropy held at N = "
                        + b.trainLength() + ", solved at n = " + n + " by InvarianceSolver (exact: " + b.samples()
                        + " Monte Carlo rows per length, common random numbers)");
    }

    private static void addFinite(XYChart chart, String name, double[] x, double[] y, double[] se) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
                es.add(Double.isFinite(se[i]) ? se[i] : 0.0);
            }
        }
        if (!xs.isEmpty()) {
            Charts.addSeries(chart, name, FactorFigure.toArray(xs), FactorFigure.toArray(ys), FactorFigure.toArray(es));
        }
    }

    private static String where(String rule, double[] crossings, double[] h) {
        if (crossings.length == 0) {
            return rule + " is exact nowhere on this range of base entropies";
        }
        StringBuilder sb = new StringBuilder(rule + " is exact at a base entropy of about ");
        for (int j = 0; j < crossings.length; j++) {
            sb.append(j > 0 ? " and " : "").append(num(crossings[j]));
        }
        return sb.append(" nats").toString();
    }
}
