package org.isentropic.figures.analysis;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.DerivedFactors;
import org.isentropic.theory.solvers.InvarianceSolver;

/**
 * The models the figures share, and the derived (exact-invariance) factors solved on them, computed once
 * per run and reused by every figure that shows them.
 *
 * <ul>
 *   <li>The entropy model (figures 1 and 2): keys and query uniform on the sphere of R^d, logits
 *       {@code s cos(q, k)} with s = {@value #ENTROPY_MODEL_SCALE}, the CosScale value of the paper's
 *       checkpoints (docs/method.md, section 3).</li>
 *   <li>The dilution model (figure 5): the same sphere at s = {@value #FOCUS_MODEL_SCALE} with one planted
 *       key at cosine {@value #FOCUS_COSINE} to the query, which then holds most of the mass at n = N and
 *       loses it to the distractors as n grows.</li>
 * </ul>
 */
public final class ReferenceSetup {

    /** CosScale s of the entropy model. */
    public static final double ENTROPY_MODEL_SCALE = 128.0;
    /** Standard deviation of the logits q.k/sqrt(d) of the dot-product model (|q| = |k| = sqrt(sigma d)). */
    public static final double DOT_MODEL_LOGIT_SD = 2.0;
    /** s of the dilution model. */
    public static final double FOCUS_MODEL_SCALE = 16.0;
    /** Cosine between the query and the planted key of the dilution model. */
    public static final double FOCUS_COSINE = 0.4;

    private static final Map<String, DerivedFactors> CACHE = new ConcurrentHashMap<>();

    private ReferenceSetup() {
    }

    public static LogitModel entropyModel(Budget b) {
        return LogitModels.sphere(b.headDim(), ENTROPY_MODEL_SCALE);
    }

    /**
     * The dot-product model (figure 2b): q and k Gaussian with |q| = |k| = sqrt(sigma d), so the logits
     * {@code q . k / sqrt(d)} of a row are Gaussian with standard deviation sigma =
     * {@value #DOT_MODEL_LOGIT_SD}.
     */
    public static LogitModel dotModel(Budget b) {
        double norm = Math.sqrt(DOT_MODEL_LOGIT_SD * b.headDim());
        return LogitModels.gaussian(b.headDim(), norm, norm);
    }

    public static LogitModel focusModel(Budget b) {
        return LogitModels.plantedFocus(b.headDim(), FOCUS_MODEL_SCALE, 1, FOCUS_COSINE);
    }

    /**
     * The factor that holds the expected entropy of {@link #entropyModel} at its value at N, at every
     * length of the budget (theory: {@link InvarianceSolver}, condition EXACT, Monte Carlo).
     */
    public static DerivedFactors derivedEntropy(FigureContext ctx) {
        return derived("entropy", Condition.EXACT, entropyModel(ctx.budget()), ctx);
    }

    /** As {@link #derivedEntropy}, for {@link #dotModel}. */
    public static DerivedFactors derivedDot(FigureContext ctx) {
        return derived("dot", Condition.EXACT, dotModel(ctx.budget()), ctx);
    }

    /** The factor that holds the expected mass on the planted key of {@link #focusModel} (PLANTED_FOCUS). */
    public static DerivedFactors derivedFocus(FigureContext ctx) {
        return derived("focus", Condition.PLANTED_FOCUS, focusModel(ctx.budget()), ctx);
    }

    /** The solver's factors for one model at the budget's lengths, computed once per run (cached by name). */
    private static DerivedFactors derived(String name, Condition condition, LogitModel model, FigureContext ctx) {
        Budget b = ctx.budget();
        return CACHE.computeIfAbsent(key(name, ctx), k -> InvarianceSolver.solve(condition, model, b.trainLength(),
                b.lengths(), b.samples(), ctx.seed()));
    }

    /** Rule parameters N, d (published defaults) with the derived entropy table as the {@code derived} rule. */
    public static RuleParameters ruleParameters(FigureContext ctx) {
        Budget b = ctx.budget();
        DerivedFactors f = derivedEntropy(ctx);
        return RuleParameters.of(b.trainLength(), b.headDim()).withDerived(f.lengths(), f.factor());
    }

    /** One line saying what the derived rule is. */
    public static String derivedLabel(FigureContext ctx) {
        Budget b = ctx.budget();
        return "exact entropy invariance on the sphere model (d = " + b.headDim() + ", s = " + org.isentropic.figures.charts.Charts.compact(ENTROPY_MODEL_SCALE)
                + "), " + b.samples() + " Monte Carlo rows per length";
    }

    private static String key(String what, FigureContext ctx) {
        Budget b = ctx.budget();
        return what + "|" + ctx.seed() + "|" + b.trainLength() + "|" + b.headDim() + "|" + b.samples() + "|"
                + Arrays.toString(b.lengths());
    }
}
