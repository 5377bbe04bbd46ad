package org.isentropic.theory.cosscale;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.theory.entropy.Entropy;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.RunningMoments;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.entropy.LogitSample;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;

/**
 * CosScale (paper section 3): cosine attention {@code logits = s cos(q, k)}; how its row entropy depends
 * on s and n, how it concentrates, and how, with RoPE and neighbour-correlated content, it turns into a
 * local window as s grows. docs/theory.md section "CosScale".
 */
public final class CosScaleAnalysis {

    private CosScaleAnalysis() {
    }

    /**
     * Monte-Carlo entropy of cosine attention over n keys uniform on the sphere of R^d, at each s, from the
     * same rows (common random numbers).
     */
    public static Estimate[] entropyMonteCarlo(int d, int n, double[] s, int samples, long seed) {
        checkScales(s);
        return ExpectedEntropy.monteCarlo(LogitModels.sphere(d, 1.0), n, s, samples, seed);
    }

    /** The mean-field (large-n) entropy {@code ln n + ln M(s) - s M'(s)/M(s)} for the sphere. */
    public static double entropyMeanField(int d, int n, double s) {
        checkScale(s);
        return ExpectedEntropy.meanField(LogitModels.sphere(d, 1.0), n, s);
    }

    /** Su's Laplace form {@code ln n + (d/2) ln(1 - c(s)^2)}. */
    public static double entropyLaplace(int d, int n, double s) {
        checkScale(s);
        return ExpectedEntropy.laplaceSphere(d, n, s);
    }

    /**
     * The concentration bound: with c* the row's largest cosine, every key with {@code cos <= c* - delta}
     * has {@code p <= e^(-s delta)}, so their total mass is at most {@code (n - 1) e^(-s delta)} (capped at 1).
     */
    public static double concentrationBound(int n, double s, double delta) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        checkScale(s);
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and > 0, got " + delta);
        }
        return Math.min(1.0, (n - 1) * Math.exp(-s * delta));
    }

    /** Measured mass outside the near-maximal keys against the bound. */
    public record Concentration(Estimate massOutside, double largestMassOutside, double bound) {
    }

    /**
     * Monte Carlo over rows of the sphere model: the mass on keys with {@code cos <= c* - delta}, its mean and
     * its largest value over the rows, beside {@link #concentrationBound}.
     */
    public static Concentration concentration(int d, int n, double s, double delta, int samples, long seed) {
        double bound = concentrationBound(n, s, delta);
        LogitModel m = LogitModels.sphere(d, 1.0);
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] cos = new double[n];
        // raw sums (shift 0), as the committed tables were computed
        RunningMoments outside = RunningMoments.create();
        double largest = 0;
        for (int r = 0; r < samples; r++) {
            m.sampleLogits(rng, n, cos);
            double out = massOutsideNearMax(cos, n, s, delta);
            outside.add(out);
            largest = Math.max(largest, out);
        }
        return new Concentration(outside.estimate(), largest, bound);
    }

    /** The softmax(s cos) mass on keys whose cosine is at most the row maximum minus delta. */
    public static double massOutsideNearMax(double[] cos, int n, double s, double delta) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, cos[j]);
        }
        double total = 0;
        double outside = 0;
        for (int j = 0; j < n; j++) {
            double w = Math.exp(s * (cos[j] - max));
            total += w;
            if (cos[j] <= max - delta) {
                outside += w;
            }
        }
        return outside / total;
    }

    /**
     * The s at which the expected entropy over n sphere keys equals {@code targetEntropy}
     * (0 < target < ln n), by Brent on common random numbers; standard error by the delta method.
     */
    public static Estimate scaleForEntropy(int d, int n, double targetEntropy, int samples, long seed) {
        checkTarget(n, targetEntropy);
        LogitSample sample = LogitSample.draw(LogitModels.sphere(d, 1.0), n, samples, seed);
        double s = solveDecreasing(x -> sample.entropy(x).mean(), Math.log(n), targetEntropy);
        double[] v = sample.entropyWithSlope(s);
        return new Estimate(s, v[1] / Math.abs(v[2]), samples);
    }

    /** The s at which the mean-field entropy equals {@code targetEntropy}. */
    public static double scaleForEntropyMeanField(int d, int n, double targetEntropy) {
        checkTarget(n, targetEntropy);
        return solveDecreasing(x -> entropyMeanField(d, n, x), Math.log(n), targetEntropy);
    }

    private static double solveDecreasing(java.util.function.DoubleUnaryOperator f, double f0, double target) {
        double lo = 0;
        double hi = 1;
        int k = 0;
        while (f.applyAsDouble(hi) >= target) {
            lo = hi;
            hi *= 2;
            if (++k > 80) {
                throw new IllegalArgumentException("no scale up to " + hi + " reaches entropy " + target);
            }
        }
        return new org.apache.commons.math3.analysis.solvers.BrentSolver(1e-14, 1e-12)
                .solve(500, x -> f.applyAsDouble(x) - target, lo, hi);
    }

    /** Statistics of rows of the local-content model at one scale (means over rows with standard errors). */
    public record WindowStats(double s, Estimate entropy, Estimate effectiveWindow, Estimate tvToWindowed,
            Estimate massOutsideWindow) {
    }

    /**
     * Rows of the {@link LocalContentModel} with the query in the middle (i = n/2, all n keys visible),
     * stored once and evaluated at every s (common random numbers). Layout {@code cos[r * n + j]}.
     */
    public static final class LocalRows {
        private final int n;
        private final double[] cos;

        private LocalRows(int n, double[] cos) {
            this.n = n;
            this.cos = cos;
        }

        public int n() {
            return n;
        }

        /** The query's position, n/2. */
        public int query() {
            return n / 2;
        }

        /**
         * Entropy; effective window (the smallest w such that the keys with |i - j| <= w hold at least
         * 1 - eps of the mass); the total-variation distance between the row and windowed attention of
         * half-width {@code window} (softmax over |i - j| <= window only, same logits), computed from its
         * definition; and the mass outside that window (equal to the TV distance, see docs/theory.md).
         */
        public WindowStats at(double s, double eps, int window) {
            checkScale(s);
            if (!(eps > 0 && eps < 1)) {
                throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
            }
            if (window < 0) {
                throw new IllegalArgumentException("window must be >= 0, got " + window);
            }
            int query = query();
            int samples = cos.length / n;
            double[] p = new double[n];
            RunningMoments h = RunningMoments.create();
            RunningMoments w = RunningMoments.create();
            RunningMoments tv = RunningMoments.create();
            RunningMoments out = RunningMoments.create();
            for (int r = 0; r < samples; r++) {
                int off = r * n;
                h.add(Entropy.ofScaledLogits(cos, off, n, s));
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, cos[off + j]);
                }
                double total = 0;
                double inside = 0;
                for (int j = 0; j < n; j++) {
                    p[j] = Math.exp(s * (cos[off + j] - max));
                    total += p[j];
                    if (Math.abs(j - query) <= window) {
                        inside += p[j];
                    }
                }
                // effective window: grow w until the mass within |j - i| <= w reaches 1 - eps
                double mass = p[query] / total;
                int width = 0;
                while (mass < 1 - eps && width < n) {
                    width++;
                    if (query - width >= 0) {
                        mass += p[query - width] / total;
                    }
                    if (query + width < n) {
                        mass += p[query + width] / total;
                    }
                }
                w.add(width);
                double dist = 0;
                for (int j = 0; j < n; j++) {
                    double full = p[j] / total;
                    double windowed = Math.abs(j - query) <= window ? p[j] / inside : 0.0;
                    dist += Math.abs(full - windowed);
                }
                tv.add(0.5 * dist);
                out.add(1.0 - inside / total);
            }
            return new WindowStats(s, h.estimate(), w.estimate(), tv.estimate(), out.estimate());
        }
    }

    /**
     * Draws {@code samples} rows of n keys of the local-content model (query at n/2) with a
     * XO_RO_SHI_RO_128_PP generator seeded by seed.
     */
    public static LocalRows localRows(LocalContentModel model, int n, int samples, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        Rope rope = new Rope(model.d(), model.ropeBase());
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] work = new double[n * model.d()];
        double[] row = new double[n];
        double[] cos = new double[samples * n];
        int query = n / 2;
        for (int r = 0; r < samples; r++) {
            model.sampleCosines(rng, rope, n, query, work, row);
            System.arraycopy(row, 0, cos, r * n, n);
        }
        return new LocalRows(n, cos);
    }

    private static void checkScale(double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("s must be finite and > 0, got " + s);
        }
    }

    private static void checkScales(double[] s) {
        for (double v : s) {
            checkScale(v);
        }
    }

    private static void checkTarget(int n, double target) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2, got " + n);
        }
        if (!(target > 0 && target < Math.log(n))) {
            throw new IllegalArgumentException("target entropy must be in (0, ln n = " + Math.log(n) + "), got "
                    + target);
        }
    }
}
