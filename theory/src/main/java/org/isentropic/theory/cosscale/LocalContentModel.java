package org.isentropic.theory.cosscale;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Content that is similar between neighbours, under RoPE: the key content at positions 0..n-1 is a
 * Gaussian AR(1) sequence {@code x_0 ~ N(0, I)}, {@code x_j = rho x_{j-1} + sqrt(1 - rho^2) g_j}, so that
 * contents at distance D have correlation {@code rho^|D|}; the query at position i has content
 * {@code r x_i + sqrt(1 - r^2) g} (r = 1: the query is its own key). Query and keys are rotated by RoPE
 * at their positions, then compared by cosine: {@code cos(R_i q, R_j k_j)}.
 *
 * @param d                    even, {@code >= 2}
 * @param ropeBase             {@code > 1} (10000)
 * @param neighbourCorrelation rho in [0, 1)
 * @param queryKeyCorrelation  r in [0, 1]
 */
public record LocalContentModel(int d, double ropeBase, double neighbourCorrelation, double queryKeyCorrelation) {

    public LocalContentModel {
        new Rope(d, ropeBase); // validates d and base
        if (!(neighbourCorrelation >= 0 && neighbourCorrelation < 1)) {
            throw new IllegalArgumentException("neighbourCorrelation must be in [0, 1), got " + neighbourCorrelation);
        }
        if (!(queryKeyCorrelation >= 0 && queryKeyCorrelation <= 1)) {
            throw new IllegalArgumentException("queryKeyCorrelation must be in [0, 1], got " + queryKeyCorrelation);
        }
    }

    /**
     * Draws the cosines {@code out[j] = cos(R_i q, R_j k_j)}, j in [0, n), for the query at position
     * {@code i} (in [0, n)).
     *
     * @param work at least n*d doubles of scratch space (the rotated keys)
     */
    public void sampleCosines(UniformRandomProvider rng, Rope rope, int n, int i, double[] work, double[] out) {
        if (n < 1 || i < 0 || i >= n) {
            throw new IllegalArgumentException("need n >= 1 and 0 <= i < n, got n = " + n + ", i = " + i);
        }
        if (rope.dim() != d || work.length < n * d || out.length < n) {
            throw new IllegalArgumentException("rope, work or out does not fit d = " + d + ", n = " + n);
        }
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
        double rho = neighbourCorrelation;
        double innov = Math.sqrt(1 - rho * rho);
        double r = queryKeyCorrelation;
        double qNoise = Math.sqrt(1 - r * r);
        double[] q = new double[d];
        for (int c = 0; c < d; c++) {
            work[c] = normal.sample();
        }
        for (int j = 0; j < n; j++) {
            int o = j * d;
            if (j > 0) {
                for (int c = 0; c < d; c++) {
                    work[o + c] = rho * work[o - d + c] + innov * normal.sample();
                }
            }
            if (j == i) {
                for (int c = 0; c < d; c++) {
                    q[c] = r * work[o + c] + qNoise * normal.sample();
                }
            }
        }
        // Rotate after the recursion (which needs the unrotated previous content), last row first.
        for (int j = n - 1; j >= 0; j--) {
            rope.rotate(work, j * d, j);
        }
        rope.rotate(q, 0, i);
        double qq = 0;
        for (int c = 0; c < d; c++) {
            qq += q[c] * q[c];
        }
        double qn = Math.sqrt(qq);
        for (int j = 0; j < n; j++) {
            int o = j * d;
            double dot = 0;
            double kk = 0;
            for (int c = 0; c < d; c++) {
                dot += q[c] * work[o + c];
                kk += work[o + c] * work[o + c];
            }
            out[j] = dot / (qn * Math.sqrt(kk));
        }
    }
}
