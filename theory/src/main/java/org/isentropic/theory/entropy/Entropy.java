package org.isentropic.theory.entropy;

/**
 * The row entropy of softmax attention, the project's one formula (docs/method.md (the row entropy)):
 * {@code H = logsumexp(z) - sum_j p_j z_j}, p = softmax(z), computed with the maximum factored out,
 * {@code H = ln l - u / l}, {@code l = sum e^(z_j - m)}, {@code u = sum e^(z_j - m) (z_j - m)}.
 * H is in [0, ln n]; logits of -infinity (masked keys) carry no mass.
 */
public final class Entropy {

    private Entropy() {
    }

    /**
     * Entropy of softmax(z[0..n)).
     *
     * @throws IllegalArgumentException for n < 1, n > z.length, a NaN or +infinity logit, or all -infinity
     */
    public static double ofLogits(double[] z, int n) {
        return ofScaledLogits(z, 0, n, 1.0);
    }

    /**
     * Entropy of softmax(lambda * z[off..off+n)): the same draws at several temperatures (common random
     * numbers) without copying.
     *
     * @param lambda finite, {@code >= 0}
     */
    public static double ofScaledLogits(double[] z, int off, int n, double lambda) {
        check(z, off, n, lambda);
        double m = Double.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            m = Math.max(m, z[j]);
        }
        return ofScaledLogitsWithMax(z, off, n, lambda, m);
    }

    /** As {@link #ofScaledLogits} with the row maximum {@code m} already known (rows reused across lambda). */
    static double ofScaledLogitsWithMax(double[] z, int off, int n, double lambda, double m) {
        double l = 0;
        double u = 0;
        for (int j = off; j < off + n; j++) {
            double x = lambda * (z[j] - m);
            if (x > Double.NEGATIVE_INFINITY) {
                double w = Math.exp(x);
                l += w;
                u += w * x;
            }
        }
        double h = Math.log(l) - u / l;
        if (Double.isNaN(h)) {
            throw new IllegalArgumentException("logits must not contain NaN or +Infinity and not be all -Infinity");
        }
        return Math.max(0.0, h);
    }

    /**
     * Entropy of softmax(lambda z) and its derivative {@code dH/dlambda = -lambda Var_p(z)}, written into
     * {@code out[0]} and {@code out[1]}.
     */
    public static void ofScaledLogitsWithSlope(double[] z, int off, int n, double lambda, double[] out) {
        check(z, off, n, lambda);
        double m = Double.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            m = Math.max(m, z[j]);
        }
        double l = 0;
        double s1 = 0;
        double s2 = 0;
        for (int j = off; j < off + n; j++) {
            double y = z[j] - m;
            if (y > Double.NEGATIVE_INFINITY) {
                double w = Math.exp(lambda * y);
                l += w;
                s1 += w * y;
                s2 += w * y * y;
            }
        }
        double mean = s1 / l;
        double h = Math.log(l) - lambda * mean;
        if (Double.isNaN(h)) {
            throw new IllegalArgumentException("logits must not contain NaN or +Infinity and not be all -Infinity");
        }
        out[0] = Math.max(0.0, h);
        out[1] = -lambda * Math.max(0.0, s2 / l - mean * mean);
    }

    /**
     * The softmax mass of softmax(lambda z[off..off+n)) on its first {@code k} entries (the planted focus).
     */
    public static double massOfFirst(double[] z, int off, int n, double lambda, int k) {
        check(z, off, n, lambda);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k must be in [0, n = " + n + "], got " + k);
        }
        double m = Double.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            m = Math.max(m, z[j]);
        }
        double l = 0;
        double f = 0;
        for (int j = off; j < off + n; j++) {
            double w = Math.exp(lambda * (z[j] - m));
            l += w;
            if (j < off + k) {
                f += w;
            }
        }
        return f / l;
    }

    private static void check(double[] z, int off, int n, double lambda) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (off < 0 || off + n > z.length) {
            throw new IllegalArgumentException("range [" + off + ", " + (off + n) + ") is outside z of length "
                    + z.length);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }
}
