package org.isentropic.benchmarks.baseline;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.isentropic.kernels.spec.Mask;

/**
 * Attention the textbook way, with a Java linear-algebra library: the whole n x n score matrix
 * {@code S = Q K^T} is materialised with EJML ({@code CommonOps_FDRM.multTransB}), each row is scaled,
 * masked and turned into probabilities by a softmax (with {@code Math.exp}) that also takes the row
 * entropy {@code H = m + ln l - u / l} (m the row maximum, l = sum e^(z - m), u = sum e^(z - m) z), and
 * the output is {@code O = P V} ({@code CommonOps_FDRM.mult}). With 2 or more threads the two matrix
 * products use EJML's concurrent versions ({@code CommonOps_MT_FDRM}); the softmax stays on one thread.
 *
 * <p>Memory: the score matrix is n^2 floats (64 MiB at n = 4096), allocated once per instance.
 * Layout and logits as in {@link RowAtATimeAttention}: {@code z_ij = rowScale[i] * (q_i . k_j)} over keys
 * {@code [mask.bandLo(i, n), mask.bandHi(i, n))}; masked scores get probability 0.
 */
public final class EjmlMaterialisedAttention {

    /** Largest n accepted: the score matrix of 16384^2 floats would need 1 GiB. */
    public static final int MAX_N = 8192;

    private final int n;
    private final int d;
    private final int dv;
    private final boolean concurrent;
    private final FMatrixRMaj scores;
    private final FMatrixRMaj output;

    private EjmlMaterialisedAttention(int n, int d, int dv, int threads) {
        this.n = n;
        this.d = d;
        this.dv = dv;
        this.concurrent = threads > 1;
        this.scores = new FMatrixRMaj(n, n);
        this.output = new FMatrixRMaj(n, dv);
        if (concurrent) {
            EjmlConcurrency.setMaxThreads(threads);
        }
    }

    /**
     * @param n       sequence length, 1 to {@value #MAX_N}
     * @param d       query/key dimension, >= 1
     * @param dv      value dimension, >= 1
     * @param threads 1 for the sequential EJML operations, more for the concurrent ones (EJML's thread
     *                pool is global: this sets its size)
     */
    public static EjmlMaterialisedAttention create(int n, int d, int dv, int threads) {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], got " + n);
        }
        if (d < 1 || dv < 1) {
            throw new IllegalArgumentException("d and dv must be >= 1, got d=" + d + ", dv=" + dv);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        return new EjmlMaterialisedAttention(n, d, dv, threads);
    }

    /**
     * Computes {@code o} (n x dv, copied out of EJML's output matrix) and, if {@code entropy} is not
     * null, the row entropies. q, k, v are wrapped, not copied.
     */
    public void attend(float[] q, float[] k, float[] v, float[] rowScale, Mask mask, float[] o,
                       float[] entropy) {
        if (q.length != n * d || k.length != n * d || v.length != n * dv) {
            throw new IllegalArgumentException("q, k must have n*d = " + n * d + " and v n*dv = " + n * dv
                    + " floats, got " + q.length + ", " + k.length + ", " + v.length);
        }
        if (o.length < n * dv || rowScale.length < n || (entropy != null && entropy.length < n)) {
            throw new IllegalArgumentException("o, rowScale or entropy too short for n=" + n);
        }
        RowAtATimeAttention.requireBandMask(mask);
        FMatrixRMaj qm = FMatrixRMaj.wrap(n, d, q);
        FMatrixRMaj km = FMatrixRMaj.wrap(n, d, k);
        FMatrixRMaj vm = FMatrixRMaj.wrap(n, dv, v);
        if (concurrent) {
            CommonOps_MT_FDRM.multTransB(qm, km, scores);
        } else {
            CommonOps_FDRM.multTransB(qm, km, scores);
        }
        float[] s = scores.data;
        for (int i = 0; i < n; i++) {
            softmaxRow(s, i * n, n, rowScale[i], mask.bandLo(i, n), mask.bandHi(i, n), entropy, i);
        }
        if (concurrent) {
            CommonOps_MT_FDRM.mult(scores, vm, output);
        } else {
            CommonOps_FDRM.mult(scores, vm, output);
        }
        System.arraycopy(output.data, 0, o, 0, n * dv);
    }

    private static void softmaxRow(float[] s, int off, int n, float scale, int from, int to, float[] entropy,
                                   int i) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            float z = s[off + j] * scale;
            s[off + j] = z;
            max = Math.max(max, z);
        }
        double l = 0;
        double u = 0;
        for (int j = from; j < to; j++) {
            float z = s[off + j];
            float e = (float) Math.exp(z - max);
            s[off + j] = e;
            l += e;
            u += (double) e * z;
        }
        float inv = (float) (1 / l);
        for (int j = from; j < to; j++) {
            s[off + j] *= inv;
        }
        java.util.Arrays.fill(s, off, off + from, 0f);
        java.util.Arrays.fill(s, off + to, off + n, 0f);
        if (entropy != null) {
            entropy[i] = (float) (max + Math.log(l) - u / l);
        }
    }
}
