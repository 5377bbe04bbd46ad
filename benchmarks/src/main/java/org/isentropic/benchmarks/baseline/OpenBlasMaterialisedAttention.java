package org.isentropic.benchmarks.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.isentropic.kernels.spec.Mask;

/**
 * Attention materialised with an optimised BLAS, the way NumPy or PyTorch eager code computes it, as the
 * peer the fused kernel has to beat: per block of query rows, {@code S = Q_b K^T} by OpenBLAS's
 * {@code cblas_sgemm} (only over the keys some row of the block can see), the row softmax with the entropy
 * in Java with the Vector API ({@code H = ln l - u / l}, l = sum e^(z - m), u = sum e^(z - m)(z - m)), and
 * {@code O_b = P V} by {@code cblas_sgemm}, then each output row divided by its l. Logits
 * {@code z_ij = rowScale[i] * (q_i . k_j)} with the row scale folded into a copy of q once per call, keys
 * {@code [mask.bandLo(i, n), mask.bandHi(i, n))} (band masks: full, causal, windows).
 *
 * <p>Operands live off-heap ({@link FloatPointer}), allocated once per instance: q, k and v are copied in
 * once per call (3 n d floats, as a NumPy caller's arrays already live in native memory this is the one
 * cost a Java caller pays and NumPy does not), and each block's scores are copied to a Java array for the
 * softmax and its probabilities back (bulk copies of 2 x block x n floats). OpenBLAS's own threads are set
 * by the environment of the process ({@code OPENBLAS_NUM_THREADS}); the softmax runs on {@code threads}
 * Java threads over the block's rows. Memory: one block of {@value #BLOCK_ROWS} x n scores off-heap and on
 * the heap.
 */
public final class OpenBlasMaterialisedAttention implements AutoCloseable {

    /** Query rows per block: a block's scores (16 MiB at n = 4096) are produced and consumed by sgemm. */
    public static final int BLOCK_ROWS = 1024;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int n;
    private final int d;
    private final int dv;
    private final int threads;
    private final int blockRows;
    private final FloatPointer qScaled;  // [n, d]
    private final FloatPointer keys;     // [n, d]
    private final FloatPointer values;   // [n, dv]
    private final FloatPointer scores;   // [blockRows, n]
    private final FloatPointer outBlock; // [blockRows, dv]
    private final float[] qCopy;         // [n * d]
    private final float[] heapScores;    // [blockRows * n]
    private final float[] rowSum;        // [blockRows] l of each row of the block
    private final ExecutorService pool;

    private OpenBlasMaterialisedAttention(int n, int d, int dv, int threads) {
        this.n = n;
        this.d = d;
        this.dv = dv;
        this.threads = threads;
        this.blockRows = Math.min(BLOCK_ROWS, n);
        this.qScaled = new FloatPointer((long) n * d);
        this.keys = new FloatPointer((long) n * d);
        this.values = new FloatPointer((long) n * dv);
        this.scores = new FloatPointer((long) blockRows * n);
        this.outBlock = new FloatPointer((long) blockRows * dv);
        this.qCopy = new float[n * d];
        this.heapScores = new float[blockRows * n];
        this.rowSum = new float[blockRows];
        this.pool = threads > 1 ? Workers.daemonPool(threads - 1, "openblas-peer-softmax") : null;
    }

    /**
     * @param n       sequence length, &gt;= 1
     * @param d       query/key dimension, &gt;= 1
     * @param dv      value dimension, &gt;= 1
     * @param threads Java threads of the softmax, 1 to 256 (OpenBLAS's threads come from its environment)
     */
    public static OpenBlasMaterialisedAttention create(int n, int d, int dv, int threads) {
        if (n < 1 || d < 1 || dv < 1) {
            throw new IllegalArgumentException("n, d and dv must be >= 1, got " + n + ", " + d + ", " + dv);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        return new OpenBlasMaterialisedAttention(n, d, dv, threads);
    }

    /** The OpenBLAS version string of the loaded library's headers. */
    public static String version() {
        return openblas.OPENBLAS_VERSION.trim();
    }

    /**
     * The thread count OpenBLAS read from this process's environment when it loaded
     * ({@code OPENBLAS_NUM_THREADS}), or -1 when the variable is not set to a positive integer (OpenBLAS then
     * uses every processor). The presets expose no call that reports it, so the environment is what counts.
     */
    public static int blasThreads() {
        String value = System.getenv("OPENBLAS_NUM_THREADS");
        try {
            int t = value == null ? -1 : Integer.parseInt(value.trim());
            return t > 0 ? t : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Computes o (n x dv) and, when entropy is not null, the row entropies (nats). */
    public void attend(float[] q, float[] k, float[] v, float[] rowScale, Mask mask, float[] o, float[] entropy) {
        attend(q, 0, k, 0, v, 0, rowScale, mask, o, 0, entropy, 0);
    }

    /**
     * As {@link #attend(float[], float[], float[], float[], Mask, float[], float[])} on one head of multi-head
     * arrays: q's rows start at float qOff, k's at kOff, v's at vOff; o's rows are written from oOff and the
     * entropies from eOff.
     */
    public void attend(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] rowScale, Mask mask,
                       float[] o, int oOff, float[] entropy, int eOff) {
        if (qOff < 0 || kOff < 0 || vOff < 0 || oOff < 0 || eOff < 0 || q.length - qOff < n * d
                || k.length - kOff < n * d || v.length - vOff < n * dv) {
            throw new IllegalArgumentException("q, k need n*d = " + n * d + " and v n*dv = " + n * dv
                    + " floats from their offsets");
        }
        if (o.length - oOff < n * dv || rowScale.length < n || (entropy != null && entropy.length - eOff < n)) {
            throw new IllegalArgumentException("o, rowScale or entropy too short for n=" + n);
        }
        RowAtATimeAttention.requireBandMask(mask);
        for (int i = 0; i < n; i++) {
            float s = rowScale[i];
            for (int c = 0; c < d; c++) {
                qCopy[i * d + c] = q[qOff + i * d + c] * s;
            }
        }
        qScaled.put(qCopy, 0, n * d);
        keys.put(k, kOff, n * d);
        values.put(v, vOff, n * dv);
        for (int i0 = 0; i0 < n; i0 += blockRows) {
            int rows = Math.min(blockRows, n - i0);
            int lo = n;
            int hi = 0;
            for (int i = i0; i < i0 + rows; i++) {
                lo = Math.min(lo, mask.bandLo(i, n));
                hi = Math.max(hi, mask.bandHi(i, n));
            }
            int width = hi - lo;
            // S[r, jj] = q_(i0 + r) . k_(lo + jj), row stride width
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rows, width, d,
                    1f, qScaled.position((long) i0 * d), d, keys.position((long) lo * d), d, 0f, scores.position(0),
                    width);
            scores.get(heapScores, 0, rows * width);
            softmaxRows(mask, i0, rows, lo, width, entropy, eOff);
            scores.put(heapScores, 0, rows * width);
            // O_b = P V over the same keys
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, rows, dv,
                    width, 1f, scores.position(0), width, values.position((long) lo * dv), dv, 0f, outBlock, dv);
            outBlock.get(o, oOff + i0 * dv, rows * dv);
            for (int r = 0; r < rows; r++) {
                float inv = 1f / rowSum[r];
                for (int c = 0; c < dv; c++) {
                    o[oOff + (i0 + r) * dv + c] *= inv;
                }
            }
        }
        qScaled.position(0);
        keys.position(0);
        values.position(0);
    }

    private void softmaxRows(Mask mask, int i0, int rows, int lo, int width, float[] entropy, int eOff) {
        if (pool == null) {
            softmaxPart(mask, i0, rows, lo, width, entropy, eOff, 0, 1);
            return;
        }
        List<Future<?>> parts = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> softmaxPart(mask, i0, rows, lo, width, entropy, eOff, first, threads)));
        }
        softmaxPart(mask, i0, rows, lo, width, entropy, eOff, 0, threads);
        Workers.awaitAll(parts, "softmax worker");
    }

    /** Rows first, first + step, ... of the block: scores to e^(z - m) (0 where masked), l and H. */
    private void softmaxPart(Mask mask, int i0, int rows, int lo, int width, float[] entropy, int eOff, int first,
                             int step) {
        float[] s = heapScores;
        for (int r = first; r < rows; r += step) {
            int i = i0 + r;
            int off = r * width;
            int from = mask.bandLo(i, n) - lo;
            int to = mask.bandHi(i, n) - lo;
            java.util.Arrays.fill(s, off, off + from, 0f);
            java.util.Arrays.fill(s, off + to, off + width, 0f);
            float max = rowMax(s, off + from, off + to);
            float l = 0;
            float u = 0;
            int j = off + from;
            FloatVector vl = FloatVector.zero(S);
            FloatVector vu = FloatVector.zero(S);
            for (; j + L <= off + to; j += L) {
                FloatVector t = FloatVector.fromArray(S, s, j).sub(max);
                FloatVector e = t.lanewise(VectorOperators.EXP);
                e.intoArray(s, j);
                vl = vl.add(e);
                vu = e.fma(t, vu);
            }
            l = vl.reduceLanes(VectorOperators.ADD);
            u = vu.reduceLanes(VectorOperators.ADD);
            for (; j < off + to; j++) {
                float t = s[j] - max;
                float e = (float) Math.exp(t);
                s[j] = e;
                l += e;
                u += e * t;
            }
            rowSum[r] = l;
            if (entropy != null) {
                entropy[eOff + i] = (float) Math.max(0.0, Math.log(l) - u / l);
            }
        }
    }

    private static float rowMax(float[] s, int from, int to) {
        int j = from;
        FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; j + L <= to; j += L) {
            vm = vm.max(FloatVector.fromArray(S, s, j));
        }
        float m = vm.reduceLanes(VectorOperators.MAX);
        for (; j < to; j++) {
            m = Math.max(m, s[j]);
        }
        return m;
    }

    @Override
    public void close() {
        qScaled.close();
        keys.close();
        values.close();
        scores.close();
        outBlock.close();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
