package org.isentropic.theory.solvers;

import java.util.function.DoubleUnaryOperator;
import java.util.function.IntConsumer;
import org.isentropic.base.Seeds;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.entropy.LogitSample;
import org.isentropic.theory.models.CosineLaw;
import org.isentropic.theory.models.LogitModel;

/**
 * Solves an entropy-invariance {@link Condition} for the temperature factor {@code lambda_n / lambda_N}
 * at each requested length; docs/theory.md section "Invariance conditions".
 *
 * <p>Monte-Carlo conditions draw {@code samples} rows per length from an independent stream
 * ({@link Seeds#derive(long, long)}) and keep them for every lambda the root finder tries (common random
 * numbers). The standard error of a factor is the delta method: {@code se(lambda_n) = sqrt(se_n^2 + se_T^2)
 * / |d E[H_n]/d lambda|}, with se_n the error of the estimated entropy (or mass) at lambda_n and se_T that
 * of the target; for a given base entropy the error of lambda_N enters the ratio as well. Lengths run in
 * parallel (common fork-join pool); each has its own stream, so the numbers do not depend on the threads.
 * The progress callback may be called from several threads.
 */
public final class InvarianceSolver {

    private InvarianceSolver() {
    }

    /** Base scale 1: lambda_N = 1 on the model's own logits. */
    public static DerivedFactors solve(Condition c, LogitModel m, int trainLength, int[] lengths, int samples,
            long seed) {
        return solve(c, m, trainLength, lengths, Base.scale(1.0), samples, seed, i -> { });
    }

    public static DerivedFactors solve(Condition c, LogitModel m, int trainLength, int[] lengths, Base base,
            int samples, long seed) {
        return solve(c, m, trainLength, lengths, base, samples, seed, i -> { });
    }

    /**
     * @param c           the condition
     * @param m           the model (its logits at temperature 1; lambda multiplies them)
     * @param trainLength N, {@code >= 2} (and {@code >= focusCount})
     * @param lengths     each {@code >= 1} ({@code >= 2} for the focused-cap conditions)
     * @param base        what is held at N
     * @param samples     rows per length for the Monte-Carlo conditions ({@code >= 2}; ignored otherwise)
     * @param seed        the run's seed
     * @param progress    called with the index of each length when it is done
     */
    public static DerivedFactors solve(Condition c, LogitModel m, int trainLength, int[] lengths, Base base,
            int samples, long seed, IntConsumer progress) {
        if (c == null || m == null || base == null || lengths == null) {
            throw new IllegalArgumentException("condition, model, base and lengths must not be null");
        }
        if (trainLength < Math.max(2, m.focusCount())) {
            throw new IllegalArgumentException("trainLength must be >= " + Math.max(2, m.focusCount()) + ", got "
                    + trainLength);
        }
        if (lengths.length == 0) {
            throw new IllegalArgumentException("lengths must not be empty");
        }
        for (int n : lengths) {
            if (n < Math.max(1, m.focusCount())) {
                throw new IllegalArgumentException("lengths must be >= " + Math.max(1, m.focusCount()) + ", got " + n);
            }
        }
        if (c.monteCarlo() && samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        switch (c) {
            case FOCUSED_CAP_EXACT:
            case FOCUSED_CAP_APPROX:
                return focusedCap(c, m, trainLength, lengths, progress);
            case MEAN_FIELD:
                return deterministic(c, trainLength, lengths, base, progress,
                        n -> lambda -> ExpectedEntropy.meanField(m, n, lambda), true);
            case LAPLACE:
                return deterministic(c, trainLength, lengths, base, progress,
                        n -> lambda -> ExpectedEntropy.laplace(m, n, lambda), true);
            case PLANTED_FOCUS_MEAN_FIELD:
                requireFocus(m);
                return deterministic(c, trainLength, lengths, base, progress,
                        n -> lambda -> ExpectedEntropy.focusMassMeanField(m, n, lambda), false);
            case EXACT:
                return monteCarlo(c, m, trainLength, lengths, base, samples, seed, progress, true);
            case PLANTED_FOCUS:
                requireFocus(m);
                return monteCarlo(c, m, trainLength, lengths, base, samples, seed, progress, false);
            default:
                throw new IllegalArgumentException("condition " + c);
        }
    }

    /**
     * The cosine c_n with {@code n P(cos >= c_n) = 1} for keys uniform on the sphere of R^d, exact Beta
     * law: {@code P(cos >= c) = I_{(1-c)/2}((d-1)/2, (d-1)/2)}. Solved in logs by Brent.
     *
     * @param d {@code >= 2}
     * @param n {@code >= 2}
     */
    public static double capCosineExact(int d, int n) {
        checkCap(d, n);
        CosineLaw law = new CosineLaw(d, 1.0);
        double logN = Math.log(n);
        DoubleUnaryOperator g = x -> logN + Math.log(law.tail(x));
        double lo = 0.0;
        double hi = capCosineClosedForm(d, n);
        while (g.applyAsDouble(hi) >= 0) {
            lo = hi;
            hi = 0.5 * (hi + 1.0);
        }
        while (g.applyAsDouble(hi) == Double.NEGATIVE_INFINITY) {
            double mid = 0.5 * (lo + hi);
            if (g.applyAsDouble(mid) >= 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Roots.brent(g, lo, hi);
    }

    /**
     * The cosine c_n with {@code n (1 - c_n^2)^(d/2) = 1} (the cap approximation), solved numerically by
     * Brent on {@code ln n + (d/2) ln((1 - c)(1 + c)) = 0}; its closed form is
     * {@link #capCosineClosedForm} and the ratio c_n/c_N is InfoScale.
     */
    public static double capCosineApprox(int d, int n) {
        checkCap(d, n);
        double logN = Math.log(n);
        DoubleUnaryOperator g = x -> logN + 0.5 * d * Math.log((1 - x) * (1 + x));
        double hi = Math.nextDown(1.0);
        if (!(g.applyAsDouble(hi) < 0)) {
            throw new IllegalArgumentException("n = " + n + " is too large for d = " + d + " in double precision");
        }
        return Roots.brent(g, 0.0, hi);
    }

    /** {@code sqrt(1 - n^(-2/d))}. */
    public static double capCosineClosedForm(int d, int n) {
        return Math.sqrt(-Math.expm1(-2.0 * Math.log(n) / d));
    }

    private static void checkCap(int d, int n) {
        if (d < 2) {
            throw new IllegalArgumentException("d must be >= 2, got " + d);
        }
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2 for the cap condition, got " + n);
        }
    }

    private static void requireFocus(LogitModel m) {
        if (m.focusCount() == 0) {
            throw new IllegalArgumentException("the planted-focus condition needs a model with focus keys, got "
                    + m.id());
        }
    }

    private static DerivedFactors focusedCap(Condition c, LogitModel m, int trainLength, int[] lengths,
            IntConsumer progress) {
        if (m.id().equals("anisotropic")) {
            throw new IllegalArgumentException("the focused-cap condition assumes uniform key directions; model "
                    + m.id() + " does not have them");
        }
        int d = m.dim();
        boolean exact = c == Condition.FOCUSED_CAP_EXACT;
        double cN = exact ? capCosineExact(d, trainLength) : capCosineApprox(d, trainLength);
        int k = lengths.length;
        double[] factor = new double[k];
        double[] lambda = new double[k];
        for (int i = 0; i < k; i++) {
            lambda[i] = exact ? capCosineExact(d, lengths[i]) : capCosineApprox(d, lengths[i]);
            factor[i] = lambda[i] / cN;
            progress.accept(i);
        }
        return new DerivedFactors(c, trainLength, lengths, factor, new double[k], lambda, cN, Double.NaN);
    }

    /** For a deterministic monotone curve per length: entropy (decreasing) or focus mass (increasing). */
    private static DerivedFactors deterministic(Condition c, int trainLength, int[] lengths, Base base,
            IntConsumer progress, java.util.function.IntFunction<DoubleUnaryOperator> curve, boolean entropy) {
        DoubleUnaryOperator atN = curve.apply(trainLength);
        double lambdaN;
        double target;
        if (base.isScale()) {
            lambdaN = base.scale();
            target = atN.applyAsDouble(lambdaN);
            if (entropy && !(target > 0)) {
                throw new IllegalArgumentException(c.id() + ": the " + c.id() + " entropy at N = " + trainLength
                        + " and scale " + lambdaN + " is " + target + " (not > 0): the large-n form does not hold at"
                        + " this scale (its tilted peak lies beyond the largest key); use a smaller scale or the"
                        + " exact condition");
            }
            if (!entropy && !(target < 1)) {
                throw new IllegalArgumentException(c.id() + ": the focus mass at N = " + trainLength + " and scale "
                        + lambdaN + " rounds to 1; nothing to restore");
            }
        } else {
            if (!entropy) {
                throw new IllegalArgumentException("planted-focus conditions hold the mass, not the entropy: give a "
                        + "base scale");
            }
            target = base.entropy();
            lambdaN = solveFor(atN, trainLength, target, 1.0, entropy, c);
        }
        int k = lengths.length;
        double[] factor = new double[k];
        double[] lambda = new double[k];
        for (int i = 0; i < k; i++) {
            lambda[i] = solveFor(curve.apply(lengths[i]), lengths[i], target, lambdaN, entropy, c);
            factor[i] = lambda[i] / lambdaN;
            progress.accept(i);
        }
        return new DerivedFactors(c, trainLength, lengths, factor, new double[k], lambda, lambdaN,
                entropy ? target : Double.NaN);
    }

    private static double solveFor(DoubleUnaryOperator f, int n, double target, double guess, boolean entropy,
            Condition c) {
        String what = c.id() + " at n = " + n;
        if (entropy) {
            return Roots.decreasing(f, f.applyAsDouble(0.0), target, guess, what);
        }
        return Roots.increasing(f, f.applyAsDouble(0.0), target, guess, what);
    }

    private static DerivedFactors monteCarlo(Condition c, LogitModel m, int trainLength, int[] lengths, Base base,
            int samples, long seed, IntConsumer progress, boolean entropy) {
        LogitSample sN = LogitSample.draw(m, trainLength, samples, Seeds.derive(seed, trainLength));
        double lambdaN;
        double target;
        double seTarget;
        double seLambdaN;
        if (base.isScale()) {
            lambdaN = base.scale();
            double[] v = value(sN, lambdaN, entropy);
            target = v[0];
            seTarget = v[1];
            seLambdaN = 0;
            if (entropy ? !(target > 0) : !(target < 1)) {
                throw new IllegalArgumentException(c.id() + ": the " + (entropy ? "entropy" : "focus mass") + " at N = "
                        + trainLength + " and scale " + lambdaN + " is " + target + "; nothing to hold");
            }
        } else {
            if (!entropy) {
                throw new IllegalArgumentException("planted-focus conditions hold the mass, not the entropy: give a "
                        + "base scale");
            }
            target = base.entropy();
            seTarget = 0;
            lambdaN = solveFor(l -> sN.entropy(l).mean(), trainLength, target, 1.0, true, c);
            double[] v = value(sN, lambdaN, true);
            seLambdaN = v[1] / Math.abs(v[2]);
        }
        int k = lengths.length;
        double[] factor = new double[k];
        double[] se = new double[k];
        double[] lambda = new double[k];
        final double lN = lambdaN;
        final double t = target;
        final double seT = seTarget;
        final double seLN = seLambdaN;
        // Lengths are independent streams, so they may run in parallel without changing any number.
        java.util.stream.IntStream.range(0, k).parallel().forEach(i -> {
            int n = lengths[i];
            if (n == trainLength) {
                // The target's own rows: the factor is 1 by construction.
                lambda[i] = lN;
                factor[i] = 1.0;
                se[i] = 0.0;
                progress.accept(i);
                return;
            }
            LogitSample s = LogitSample.draw(m, n, samples, Seeds.derive(seed, n));
            DoubleUnaryOperator f = entropy ? l -> s.entropy(l).mean() : l -> s.focusMass(l).mean();
            lambda[i] = solveFor(f, n, t, lN, entropy, c);
            double[] v = value(s, lambda[i], entropy);
            double seLambda = Math.sqrt(v[1] * v[1] + seT * seT) / Math.abs(v[2]);
            factor[i] = lambda[i] / lN;
            se[i] = base.isScale() ? seLambda / lN : factor[i] * Math.hypot(seLambda / lambda[i], seLN / lN);
            progress.accept(i);
        });
        return new DerivedFactors(c, trainLength, lengths, factor, se, lambda, lambdaN,
                entropy ? target : Double.NaN);
    }

    /** {mean, standard error, d mean / d lambda} of the entropy or the focus mass at lambda. */
    private static double[] value(LogitSample s, double lambda, boolean entropy) {
        if (entropy) {
            return s.entropyWithSlope(lambda);
        }
        var e = s.focusMass(lambda);
        double h = 1e-4 * Math.max(lambda, 1e-3);
        double slope = (s.focusMass(lambda + h).mean() - s.focusMass(Math.max(0, lambda - h)).mean())
                / (lambda + h - Math.max(0, lambda - h));
        return new double[] {e.mean(), e.standardError(), slope};
    }
}
