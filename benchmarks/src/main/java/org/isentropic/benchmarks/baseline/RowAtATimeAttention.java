package org.isentropic.benchmarks.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.isentropic.kernels.spec.Mask;

/**
 * Attention one query at a time, written the way pure-Java LLM inference engines write it (a per-head
 * loop over positions): for query row i, every visible key gets a score from a Vector API dot product
 * ending in a horizontal {@code reduceLanes}, the scores are scaled, a softmax runs over the row with
 * {@code Math.exp}, and the output is the weighted sum of value rows, accumulated with one vector
 * multiply-add ("saxpy") per key. The row entropy {@code H = m + ln l - u / l} (m the row maximum,
 * l = sum e^(z - m), u = sum e^(z - m) z, i.e. {@code logsumexp(z) - sum p z}) is taken in the softmax
 * pass when asked for.
 *
 * <p>This is a fair baseline, not a straw man: the dot product is vectorised with fused multiply-adds,
 * the buffers are allocated once, and threads split the query rows (interleaved blocks of
 * {@value #ROW_BLOCK} rows, so causal masks stay balanced). What it lacks is what the fused kernel adds:
 * register tiles that reuse each loaded key across several queries, no horizontal reduction per score,
 * and a vector exp.
 *
 * <p>Layout: {@code q[i*d + c]}, {@code k[j*d + c]}, {@code v[j*dv + c]}, {@code o[i*dv + c]}. Logit
 * {@code z_ij = rowScale[i] * (q_i . k_j)} (so {@code rowScale[i] = lambda_i / sqrt(d)} for dot-product
 * attention with temperature lambda_i), over the keys {@code [mask.bandLo(i, n), mask.bandHi(i, n))} of the kernels' {@link Mask}: full, causal
 * and window masks (masks with sink tokens are refused).
 */
public final class RowAtATimeAttention implements AutoCloseable {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ROW_BLOCK = 16;

    private final int maxN;
    private final int threads;
    private final float[][] scores;
    private final ExecutorService pool;

    private RowAtATimeAttention(int maxN, int threads) {
        this.maxN = maxN;
        this.threads = threads;
        this.scores = new float[threads][maxN];
        this.pool = threads == 1 ? null : Workers.daemonPool(threads, "row-at-a-time");
    }

    /**
     * @param maxN    largest sequence length this instance will see (sizes the score buffers), >= 1
     * @param threads worker threads, 1 to 256
     */
    public static RowAtATimeAttention create(int maxN, int threads) {
        if (maxN < 1) {
            throw new IllegalArgumentException("maxN must be >= 1, got " + maxN);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        return new RowAtATimeAttention(maxN, threads);
    }

    /**
     * Computes {@code o} and (if {@code entropy} is not null) the row entropies.
     *
     * @param rowScale logit multiplier per row, length >= n
     * @param entropy  per-row entropy in nats, length >= n, or null to skip it
     */
    public void attend(float[] q, float[] k, float[] v, int n, int d, int dv, float[] rowScale,
                       Mask mask, float[] o, float[] entropy) {
        if (n < 1 || n > maxN) {
            throw new IllegalArgumentException("n must be in [1, " + maxN + "], got " + n);
        }
        if (d < 1 || dv < 1) {
            throw new IllegalArgumentException("d and dv must be >= 1, got d=" + d + ", dv=" + dv);
        }
        if (q.length < n * d || k.length < n * d || v.length < n * dv || o.length < n * dv
                || rowScale.length < n || (entropy != null && entropy.length < n)) {
            throw new IllegalArgumentException("array too short for n=" + n + ", d=" + d + ", dv=" + dv);
        }
        requireBandMask(mask);
        if (threads == 1) {
            rows(0, 1, q, k, v, n, d, dv, rowScale, mask, o, entropy, scores[0]);
            return;
        }
        List<Future<?>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int first = t;
            float[] buffer = scores[t];
            parts.add(pool.submit(() -> rows(first, threads, q, k, v, n, d, dv, rowScale, mask, o, entropy,
                    buffer)));
        }
        Workers.awaitAll(parts, "row worker");
    }

    /** The baselines handle contiguous key ranges only: no sink tokens. */
    static void requireBandMask(Mask mask) {
        if (mask.sinks() > 0) {
            throw new IllegalArgumentException("mask must have no sink tokens for the baselines, got " + mask);
        }
    }

    private static void rows(int firstBlock, int stride, float[] q, float[] k, float[] v, int n, int d, int dv,
                             float[] rowScale, Mask mask, float[] o, float[] entropy, float[] att) {
        for (int b = firstBlock * ROW_BLOCK; b < n; b += stride * ROW_BLOCK) {
            int end = Math.min(n, b + ROW_BLOCK);
            for (int i = b; i < end; i++) {
                row(i, q, k, v, n, d, dv, rowScale[i], mask.bandLo(i, n), mask.bandHi(i, n), o, entropy, att);
            }
        }
    }

    private static void row(int i, float[] q, float[] k, float[] v, int n, int d, int dv, float scale,
                            int from, int to, float[] o, float[] entropy, float[] att) {
        int qo = i * d;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            float z = dot(q, qo, k, j * d, d) * scale;
            att[j] = z;
            max = Math.max(max, z);
        }
        double l = 0;
        double u = 0;
        for (int j = from; j < to; j++) {
            float z = att[j];
            float e = (float) Math.exp(z - max);
            att[j] = e;
            l += e;
            u += (double) e * z;
        }
        float inv = (float) (1 / l);
        for (int j = from; j < to; j++) {
            att[j] *= inv;
        }
        if (entropy != null) {
            entropy[i] = (float) (max + Math.log(l) - u / l);
        }
        int oo = i * dv;
        java.util.Arrays.fill(o, oo, oo + dv, 0f);
        for (int j = from; j < to; j++) {
            saxpy(att[j], v, j * dv, o, oo, dv);
        }
    }

    /** {@code a . b} over {@code len} floats: one vector FMA accumulator, one horizontal reduction. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int c = 0;
        int upper = SPECIES.loopBound(len);
        for (; c < upper; c += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, ao + c).fma(FloatVector.fromArray(SPECIES, b, bo + c), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; c < len; c++) {
            s += a[ao + c] * b[bo + c];
        }
        return s;
    }

    /** {@code y += alpha * x} over {@code len} floats. */
    static void saxpy(float alpha, float[] x, int xo, float[] y, int yo, int len) {
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int c = 0;
        int upper = SPECIES.loopBound(len);
        for (; c < upper; c += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + c)
                    .fma(a, FloatVector.fromArray(SPECIES, y, yo + c))
                    .intoArray(y, yo + c);
        }
        for (; c < len; c++) {
            y[yo + c] += alpha * x[xo + c];
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
