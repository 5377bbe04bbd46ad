package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.KernelEntropy;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.isentropic.theory.solvers.DerivedFactors;
import org.knowm.xchart.XYChart;

/**
 * Figure 2: mean attention entropy vs length measured by the fused kernel on two theory models, for the
 * standard, log-n, InfoScale and derived factors (mean +- standard error), with the entropy at N as a
 * reference line: (a) cosine logits {@code s cos(q, k)} with s = 128 on the sphere (CosScale's setting);
 * (b) dot-product logits {@code q . k / sqrt(d)} with Gaussian q and k (InfoScale's setting).
 */
public final class KernelEntropyFigure extends NumberedSection {

    /** File name stem of panel (a); panel (b) is {@link #BASE_DOT}. Both rows are in {@link #BASE}.csv. */
    public static final String BASE = "figure-2-kernel-entropy";
    public static final String BASE_DOT = "figure-2b-kernel-entropy-dot";
    /** The rules shown, by registry id. */
    public static final List<String> RULES = List.of("standard", "logn", "infoscale", "derived");

    /** One model's panel. */
    private record Panel(String id, String label, LogitModel model, DerivedFactors derived, String base) {
    }

    public KernelEntropyFigure() {
        super(2, "Mean attention entropy vs length, measured by the kernels");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        List<Panel> panels = List.of(
                new Panel("cosine", "s cos(q, k), s = " + Charts.compact(ReferenceSetup.ENTROPY_MODEL_SCALE)
                        + ", q, k uniform on the sphere", ReferenceSetup.entropyModel(b),
                        ReferenceSetup.derivedEntropy(ctx), BASE),
                new Panel("dot", "q.k/sqrt(d), Gaussian q, k, logit sd " + Charts.compact(ReferenceSetup.DOT_MODEL_LOGIT_SD),
                        ReferenceSetup.dotModel(b), ReferenceSetup.derivedDot(ctx), BASE_DOT));
        int[] ns = b.lengths();
        AttentionKernel kernel = AttentionKernels.fused(ctx.threads());
        Table data = new Table(6, "model", "rule", "n", "factor", "kernel_mean_entropy", "kernel_se",
                "theory_mc_entropy", "theory_se", "repetitions");
        Table key = new Table(4, "model", "rule", "n", "factor", "kernel H (nats)", "+- se", "theory H (nats)");
        List<String> images = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        Map<String, Double> k = new LinkedHashMap<>();
        double worstZ = 0;
        int last = ns.length - 1;
        try (Progress p = new Progress("figure 2 lengths", 2L * ns.length)) {
            for (Panel panel : panels) {
                DerivedFactors f = panel.derived();
                RuleParameters params = RuleParameters.of(b.trainLength(), b.headDim()).withDerived(f.lengths(), f.factor());
                List<TemperatureRule> rules = new ArrayList<>();
                for (String id : RULES) {
                    rules.add(TemperatureRules.create(id, params));
                }
                KernelEntropy e = KernelEntropy.measure(panel.model(), ns, rules, kernel, b.kernelRepetitions(),
                        b.samples(), ctx.seedFor(number()) + panel.id().hashCode(), p::step);
                for (int r = 0; r < rules.size(); r++) {
                    for (int i = 0; i < ns.length; i++) {
                        data.add(panel.id(), rules.get(r).id(), ns[i], rules.get(r).factor(ns[i]), e.mean()[r][i],
                                e.standardError()[r][i], e.theory()[r][i], e.theoryError()[r][i], e.repetitions());
                        double z = Math.abs(e.mean()[r][i] - e.theory()[r][i])
                                / Math.hypot(e.standardError()[r][i], e.theoryError()[r][i]);
                        worstZ = Math.max(worstZ, z);
                        if (i == 0 || i == last || ns[i] == 8 * b.trainLength()) {
                            key.add(panel.id(), rules.get(r).id(), ns[i], rules.get(r).factor(ns[i]), e.mean()[r][i],
                                    e.standardError()[r][i], e.theory()[r][i]);
                        }
                    }
                }
                images.add(chart(ctx, panel, rules, e));
                double hN = e.mean()[0][0];
                sentences.add(String.format(Locale.ROOT, "With %s (entropy %s nats at N = %d), the fused kernel "
                        + "measures %s nats at n = %d under the standard factor, %s under InfoScale, %s under log-n and "
                        + "%s under the derived factor (each +- about %s): %s",
                        panel.label(), num(hN), b.trainLength(), num(e.mean()[0][last]), ns[last],
                        num(e.mean()[RULES.indexOf("infoscale")][last]), num(e.mean()[RULES.indexOf("logn")][last]),
                        num(e.mean()[RULES.indexOf("derived")][last]), num(maxSe(e, last)), verdict(e, hN, last)));
                k.put(panel.id() + "_entropy_at_N", hN);
                for (int r = 0; r < rules.size(); r++) {
                    k.put(panel.id() + "_" + rules.get(r).id() + "_entropy_at_max", e.mean()[r][last]);
                }
            }
        }
        k.put("worst_z_kernel_vs_theory", worstZ);
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);
        String reading = sentences.get(0) + ". " + sentences.get(1) + "; the kernel's means agree with the theory's "
                + "Monte Carlo expectation within " + num(worstZ) + " combined standard errors at every point.";
        return new SectionResult(number(), title(), true, images, List.of(csv), reading, key, k,
                "fused kernel (" + ctx.threads() + " threads) on verification's AttentionInputs.fromModel (n keys from "
                        + "one draw, n independent queries), rule n = sequence length, " + b.kernelRepetitions()
                        + " kernel calls of n rows per point; derived = exact entropy invariance solved on each model ("
                        + b.samples() + " Monte Carlo rows per length)");
    }

    private static String chart(FigureContext ctx, Panel panel, List<TemperatureRule> rules, KernelEntropy e)
            throws IOException {
        Budget b = ctx.budget();
        int[] ns = e.lengths();
        double[] x = Arrays.stream(ns).asDoubleStream().toArray();
        String title = panel.id().equals("cosine")
                ? "Row entropy by the fused kernel (s cos(q, k), s = " + Charts.compact(ReferenceSetup.ENTROPY_MODEL_SCALE)
                        + ", d = " + b.headDim() + ")"
                : "Row entropy by the fused kernel (q.k/sqrt(d), logit sd " + Charts.compact(ReferenceSetup.DOT_MODEL_LOGIT_SD)
                        + ", d = " + b.headDim() + ")";
        XYChart chart = Charts.lengthChart(title, "n (keys per attention row)", "mean row entropy (nats)", ns[0],
                ns[ns.length - 1]);
        for (int r = 0; r < rules.size(); r++) {
            String id = rules.get(r).id();
            Charts.addLengthSeries(chart, id.equals("derived") ? "derived (exact invariance)" : id, x, e.mean()[r],
                    e.standardError()[r]);
        }
        Charts.addHorizontalReference(chart, "entropy at N = " + b.trainLength(), e.mean()[0][0], Charts.log2(ns[0]),
                Charts.log2(ns[ns.length - 1]));
        return ChartFiles.save(chart, ctx.outDir(), panel.base()).png().getFileName().toString();
    }

    private static double maxSe(KernelEntropy e, int i) {
        double m = 0;
        for (double[] se : e.standardError()) {
            m = Math.max(m, se[i]);
        }
        return m;
    }

    /** Which of InfoScale and log-n lands closer to the entropy at N, from the numbers. */
    private static String verdict(KernelEntropy e, double hN, int last) {
        double di = e.mean()[RULES.indexOf("infoscale")][last] - hN;
        double dl = e.mean()[RULES.indexOf("logn")][last] - hN;
        String closer = Math.abs(di) < Math.abs(dl) ? "InfoScale" : "log-n";
        return String.format(Locale.ROOT, "InfoScale ends %s nats %s the entropy at N and log-n %s nats %s it, so %s "
                + "is closer on this model", num(Math.abs(di)), di >= 0 ? "above" : "below", num(Math.abs(dl)),
                dl >= 0 ? "above" : "below", closer);
    }
}
