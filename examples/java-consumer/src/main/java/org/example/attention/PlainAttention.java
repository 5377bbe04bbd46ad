package org.example.attention;

import org.isentropic.base.LogitKind;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Positions;

/**
 * A small attention kernel of the kind another project writes: float arithmetic, one pass for the row
 * maximum, one for the softmax. For row i of n, with visible keys j (the spec's mask):
 *
 * <pre>
 *   z_ij = f_i * c * q_i . k_j     c = 1/sqrt(d) (dot), s with unit vectors (cosine)
 *   p_ij = exp(z_ij - max_j z_ij) / l_i,   l_i = sum_j exp(z_ij - max_j z_ij)
 *   o_i  = sum_j p_ij v_j,   logsumexp_i = max_j z_ij + ln l_i,   H_i = logsumexp_i - sum_j p_ij z_ij
 * </pre>
 *
 * f_i is the spec's temperature for the row ({@link AttentionSpec#rowFactor}: InfoScale, log-n, ...).
 * Layout: {@code q[i*d + c]}, {@code k[j*d + c]}, {@code v[j*dv + c]}. No position schemes: a spec with
 * positions is refused.
 */
public final class PlainAttention implements AttentionKernel {

    private final float temperatureError;

    /** The kernel. */
    public PlainAttention() {
        this(1f);
    }

    /** A deliberately wrong kernel: every temperature multiplied by {@code temperatureError}. */
    public static PlainAttention withWrongTemperature(float temperatureError) {
        return new PlainAttention(temperatureError);
    }

    private PlainAttention(float temperatureError) {
        this.temperatureError = temperatureError;
    }

    @Override
    public String name() {
        return temperatureError == 1f ? "plain" : "plain-wrong-temperature";
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        if (!spec.positions().equals(Positions.none())) {
            throw new IllegalArgumentException("PlainAttention has no position schemes, got " + spec.positions());
        }
        spec.check(n, d);
        boolean cosine = spec.kind() == LogitKind.COSINE;
        float c = (float) spec.contentScale(d);
        float[] qn = cosine ? unitRows(q, n, d) : q;
        float[] kn = cosine ? unitRows(k, n, d) : k;
        float[] z = new float[n];          // [n] the logits of one row
        float[] acc = new float[dv];       // [dv] the weighted sum of values of one row
        for (int i = 0; i < n; i++) {
            float f = (float) spec.rowFactor(i, n) * temperatureError;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (!spec.mask().visible(i, j, n)) {
                    z[j] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                float dot = 0f;
                for (int x = 0; x < d; x++) {
                    dot += qn[i * d + x] * kn[j * d + x];
                }
                z[j] = f * c * dot;
                max = Math.max(max, z[j]);
            }
            float l = 0f;
            float pz = 0f;
            java.util.Arrays.fill(acc, 0f);
            for (int j = 0; j < n; j++) {
                if (z[j] == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                float e = (float) Math.exp(z[j] - max);
                l += e;
                pz += e * (z[j] - max);
                for (int x = 0; x < dv; x++) {
                    acc[x] += e * v[j * dv + x];
                }
            }
            for (int x = 0; x < dv; x++) {
                out.o()[i * dv + x] = acc[x] / l;
            }
            out.logSumExp()[i] = max + (float) Math.log(l);
            out.entropy()[i] = Math.max(0f, (float) Math.log(l) - pz / l);
        }
    }

    /** Rows scaled to unit length; a zero row stays zero (its cosine with everything is 0). */
    private static float[] unitRows(float[] x, int rows, int cols) {
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            float ss = 0f;
            for (int c = 0; c < cols; c++) {
                ss += x[r * cols + c] * x[r * cols + c];
            }
            float inv = ss > 0f ? (float) (1 / Math.sqrt(ss)) : 0f;
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = x[r * cols + c] * inv;
            }
        }
        return y;
    }
}
