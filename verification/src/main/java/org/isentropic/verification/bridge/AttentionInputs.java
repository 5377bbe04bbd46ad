package org.isentropic.verification.bridge;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.theory.models.LogitModel;

/**
 * One attention problem in the kernels' float layout: {@code q[i*d + c]}, {@code k[j*d + c]} (n x d),
 * {@code v[j*dv + c]} (n x dv). Built by the static factories here (deterministic from a seed) and
 * wrapped as QuickTheories generators by {@code AttentionInputGenerators} in the {@code generators} package,
 * which builds on this one (this package does not use QuickTheories, so that applications can draw inputs
 * without it).
 *
 * @param description how the example was made (family, parameters, seed), printed when it falsifies a
 *     property
 * @param n sequence length (rows and keys), &gt;= 1
 * @param d query/key dimension, &gt;= 1
 * @param dv value dimension, &gt;= 1
 * @param q queries
 * @param k keys
 * @param v values
 */
public record AttentionInputs(String description, int n, int d, int dv, float[] q, float[] k, float[] v) {

    /** Validates shapes and finiteness. */
    public AttentionInputs {
        if (n < 1 || d < 1 || dv < 1) {
            throw new IllegalArgumentException("n, d, dv must be >= 1, got n=" + n + ", d=" + d + ", dv=" + dv);
        }
        check("q", q, (long) n * d);
        check("k", k, (long) n * d);
        check("v", v, (long) n * dv);
    }

    private static void check(String name, float[] x, long size) {
        if (x == null || x.length != size) {
            throw new IllegalArgumentException(name + " must have " + size + " values, got "
                    + (x == null ? "null" : String.valueOf(x.length)));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + x[i]);
            }
        }
    }

    /** @return the largest |value| of q, k and v together */
    public double maxAbs() {
        return Math.max(maxAbs(q), Math.max(maxAbs(k), maxAbs(v)));
    }

    /** @return the largest Euclidean norm of a query row */
    public double maxQueryNorm() {
        return maxRowNorm(q, n, d);
    }

    /** @return the largest Euclidean norm of a key row */
    public double maxKeyNorm() {
        return maxRowNorm(k, n, d);
    }

    /** @return the largest |v| */
    public double maxAbsValue() {
        return maxAbs(v);
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float f : x) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    private static double maxRowNorm(float[] x, int rows, int cols) {
        double m = 0;
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int c = 0; c < cols; c++) {
                double a = x[r * cols + c];
                ss += a * a;
            }
            m = Math.max(m, Math.sqrt(ss));
        }
        return m;
    }

    @Override
    public String toString() {
        return description + " [n=" + n + ", d=" + d + ", dv=" + dv + "]";
    }

    /** The random source of every factory: XoRoShiRo128++ seeded with {@code seed}. */
    public static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    /**
     * Standard normal q, k and v, each entry multiplied by {@code scale}.
     *
     * @param n length, &gt;= 1
     * @param d dimension, &gt;= 1
     * @param dv value dimension, &gt;= 1
     * @param scale entry scale, finite and &gt; 0
     * @param seed random seed
     * @return the inputs
     */
    public static AttentionInputs gaussian(int n, int d, int dv, double scale, long seed) {
        positive("scale", scale);
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng(seed));
        float[] q = fill(g, n * d, scale);
        float[] k = fill(g, n * d, scale);
        float[] v = fill(g, n * dv, 1.0);
        return new AttentionInputs("gaussian(scale=" + scale + ", seed=" + seed + ")", n, d, dv, q, k, v);
    }

    /**
     * Content correlated between neighbours: a Gaussian random walk {@code x_t = rho x_{t-1} +
     * sqrt(1 - rho^2) g_t} for q (and k = q plus small noise), so nearby positions have similar vectors
     * (the setting of CosScale's windowed-attention claim, paper section 3).
     *
     * @param n length
     * @param d dimension
     * @param dv value dimension
     * @param rho neighbour correlation in [0, 1)
     * @param seed random seed
     * @return the inputs
     */
    public static AttentionInputs neighbourCorrelated(int n, int d, int dv, double rho, long seed) {
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("rho must be in [0, 1), got " + rho);
        }
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng(seed));
        float[] q = new float[n * d];
        float[] k = new float[n * d];
        double innovation = Math.sqrt(1 - rho * rho);
        double[] x = new double[d];
        for (int c = 0; c < d; c++) {
            x[c] = g.sample();
        }
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                if (t > 0) {
                    x[c] = rho * x[c] + innovation * g.sample();
                }
                q[t * d + c] = (float) x[c];
                k[t * d + c] = (float) (x[c] + 0.1 * g.sample());
            }
        }
        float[] v = fill(g, n * dv, 1.0);
        return new AttentionInputs("neighbourCorrelated(rho=" + rho + ", seed=" + seed + ")", n, d, dv, q, k, v);
    }

    /**
     * Near-ties: every key is one base vector plus a perturbation of relative size {@code 2^-20}, so
     * all logits of a row agree to about six digits; the entropy is close to ln n and float rounding of
     * the logits is of the same order as their differences.
     *
     * @param n length
     * @param d dimension
     * @param dv value dimension
     * @param seed random seed
     * @return the inputs
     */
    public static AttentionInputs nearTies(int n, int d, int dv, long seed) {
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng(seed));
        float[] q = fill(g, n * d, 1.0);
        float[] base = fill(g, d, 1.0);
        float[] k = new float[n * d];
        double eps = 0x1.0p-20;
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < d; c++) {
                k[j * d + c] = (float) (base[c] * (1 + eps * g.sample()));
            }
        }
        float[] v = fill(g, n * dv, 1.0);
        return new AttentionInputs("nearTies(seed=" + seed + ")", n, d, dv, q, k, v);
    }

    /**
     * Huge norms: q and k entries of size {@code magnitude}, so dot logits reach about
     * {@code magnitude^2 sqrt(d)}; softmax must stay finite (max subtraction) and nearly one-hot.
     *
     * @param n length
     * @param d dimension
     * @param dv value dimension
     * @param magnitude entry scale, finite and &gt; 0 (e.g. 1e3)
     * @param seed random seed
     * @return the inputs
     */
    public static AttentionInputs hugeNorms(int n, int d, int dv, double magnitude, long seed) {
        AttentionInputs a = gaussian(n, d, dv, magnitude, seed);
        return new AttentionInputs("hugeNorms(magnitude=" + magnitude + ", seed=" + seed + ")", n, d, dv,
                a.q(), a.k(), a.v());
    }

    /**
     * One dominant key: random unit-scale q and k, then key {@code dominant} replaced by
     * {@code strength * sqrt(d)} times the mean query direction, so every row puts almost all its mass on it
     * (for {@code strength} of 10 or more).
     *
     * @param n length
     * @param d dimension
     * @param dv value dimension
     * @param dominant index of the dominant key in [0, n)
     * @param strength its size, finite and &gt; 0
     * @param seed random seed
     * @return the inputs
     */
    public static AttentionInputs oneDominantKey(int n, int d, int dv, int dominant, double strength, long seed) {
        if (dominant < 0 || dominant >= n) {
            throw new IllegalArgumentException("dominant must be in [0, " + n + "), got " + dominant);
        }
        positive("strength", strength);
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng(seed));
        // Queries share a common direction u (plus small noise) so one key can dominate every row.
        float[] u = fill(g, d, 1.0);
        float[] q = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                q[i * d + c] = (float) (u[c] + 0.1 * g.sample());
            }
        }
        float[] k = fill(g, n * d, 0.1);
        double norm = 0;
        for (float x : u) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int c = 0; c < d; c++) {
            k[dominant * d + c] = (float) (strength * Math.sqrt(d) * u[c] / norm);
        }
        float[] v = fill(g, n * dv, 1.0);
        return new AttentionInputs("oneDominantKey(key=" + dominant + ", strength=" + strength + ", seed=" + seed
                + ")", n, d, dv, q, k, v);
    }

    /**
     * Inputs from a theory logit model: the keys are one draw of {@link LogitModel#sampleVectors}; query
     * row 0 is that draw's query, and rows 1..n-1 are the queries of independent draws (their keys
     * discarded). For models without focus ({@code focusCount() == 0}) the keys do not depend on the
     * query, so every row is a draw of the model's query against n keys; for planted-focus models only
     * row 0 is (the planted keys sit around q_0). Values are standard normal.
     *
     * @param model the model; its {@code dim()} is d
     * @param n length, &gt;= max(1, focusCount)
     * @param dv value dimension
     * @param seed random seed
     * @return the inputs; logits of the model are {@code scale() * q.k/sqrt(d)} (DOT) or
     *     {@code scale() * cos(q, k)} (COSINE)
     */
    public static AttentionInputs fromModel(LogitModel model, int n, int dv, long seed) {
        UniformRandomProvider rng = rng(seed);
        int d = model.dim();
        double[] q0 = new double[d];
        double[] keys = new double[n * d];
        model.sampleVectors(rng, n, q0, keys);
        float[] q = new float[n * d];
        for (int c = 0; c < d; c++) {
            q[c] = (float) q0[c];
        }
        int draw = Math.max(1, model.focusCount());
        double[] qi = new double[d];
        double[] scratch = new double[draw * d];
        for (int i = 1; i < n; i++) {
            model.sampleVectors(rng, draw, qi, scratch);
            for (int c = 0; c < d; c++) {
                q[i * d + c] = (float) qi[c];
            }
        }
        float[] k = new float[n * d];
        for (int x = 0; x < k.length; x++) {
            k[x] = (float) keys[x];
        }
        float[] v = fill(ZigguratSampler.NormalizedGaussian.of(rng), n * dv, 1.0);
        return new AttentionInputs(model + "(seed=" + seed + ")", n, d, dv, q, k, v);
    }

    private static float[] fill(ContinuousSampler g, int size, double scale) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (scale * g.sample());
        }
        return x;
    }

    private static void positive(String name, double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + x);
        }
    }
}
