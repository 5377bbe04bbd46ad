package org.isentropic.theory.entropy;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.theory.models.CosineLaw;
import org.isentropic.theory.models.LogitLaw;
import org.isentropic.theory.models.LogitModel;

/**
 * The expected row entropy {@code E[H_n(lambda)]} of a {@link LogitModel} (logits multiplied by lambda)
 * three ways; docs/theory.md sections "Monte Carlo", "Mean field" and "Laplace".
 *
 * <ul>
 *   <li>{@link #monteCarlo}: seeded, with a standard error; exact in expectation for every n.</li>
 *   <li>{@link #meanField}: the law of large numbers inside the softmax: with {@code Z = sum e^(lambda z)}
 *       and {@code U = sum lambda z e^(lambda z)}, {@code H = ln Z - U/Z ~ ln E Z - E U / E Z}; for
 *       n i.i.d. distractors {@code ln n + ln M(lambda) - lambda M'(lambda)/M(lambda)}, planted focus
 *       keys added as fixed terms. Exact as n -> infinity with lambda fixed.</li>
 *   <li>{@link #laplace}: the mean-field form with ln M and M'/M replaced by their Laplace-method
 *       approximations (Su 2021): for the sphere {@code ln n + (d/2) ln(1 - c^2)}.</li>
 * </ul>
 * The two large-n forms are returned as computed, not clamped: where they fall below 0 (large lambda at
 * small n: the tilted law's mass sits beyond the largest of the n keys) they do not apply, and a negative
 * value says so.
 */
public final class ExpectedEntropy {

    private ExpectedEntropy() {
    }

    /** Monte-Carlo estimate from {@code samples} independent rows (XO_RO_SHI_RO_128_PP seeded by seed). */
    public static Estimate monteCarlo(LogitModel m, int n, double lambda, int samples, long seed) {
        return monteCarlo(m, n, new double[] {lambda}, samples, seed)[0];
    }

    /**
     * Monte-Carlo estimates at several temperatures from the same rows (common random numbers): the
     * differences between the estimates are far more precise than each estimate.
     *
     * @param samples {@code >= 2}
     */
    public static Estimate[] monteCarlo(LogitModel m, int n, double[] lambdas, int samples, long seed) {
        checkArgs(m, n, samples);
        for (double lambda : lambdas) {
            checkLambda(lambda);
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] row = new double[n];
        int k = lambdas.length;
        RunningMoments[] moments = new RunningMoments[k];
        for (int i = 0; i < k; i++) {
            moments[i] = RunningMoments.create();
        }
        for (int r = 0; r < samples; r++) {
            m.sampleLogits(rng, n, row);
            for (int i = 0; i < k; i++) {
                moments[i].add(Entropy.ofScaledLogits(row, 0, n, lambdas[i]));
            }
        }
        Estimate[] out = new Estimate[k];
        for (int i = 0; i < k; i++) {
            out[i] = moments[i].estimate();
        }
        return out;
    }

    /** The mean-field (large-n) expected entropy; see the class comment. */
    public static double meanField(LogitModel m, int n, double lambda) {
        checkN(m, n);
        checkLambda(lambda);
        LogitLaw law = m.distractorLaw();
        return fromMoments(m, n, lambda, law.logMgf(lambda), law.tiltedMean(lambda));
    }

    /** The Laplace-method expected entropy (Su 2021); see the class comment. */
    public static double laplace(LogitModel m, int n, double lambda) {
        checkN(m, n);
        checkLambda(lambda);
        LogitLaw law = m.distractorLaw();
        return fromMoments(m, n, lambda, law.laplaceLogMgf(lambda), law.laplaceTiltedMean(lambda));
    }

    /**
     * Su's Laplace form for the sphere written out: {@code ln n + (d/2) ln(1 - c^2)},
     * {@code c = (sqrt(d^2 + 4 kappa^2) - d) / (2 kappa)}, kappa = lambda * scale (the logit per unit
     * cosine).
     */
    public static double laplaceSphere(int d, int n, double kappa) {
        if (d < 2) {
            throw new IllegalArgumentException("d must be >= 2, got " + d);
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        checkLambda(kappa);
        double c = new CosineLaw(d, 1.0).laplacePeak(kappa);
        return Math.log(n) + 0.5 * d * Math.log1p(-c * c);
    }

    /** The mean-field softmax mass on the focus keys: {@code sum_f e^(lambda a_f) / E Z}. */
    public static double focusMassMeanField(LogitModel m, int n, double lambda) {
        checkN(m, n);
        checkLambda(lambda);
        double[] terms = logTerms(m, n, lambda, m.distractorLaw().logMgf(lambda));
        double logZ = terms[terms.length - 1];
        double mass = 0;
        for (int f = 0; f < m.focusCount(); f++) {
            mass += Math.exp(terms[f] - logZ);
        }
        return mass;
    }

    /** Monte-Carlo softmax mass on the focus keys. */
    public static Estimate focusMassMonteCarlo(LogitModel m, int n, double lambda, int samples, long seed) {
        checkLambda(lambda);
        return LogitSample.draw(m, n, samples, seed).focusMass(lambda);
    }

    /**
     * The expected largest cosine among n keys uniform on the sphere of R^d (exact Beta law, quadrature).
     */
    public static double expectedMaxCosine(int d, int n) {
        return new CosineLaw(d, 1.0).expectedMax(n);
    }

    private static double fromMoments(LogitModel m, int n, double lambda, double logM, double tiltedMean) {
        double[] terms = logTerms(m, n, lambda, logM);
        double[] focus = m.focusLogits();
        double logZ = terms[terms.length - 1];
        double u = 0;
        for (int f = 0; f < focus.length; f++) {
            u += Math.exp(terms[f] - logZ) * lambda * focus[f];
        }
        int distractors = n - focus.length;
        if (distractors > 0) {
            u += Math.exp(terms[focus.length] - logZ) * lambda * tiltedMean;
        }
        return logZ - u;
    }

    /** ln of each focus term, ln of the distractor total, and ln Z last. */
    private static double[] logTerms(LogitModel m, int n, double lambda, double logM) {
        double[] focus = m.focusLogits();
        double[] t = new double[focus.length + 2];
        double max = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < focus.length; f++) {
            t[f] = lambda * focus[f];
            max = Math.max(max, t[f]);
        }
        int distractors = n - focus.length;
        t[focus.length] = distractors > 0 ? Math.log(distractors) + logM : Double.NEGATIVE_INFINITY;
        max = Math.max(max, t[focus.length]);
        double s = 0;
        for (int i = 0; i <= focus.length; i++) {
            s += Math.exp(t[i] - max);
        }
        t[focus.length + 1] = max + Math.log(s);
        return t;
    }

    static void checkArgs(LogitModel m, int n, int samples) {
        checkN(m, n);
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
    }

    static void checkN(LogitModel m, int n) {
        if (m == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (n < Math.max(1, m.focusCount())) {
            throw new IllegalArgumentException("n must be >= " + Math.max(1, m.focusCount()) + ", got " + n);
        }
    }

    static void checkLambda(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }
}
