package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.models.LogitLaw;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.DerivedFactors;
import org.isentropic.theory.solvers.InvarianceSolver;
import org.junit.jupiter.api.Test;

/**
 * Property group 1: the paper's claim measured by the kernels. Training length N = 16, lengths 2N .. 64N
 * (1024) in the default build; N = 32 up to 64N (2048) under -Pexhaustive.
 */
class InvariancePropertiesTest {
    static final int N = ExampleBudget.exhaustive() ? 32 : 16;
    static final int D = 16;
    static final int[] LENGTHS = EntropyInvariance.doublings(N, 64);
    static final int BATCHES = ExampleBudget.pick(24, 64);
    /** Theory Monte-Carlo rows at the largest length (16 times more at the shortest). */
    static final int THEORY_SAMPLES = ExampleBudget.pick(2000, 8000);
    /** Solver Monte-Carlo rows per length. */
    static final int SOLVER_SAMPLES = ExampleBudget.pick(4000, 20000);

    static final LogitModel SPHERE_DIFFUSE = LogitModels.sphere(D, 1.0);
    static final LogitModel SPHERE_FOCUSED = LogitModels.sphere(D, 12.0);
    static final LogitModel GAUSSIAN = LogitModels.gaussian(D, Math.sqrt(D), Math.sqrt(D));
    static final LogitModel PLANTED = LogitModels.plantedFocus(D, 12.0, 1, 0.9);

    static int[] withTrainLength() {
        int[] l = new int[LENGTHS.length + 1];
        l[0] = N;
        System.arraycopy(LENGTHS, 0, l, 1, LENGTHS.length);
        return l;
    }

    // ---- 1a: derived factors give invariance, within each condition's own approximation error ----

    /**
     * The drift the kernel must show with a solver's factors: 0 for the Monte-Carlo conditions (EXACT,
     * PLANTED_FOCUS), and for the approximate ones the approximation's own error, taken from the theory's
     * Monte Carlo: {@code [E_MC - approx](n, lambda_n) - [E_MC - approx](N, lambda_N)} (the approximation
     * is held fixed by construction).
     */
    static void derivedFactorsHoldTheObservable(String property, Condition c, LogitModel m,
            IntToDoubleFunction wrongRule, AttentionKernel kernel) {
        DerivedFactors f = InvarianceSolver.solve(c, m, N, withTrainLength(), SOLVER_SAMPLES,
                Seeds.derive("solver " + c));
        TemperatureRule derived = f.asRule();
        IntToDoubleFunction rule = wrongRule != null ? wrongRule : derived;
        boolean mass = c == Condition.PLANTED_FOCUS || c == Condition.PLANTED_FOCUS_MEAN_FIELD;
        long theorySeed = Seeds.derive("theory " + c);
        int[] ls = f.lengths();
        double[] se = f.standardError();
        double[] errN = approximationError(c, m, N, 1.0, theorySeed);
        // Computed on demand: shrinking measures lengths between the table's.
        java.util.Map<Integer, double[]> cache = new java.util.HashMap<>();
        java.util.function.IntFunction<double[]> predictAndAllow = n -> cache.computeIfAbsent(n, key -> {
            double lam = derived.factor(n);
            double[] err = approximationError(c, m, n, lam, theorySeed);
            double factorSe = bracketingMax(ls, se, n);
            double slope = slope(m, n, lam, mass, theorySeed);
            return new double[] {err[0] - errN[0],
                    Tolerances.MONTE_CARLO_Z * (Math.hypot(err[1], errN[1]) + factorSe * Math.abs(slope))};
        });
        IntToDoubleFunction pred = n -> predictAndAllow.apply(n)[0];
        EntropyInvariance check = EntropyInvariance.of(c.id() + (wrongRule != null ? " (WRONG rule)" : "")
                + " derived factors", rule, m, N, LENGTHS)
                .named(property).withBatches(BATCHES).withKernel(kernel)
                .withExtraTolerance(n -> predictAndAllow.apply(n)[1]);
        if (mass) {
            check = check.observing(EntropyInvariance.Observable.FOCUS_MASS);
        }
        DriftReport r = check.assertDrift(pred, pred);
        System.out.println(r.message());
    }

    // ---- 1b: the standard scale drifts by about ln(n/N) in the diffuse regime ----

    /**
     * With p the softmax of one row, {@code ln n - H = KL(p || uniform) <= chi^2(p || uniform)} (Jensen:
     * {@code ln x <= x - 1}), and {@code chi^2 = n sum p^2 - 1} tends to {@code M(2)/M(1)^2 - 1} for
     * n i.i.d. logits with moment-generating function M (law of large numbers). So
     * {@code drift - ln(n/N) = KL_N - KL_n} lies in {@code [-chi2, +chi2]}; the check allows twice the
     * limit {@code M(2)/M(1)^2 - 1} (from the theory's {@link LogitLaw#logMgf}) for the finite-n ratio.
     */
    static void standardDriftIsLogRatio(String property, LogitModel m, AttentionKernel kernel) {
        LogitLaw law = m.distractorLaw();
        double chi2 = Math.expm1(law.logMgf(2.0) - 2 * law.logMgf(1.0));
        double band = 2 * chi2;
        EntropyInvariance check = EntropyInvariance.of("standard", TemperatureRule.standard(), m, N, LENGTHS)
                .named(property).withBatches(BATCHES).withKernel(kernel);
        DriftReport r = check.assertDrift(n -> Math.log((double) n / N) - band, n -> Math.log((double) n / N) + band);
        System.out.println(r.message());
    }

    @Test
    void standardDriftsByLogRatio() {
        standardDriftIsLogRatio("invariance: standard drifts by ln(n/N), diffuse sphere s=1", SPHERE_DIFFUSE,
                org.isentropic.kernels.AttentionKernels.fused(1));
    }

    // ---- 1c: InfoScale and log-n, as the theory says ----

    /**
     * H is non-increasing in the temperature on every row ({@code dH/dlambda = -lambda Var_p(z) <= 0}),
     * and for n &gt;= N the factors are ordered {@code 1 <= InfoScale <= sqrt(ln n/ln N) <= ln n/ln N}
     * (rules properties). Measured on the same inputs (same seed), the drifts are therefore ordered
     * {@code logn <= sqrt-logn <= InfoScale <= standard} up to float error alone: a bound InfoScale must
     * stay within on every sample.
     */
    static void infoScaleSandwiched(String property, LogitModel m, IntToDoubleFunction infoScale,
            AttentionKernel kernel) {
        IntToDoubleFunction sqrtLogN = n -> Math.sqrt(Math.log(n) / Math.log(N));
        IntToDoubleFunction[] rules = {TemperatureRule.logN(N), sqrtLogN, infoScale, TemperatureRule.standard()};
        String[] names = {"logn", "sqrt-logn", "infoscale", "standard"};
        StringBuilder table = new StringBuilder();
        for (int n : LENGTHS) {
            EntropyInvariance.Measurement[] ms = new EntropyInvariance.Measurement[rules.length];
            for (int r = 0; r < rules.length; r++) {
                ms[r] = EntropyInvariance.of(names[r], rules[r], m, N, LENGTHS).named(property)
                        .withBatches(BATCHES / 3).withKernel(kernel).measure(n);
            }
            table.append(String.format("n=%5d", n));
            for (int r = 0; r < rules.length; r++) {
                table.append(String.format("  %s H=%.5f", names[r], ms[r].mean()));
            }
            table.append('\n');
            for (int r = 0; r + 1 < rules.length; r++) {
                double tol = ms[r].numericError() + ms[r + 1].numericError();
                if (!(ms[r].mean() <= ms[r + 1].mean() + tol)) {
                    throw new AssertionError(property + ": at n = " + n + " the mean entropy with " + names[r] + " ("
                            + ms[r].mean() + ") exceeds the one with " + names[r + 1] + " (" + ms[r + 1].mean()
                            + ") by more than the float bound " + tol + " on the same inputs\n" + table + "  "
                            + Seeds.rerunHint(Seeds.seed()));
                }
            }
        }
        System.out.println(property + "\n" + table);
    }

    @Test
    void infoScaleBetweenSqrtLogNAndStandard() {
        for (LogitModel m : new LogitModel[] {SPHERE_FOCUSED, GAUSSIAN}) {
            infoScaleSandwiched("invariance: logn <= sqrt-logn <= InfoScale <= standard drift [" + m.id() + "]", m,
                    TemperatureRule.infoScale(N, D), org.isentropic.kernels.AttentionKernels.fused(1));
        }
    }

    /**
     * The kernel's drift for InfoScale and log-n equals the theory's Monte-Carlo prediction
     * {@code E[H_n(lambda_n)] - E[H_N(1)]} (both ways: it must show the predicted drift, positive in the
     * diffuse regime where no temperature can create contrast, and stay within its tolerance).
     */
    static void driftMatchesTheory(String property, String ruleName, IntToDoubleFunction rule, LogitModel m,
            AttentionKernel kernel) {
        DriftReport r = EntropyInvariance.of(ruleName, rule, m, N, LENGTHS).named(property).withBatches(BATCHES)
                .withKernel(kernel).assertMatchesTheory(THEORY_SAMPLES);
        System.out.println(r.message());
    }

    @Test
    void infoScaleAndLogNDriftAsTheoryPredicts() {
        for (LogitModel m : new LogitModel[] {SPHERE_DIFFUSE, SPHERE_FOCUSED}) {
            driftMatchesTheory("invariance: InfoScale drift = theory [" + m + "]", "infoscale",
                    TemperatureRule.infoScale(N, D), m, org.isentropic.kernels.AttentionKernels.fused(1));
            driftMatchesTheory("invariance: log-n drift = theory [" + m + "]", "logn", TemperatureRule.logN(N), m,
                    org.isentropic.kernels.AttentionKernels.fused(1));
        }
    }

    /**
     * docs/theory.md section 5.5: on the sphere with d = 128, N = 64 and the reference checkpoints' s = 128,
     * the factor that holds the expected entropy lies strictly between InfoScale and log-n (1.44 +- 0.04
     * at 16x, against 1.28 and 1.67). So InfoScale under-sharpens (its entropy drifts up) and log-n
     * over-sharpens (down). Asserted both ways: the theory's Monte-Carlo drift has that sign beyond
     * {@code Z} standard errors at every length (a drift it must show), and the kernel-measured drift
     * matches the theory's within the tolerance (a bound it must stay within). Measured with the
     * double-precision reference kernel up to 8N: at s = 128 the worst-case float bound of a float
     * kernel's row entropy (about 0.5 nats, {@link Tolerances#entropy}) exceeds the drifts to resolve
     * (0.01 to 0.05); that the fused kernel agrees with the reference is the kernel properties' job.
     */
    static void infoScaleUnderLogNOverSharpen(String property, AttentionKernel kernel, double unitRoundoff) {
        int trainLength = 64;
        int[] lengths = EntropyInvariance.doublings(trainLength, ExampleBudget.exhaustive() ? 16 : 8);
        LogitModel m = LogitModels.sphere(128, 128.0);
        StringBuilder all = new StringBuilder();
        for (int sign : new int[] {+1, -1}) {
            IntToDoubleFunction rule = sign > 0 ? TemperatureRule.infoScale(trainLength, 128)
                    : TemperatureRule.logN(trainLength);
            EntropyInvariance check = EntropyInvariance.of(sign > 0 ? "infoscale" : "logn", rule, m, trainLength,
                            lengths)
                    .named(property).withBatches(ExampleBudget.pick(8, 16)).withKernel(kernel, unitRoundoff);
            for (int n : lengths) {
                double[] predicted = check.theoryDrift(n, 4 * THEORY_SAMPLES);
                if (!(sign * predicted[0] > Tolerances.MONTE_CARLO_Z * predicted[1])) {
                    throw new AssertionError(property + ": the theory's drift at n = " + n + " is " + predicted[0]
                            + " +- " + predicted[1] + ", not " + (sign > 0 ? "above" : "below")
                            + " zero by 5 standard errors (docs/theory.md 5.5)");
                }
            }
            all.append(check.assertMatchesTheory(4 * THEORY_SAMPLES).message()).append('\n');
        }
        System.out.println(all);
    }

    @Test
    void infoScaleUnderSharpensAndLogNOverSharpensAtS128() {
        infoScaleUnderLogNOverSharpen("invariance: s=128, d=128: InfoScale drifts up, log-n down (theory.md 5.5)",
                org.isentropic.kernels.AttentionKernels.reference(), Tolerances.DOUBLE_UNIT_ROUNDOFF);
    }

    // ---- 6: teeth ----

    @Test
    void invariancePropertiesHaveTeeth() {
        AttentionKernel fused = org.isentropic.kernels.AttentionKernels.fused(1);
        String m1 = Teeth.mustDetect("EXACT invariance vs the standard rule in place of the derived factors",
                name -> derivedFactorsHoldTheObservable(name, Condition.EXACT, SPHERE_FOCUSED,
                        TemperatureRule.standard(), fused));
        String m2 = Teeth.mustDetect("EXACT invariance vs a kernel that ignores the rule",
                name -> derivedFactorsHoldTheObservable(name, Condition.EXACT, GAUSSIAN, null, WrongKernels.ignoresRule()));
        Teeth.mustDetect("standard drift ln(n/N) vs a kernel that truncates to 2N keys",
                name -> standardDriftIsLogRatio(name, SPHERE_DIFFUSE, WrongKernels.truncatesKeys(2 * N)));
        Teeth.mustDetect("InfoScale sandwich vs InfoScale without its square root",
                name -> infoScaleSandwiched(name, SPHERE_FOCUSED, n -> {
                    double f = TemperatureRule.infoScale(N, D).factor(n);
                    return f * f;
                }, fused));
        Teeth.mustDetect("InfoScale = theory vs a kernel that ignores the rule",
                name -> driftMatchesTheory(name, "infoscale", TemperatureRule.infoScale(N, D), SPHERE_FOCUSED,
                        WrongKernels.ignoresRule()));
        Teeth.mustDetect("InfoScale drifts up at s=128 vs a kernel that ignores the rule",
                name -> infoScaleUnderLogNOverSharpen(name,
                        WrongKernels.ignoresRule(org.isentropic.kernels.AttentionKernels.reference()),
                        Tolerances.DOUBLE_UNIT_ROUNDOFF));
        System.out.println("teeth, for example:\n" + m1 + "\n" + m2);
        assertTrue(m1.contains("smallest failing length after shrinking"), "the failure names the smallest failing length");
    }

    /** {E_MC - approximation, its standard error} at (n, lambda); {0, 0} for the Monte-Carlo conditions. */
    static double[] approximationError(Condition c, LogitModel m, int n, double lambda, long seed) {
        long s = Seeds.derive(seed, n);
        int rows = theoryRows(n);
        switch (c) {
            case EXACT:
            case PLANTED_FOCUS:
                return new double[] {0, 0};
            case MEAN_FIELD: {
                Estimate e = ExpectedEntropy.monteCarlo(m, n, lambda, rows, s);
                return new double[] {e.mean() - ExpectedEntropy.meanField(m, n, lambda), e.standardError()};
            }
            case LAPLACE: {
                Estimate e = ExpectedEntropy.monteCarlo(m, n, lambda, rows, s);
                return new double[] {e.mean() - ExpectedEntropy.laplace(m, n, lambda), e.standardError()};
            }
            case PLANTED_FOCUS_MEAN_FIELD: {
                Estimate e = ExpectedEntropy.focusMassMonteCarlo(m, n, lambda, rows, s);
                return new double[] {e.mean() - ExpectedEntropy.focusMassMeanField(m, n, lambda), e.standardError()};
            }
            default:
                throw new IllegalArgumentException("not an invariance condition: " + c);
        }
    }

    /** Theory rows at n: THEORY_SAMPLES at the largest length, more at shorter ones (up to 16x). */
    static int theoryRows(int n) {
        int max = LENGTHS[LENGTHS.length - 1];
        return (int) Math.min(16L * THEORY_SAMPLES, Math.max(THEORY_SAMPLES, (long) THEORY_SAMPLES * max / n));
    }

    /** The larger standard error of the table lengths around n (the factor is interpolated between them). */
    static double bracketingMax(int[] ls, double[] se, int n) {
        double best = 0;
        for (int i = 0; i < ls.length; i++) {
            boolean below = ls[i] <= n && (i + 1 == ls.length || ls[i + 1] > n);
            boolean above = ls[i] >= n && (i == 0 || ls[i - 1] < n);
            if (below || above) {
                best = Math.max(best, se[i]);
            }
        }
        return best;
    }

    /** d E[observable] / d lambda at lambda by a central difference of the theory's Monte Carlo (CRN). */
    static double slope(LogitModel m, int n, double lambda, boolean mass, long seed) {
        double h = 0.02 * lambda;
        long s = Seeds.derive(seed + 1, n);
        if (mass) {
            double up = ExpectedEntropy.focusMassMonteCarlo(m, n, lambda + h, theoryRows(n) / 2, s).mean();
            double down = ExpectedEntropy.focusMassMonteCarlo(m, n, lambda - h, theoryRows(n) / 2, s).mean();
            return (up - down) / (2 * h);
        }
        Estimate[] e = ExpectedEntropy.monteCarlo(m, n, new double[] {lambda - h, lambda + h}, theoryRows(n) / 2, s);
        return (e[1].mean() - e[0].mean()) / (2 * h);
    }

    static int indexOf(int[] a, int n) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("length " + n + " not in the table");
    }

    @Test
    void exactFactorsKeepEntropyInvariant() {
        derivedFactorsHoldTheObservable("invariance: EXACT factors, sphere s=12", Condition.EXACT, SPHERE_FOCUSED, null,
                org.isentropic.kernels.AttentionKernels.fused(1));
    }

    @Test
    void exactFactorsGaussian() {
        derivedFactorsHoldTheObservable("invariance: EXACT factors, gaussian", Condition.EXACT, GAUSSIAN, null,
                org.isentropic.kernels.AttentionKernels.fused(1));
    }

    @Test
    void meanFieldFactors() {
        derivedFactorsHoldTheObservable("invariance: MEAN_FIELD factors, sphere s=12", Condition.MEAN_FIELD,
                SPHERE_FOCUSED, null, org.isentropic.kernels.AttentionKernels.fused(1));
    }

    @Test
    void laplaceFactors() {
        derivedFactorsHoldTheObservable("invariance: LAPLACE factors, sphere s=12", Condition.LAPLACE,
                SPHERE_FOCUSED, null, org.isentropic.kernels.AttentionKernels.fused(1));
    }

    @Test
    void plantedFocusFactors() {
        derivedFactorsHoldTheObservable("invariance: PLANTED_FOCUS factors (focus mass), planted", Condition.PLANTED_FOCUS,
                PLANTED, null, org.isentropic.kernels.AttentionKernels.fused(1));
    }

    @Test
    void plantedFocusMeanFieldFactors() {
        derivedFactorsHoldTheObservable("invariance: PLANTED_FOCUS_MEAN_FIELD factors (focus mass), planted",
                Condition.PLANTED_FOCUS_MEAN_FIELD, PLANTED, null, org.isentropic.kernels.AttentionKernels.fused(1));
    }
}
