package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.figures.analysis.KernelEntropy;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.cli.Progress;
import org.isentropic.figures.cli.Table;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.knowm.xchart.XYChart;

/**
 * Figure 2: mean attention entropy vs length measured by the fused kernel on the theory's sphere model,
 * for the standard, log-n, InfoScale and derived factors (mean +- standard error), with the entropy at N
 * as a reference line.
 */
public final class KernelEntropyFigure implements ReportSection {

    public static final String BASE = "figure-2-kernel-entropy";
    /** The rules shown, by registry id. */
    public static final List<String> RULES = List.of("standard", "logn", "infoscale", "derived");

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "Mean attention entropy vs length, measured by the kernels";
    }

    @Override
    public SectionResult render(FigureContext ctx) throws IOException {
        Budget b = ctx.budget();
        LogitModel model = ReferenceSetup.entropyModel(b);
        RuleParameters params = ReferenceSetup.ruleParameters(ctx);
        List<TemperatureRule> rules = new ArrayList<>();
        for (String id : RULES) {
            rules.add(TemperatureRules.create(id, params));
        }
        int[] ns = b.lengths();
        KernelEntropy e;
        try (Progress p = new Progress("figure 2 lengths", ns.length)) {
            e = KernelEntropy.measure(model, ns, rules, AttentionKernels.fused(ctx.threads()), b.kernelRepetitions(),
                    b.samples(), ctx.seedFor(number()), p::step);
        }
        Table data = new Table(6, "rule", "n", "factor", "kernel_mean_entropy", "kernel_se", "theory_mc_entropy",
                "theory_se", "repetitions");
        for (int r = 0; r < rules.size(); r++) {
            for (int i = 0; i < ns.length; i++) {
                data.add(rules.get(r).id(), ns[i], rules.get(r).factor(ns[i]), e.mean()[r][i], e.standardError()[r][i],
                        e.theory()[r][i], e.theoryError()[r][i], e.repetitions());
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);

        double[] x = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            x[i] = ns[i];
        }
        double hN = e.mean()[0][0];
        XYChart chart = Charts.lengthChart("Row entropy by the fused kernel (s cos(q, k), s = "
                + Charts.compact(ReferenceSetup.ENTROPY_MODEL_SCALE) + ", d = " + b.headDim() + ")",
                "n (keys per attention row)", "mean row entropy (nats)", ns[0], ns[ns.length - 1]);
        for (int r = 0; r < rules.size(); r++) {
            String id = rules.get(r).id();
            Charts.addLengthSeries(chart, id.equals("derived") ? "derived (exact invariance)" : id, x, e.mean()[r],
                    e.standardError()[r]);
        }
        Charts.addHorizontalReference(chart, "entropy at N = " + b.trainLength(), hN, Charts.log2(ns[0]),
                Charts.log2(ns[ns.length - 1]));
        ChartFiles.Images img = ChartFiles.save(chart, ctx.outDir(), BASE);

        int last = ns.length - 1;
        double worstZ = 0;
        for (int r = 0; r < rules.size(); r++) {
            for (int i = 0; i < ns.length; i++) {
                double z = Math.abs(e.mean()[r][i] - e.theory()[r][i])
                        / Math.hypot(e.standardError()[r][i], e.theoryError()[r][i]);
                worstZ = Math.max(worstZ, z);
            }
        }
        int std = RULES.indexOf("standard");
        int logn = RULES.indexOf("logn");
        int info = RULES.indexOf("infoscale");
        int der = RULES.indexOf("derived");
        String reading = String.format(Locale.ROOT,
                "With the entropy at N = %d at %s nats, the fused kernel measures %s nats at n = %d under the standard "
                + "factor, %s under InfoScale, %s under log-n and %s under the derived factor (each +- about %s), "
                + "so %s. The kernel's means agree with the theory's Monte Carlo expectation within %s combined "
                + "standard errors at every point.",
                b.trainLength(), num(hN), num(e.mean()[std][last]), ns[last], num(e.mean()[info][last]),
                num(e.mean()[logn][last]), num(e.mean()[der][last]), num(maxSe(e, last)),
                verdict(e, hN, last, info, logn), num(worstZ));
        Table key = new Table(4, "rule", "n", "factor", "kernel H (nats)", "+- se", "theory H (nats)");
        for (int r = 0; r < rules.size(); r++) {
            for (int i = 0; i < ns.length; i++) {
                if (i == 0 || i == last || ns[i] == 8 * b.trainLength()) {
                    key.add(rules.get(r).id(), ns[i], rules.get(r).factor(ns[i]), e.mean()[r][i],
                            e.standardError()[r][i], e.theory()[r][i]);
                }
            }
        }
        Map<String, Double> k = new LinkedHashMap<>();
        k.put("entropy_at_N", hN);
        for (int r = 0; r < rules.size(); r++) {
            k.put(rules.get(r).id() + "_entropy_at_max", e.mean()[r][last]);
        }
        k.put("worst_z_kernel_vs_theory", worstZ);
        return new SectionResult(number(), title(), true, List.of(img.png().getFileName().toString()), List.of(csv),
                reading, key, k, "fused kernel (" + ctx.threads() + " threads), cosine logits s cos(q, k) with s = "
                        + Charts.compact(ReferenceSetup.ENTROPY_MODEL_SCALE) + ", q and k uniform on the sphere of R^"
                        + b.headDim() + " (verification's AttentionInputs.fromModel), rule n = sequence length, "
                        + e.repetitions() + " kernel calls of n rows per point; derived = "
                        + ReferenceSetup.derivedLabel(ctx));
    }

    private static double maxSe(KernelEntropy e, int i) {
        double m = 0;
        for (double[] se : e.standardError()) {
            m = Math.max(m, se[i]);
        }
        return m;
    }

    /** Which of InfoScale and log-n lands closer to the entropy at N, from the numbers. */
    private static String verdict(KernelEntropy e, double hN, int last, int info, int logn) {
        double di = e.mean()[info][last] - hN;
        double dl = e.mean()[logn][last] - hN;
        String closer = Math.abs(di) < Math.abs(dl) ? "InfoScale" : "log-n";
        return String.format(Locale.ROOT, "InfoScale ends %s nats %s the entropy at N and log-n %s nats %s it; %s "
                + "is closer on this model", num(Math.abs(di)), di >= 0 ? "above" : "below", num(Math.abs(dl)),
                dl >= 0 ? "above" : "below", closer);
    }
}
