package org.isentropic.figures.analysis;

import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.verification.bridge.AttentionInputs;

/**
 * Figure 6's heat maps: the full probability matrix of cosine attention ({@code s cos} of RoPE-rotated
 * q and k) on neighbour-correlated content (verification's {@link AttentionInputs#neighbourCorrelated}),
 * computed by an attention kernel, one map per s, all on the same inputs.
 *
 * @param n              sequence length
 * @param scales         the s values
 * @param probs          {@code probs[k][i * n + j]}: attention of query i on key j at {@code scales[k]}
 * @param meanEntropy    the kernel's mean row entropy per s (nats)
 * @param effectiveWidth per s, the mean over rows of the smallest w with at least {@code coverage} of the
 *                       row's mass on keys {@code |i - j| <= w}
 * @param coverage       the mass fraction defining the effective width
 */
public record AttentionMaps(int n, double[] scales, double[][] probs, double[] meanEntropy, double[] effectiveWidth,
        double coverage) {

    /** RoPE base of the maps (GAU-alpha's, docs/method.md, section 5). */
    public static final double ROPE_BASE = 10000.0;

    public static AttentionMaps compute(AttentionKernel kernel, int n, int d, double rho, double[] scales,
            double coverage, long seed) {
        if (!(coverage > 0 && coverage < 1)) {
            throw new IllegalArgumentException("coverage must be in (0, 1), got " + coverage);
        }
        AttentionInputs in = AttentionInputs.neighbourCorrelated(n, d, 1, rho, seed);
        double[][] probs = new double[scales.length][];
        double[] h = new double[scales.length];
        double[] width = new double[scales.length];
        AttentionOutput out = AttentionOutput.allocate(n, 1, true);
        for (int k = 0; k < scales.length; k++) {
            AttentionSpec spec = AttentionSpec.cosine(scales[k]).withPositions(Positions.rope(ROPE_BASE));
            kernel.attend(spec, in.q(), in.k(), in.v(), n, d, 1, out);
            float[] p = out.probs();
            probs[k] = new double[n * n];
            for (int x = 0; x < n * n; x++) {
                probs[k][x] = p[x];
            }
            double sumH = 0;
            for (float e : out.entropy()) {
                sumH += e;
            }
            h[k] = sumH / n;
            width[k] = meanWidth(probs[k], n, coverage);
        }
        return new AttentionMaps(n, scales.clone(), probs, h, width, coverage);
    }

    /** Mean over rows of the smallest w such that keys within |i - j| <= w hold >= coverage of the row. */
    static double meanWidth(double[] p, int n, double coverage) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                rowSum += p[i * n + j];
            }
            double mass = p[i * n + i];
            int w = 0;
            while (mass < coverage * rowSum && w < n) {
                w++;
                if (i - w >= 0) {
                    mass += p[i * n + i - w];
                }
                if (i + w < n) {
                    mass += p[i * n + i + w];
                }
            }
            total += w;
        }
        return total / n;
    }
}
