package org.isentropic.kernels.decode;

import java.lang.reflect.InvocationTargetException;
import org.isentropic.kernels.fused.VectorSupport;

/**
 * The inner loops of {@link DecodeStep} over one split of the cache: one query against packed keys, the
 * softmax weights with their sums, and P.V. Two implementations: {@code SimdDecodeOps} (Vector API, loaded
 * only when jdk.incubator.vector is present, {@link VectorSupport}) and {@link ScalarDecodeOps}. Each method
 * is a loop nest over arrays and ints, so that vectors never cross a call boundary.
 *
 * <p>Layouts: keys packed in panels of {@link #lanes()} keys, {@code kp[(panel*d + c)*L + lane]} (so the
 * scores of L keys are L lanes of one accumulator, with no horizontal sum); scores {@code s[sOff + jj]};
 * values row-major from an offset, {@code v[vOff + j*dvp + c]} with dvp a multiple of L (a column panel of
 * the cache, at most {@link #valuePanel()} wide, so that P.V reads each panel as one sequential stream);
 * accumulators {@code acc[aOff + c]}. Scores are logits in base-2 units (log2(e) folded into the query), so a weight is
 * 2^(t - m).
 *
 * <p>Both implementations add in the same order wherever they can: a score is four partial sums over the
 * components c = 0, 1, 2, 3 (mod 4), combined as (a0 + a1) + (a2 + a3), and P.V adds the keys in order
 * with one fused multiply-add each; so the two paths give the same scores and differ only through the
 * exponential and the order of the sums of l and u.
 */
interface DecodeOps {

    /** Panel width L (keys per panel), also the vector length of value rows. */
    int lanes();

    /** s[sOff + (p - p0)*L + lane] = q . k of panel p's lane, for panels p0 &lt;= p &lt; p1. */
    void scores(float[] q, int d, float[] kp, int p0, int p1, float[] s, int sOff);

    /**
     * The scores of two queries against the same panels, each the same bits as {@link #scores} of that query
     * alone: s[sOffA + (p - p0)*L + lane] for qa and s[sOffB + ...] for qb (regions that do not overlap).
     */
    void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA, int sOffB);

    /**
     * The scores of four queries against the same panels, each the same bits as {@link #scores} of that query
     * alone: query i's at s[sOff + i*sStride + (p - p0)*L + lane] (sStride &gt;= (p1 - p0) L, so the four
     * regions do not overlap).
     */
    void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1, float[] s,
                    int sOff, int sStride);

    /** The largest of s[from .. to) (to - from a multiple of L); -infinity when all are. */
    float max(float[] s, int from, int to);

    /**
     * Replaces s[from .. to) (a multiple of L) by p = 2^(t - m) (0 where t = -infinity) and returns their sums
     * in sums[0] = l = sum p and sums[1] = u = sum p (t - m), each added in a fixed order (lanes[] is scratch
     * of 2 L floats).
     */
    void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums);

    /**
     * Columns per panel of the value cache (a multiple of L): the widest value rows whose columns the four-query
     * P.V ({@link #accumulateQuad}) holds in registers, so that it reads each row once, in one pass.
     */
    int valuePanel();

    /**
     * acc[aOff + c] += sum over keys j0 &lt;= j &lt; j1, in order, of s[sOff + j - j0] v[vOff + j*dvp + c],
     * c &lt; dvp.
     */
    void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc, int aOff);

    /**
     * The distance between the four queries' weights in {@link #accumulateQuad}: the scores one query has in a
     * split of the cache ({@link DecodeStep#SPLIT_KEYS}). A constant, so that the SIMD loop addresses the four
     * weights of a key from one index (with a stride passed in, C2 kept too few registers for the loop and
     * spilled its indices: docs/performance.md, section 5).
     */
    int QUAD_WEIGHTS = DecodeStep.SPLIT_KEYS;

    /**
     * {@link #accumulate} for four queries over the same value rows, each the same bits as that call alone, with
     * query i's weights from sOff + i {@link #QUAD_WEIGHTS} and its accumulators from aOff + i dvp (one array, so
     * the loop holds one reference to them): acc[aOff + i*dvp + c] += sum over keys j0 &lt;= j &lt; j1, in order,
     * of s[sOff + i*QUAD_WEIGHTS + j - j0] v[vOff + j*dvp + c], c &lt; dvp, i &lt; 4.
     */
    void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc, int aOff);

    /** sums[0] = lanes[0] + ... + lanes[L - 1] and sums[1] = the same over lanes[L .. 2L), in lane order, in double. */
    static void sumLanes(float[] lanes, int lanesPerSum, double[] sums) {
        double l = 0;
        double u = 0;
        for (int lane = 0; lane < lanesPerSum; lane++) {
            l += lanes[lane];
            u += lanes[lanesPerSum + lane];
        }
        sums[0] = l;
        sums[1] = u;
    }

    /** The Vector API ops when {@code simd} and the module is usable, else the scalar ones. */
    static DecodeOps choose(boolean simd) {
        if (simd && VectorSupport.available()) {
            try {
                return (DecodeOps) Class.forName("org.isentropic.kernels.decode.SimdDecodeOps").getDeclaredConstructor()
                        .newInstance();
            } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
                     | IllegalAccessException | InvocationTargetException | LinkageError e) {
                throw new IllegalStateException("the Vector API loaded for the fused kernel but not for decode", e);
            }
        }
        return new ScalarDecodeOps();
    }
}
