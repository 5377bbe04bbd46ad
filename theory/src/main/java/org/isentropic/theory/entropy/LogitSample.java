package org.isentropic.theory.entropy;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.theory.models.LogitModel;

/**
 * Stored temperature-1 logits of {@code samples} independent rows of n keys drawn from a model: common
 * random numbers for every temperature lambda, so that a root finder over lambda sees a smooth function
 * and differences between temperatures carry no sampling noise of their own. Layout
 * {@code z[r * n + j]}. Memory: 8 * samples * n bytes.
 */
public final class LogitSample {

    private final LogitModel model;
    private final int n;
    private final int samples;
    private final double[] z;
    /** Row maxima, found once: each evaluation at a new lambda then makes one pass over the row. */
    private final double[] rowMax;

    private LogitSample(LogitModel model, int n, int samples, double[] z) {
        this.model = model;
        this.n = n;
        this.samples = samples;
        this.z = z;
        this.rowMax = new double[samples];
        for (int r = 0; r < samples; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = r * n; j < (r + 1) * n; j++) {
                m = Math.max(m, z[j]);
            }
            rowMax[r] = m;
        }
    }

    /**
     * Draws the rows with a XO_RO_SHI_RO_128_PP generator seeded by {@code seed}.
     *
     * @param n       {@code >= 1}
     * @param samples {@code >= 2}, with {@code samples * n <= Integer.MAX_VALUE - 8}
     */
    public static LogitSample draw(LogitModel model, int n, int samples, long seed) {
        ExpectedEntropy.checkArgs(model, n, samples);
        if ((long) samples * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("samples * n = " + (long) samples * n + " is too large to store");
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] z = new double[samples * n];
        double[] row = new double[n];
        for (int r = 0; r < samples; r++) {
            model.sampleLogits(rng, n, row);
            System.arraycopy(row, 0, z, r * n, n);
        }
        return new LogitSample(model, n, samples, z);
    }

    public int n() {
        return n;
    }

    public int samples() {
        return samples;
    }

    /** The mean row entropy at temperature lambda with its standard error. */
    public Estimate entropy(double lambda) {
        RunningMoments h = RunningMoments.around(Entropy.ofScaledLogits(z, 0, n, lambda));
        for (int r = 0; r < samples; r++) {
            h.add(Entropy.ofScaledLogitsWithMax(z, r * n, n, lambda, rowMax[r]));
        }
        return h.estimate();
    }

    /**
     * {mean entropy, its standard error, mean dH/dlambda} at lambda: what a root finder and the delta
     * method need.
     */
    public double[] entropyWithSlope(double lambda) {
        double[] hs = new double[2];
        Entropy.ofScaledLogitsWithSlope(z, 0, n, lambda, hs);
        RunningMoments h = RunningMoments.around(hs[0]);
        double slope = 0;
        for (int r = 0; r < samples; r++) {
            Entropy.ofScaledLogitsWithSlope(z, r * n, n, lambda, hs);
            h.add(hs[0]);
            slope += hs[1];
        }
        Estimate e = h.estimate();
        return new double[] {e.mean(), e.standardError(), slope / samples};
    }

    /** The mean softmax mass on the model's focus keys at temperature lambda (0 without focus). */
    public Estimate focusMass(double lambda) {
        int k = model.focusCount();
        RunningMoments mass = RunningMoments.around(Entropy.massOfFirst(z, 0, n, lambda, k));
        for (int r = 0; r < samples; r++) {
            mass.add(Entropy.massOfFirst(z, r * n, n, lambda, k));
        }
        return mass.estimate();
    }

    /** The mean largest temperature-1 logit of a row. */
    public Estimate maxLogit() {
        RunningMoments max = RunningMoments.create();
        for (int r = 0; r < samples; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = r * n; j < (r + 1) * n; j++) {
                m = Math.max(m, z[j]);
            }
            max.add(m);
        }
        return max.estimate();
    }
}
