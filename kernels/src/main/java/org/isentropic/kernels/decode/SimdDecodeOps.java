package org.isentropic.kernels.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.isentropic.kernels.fused.VectorExp2;

/**
 * Vector API {@link DecodeOps}: the scores of a panel of L keys are L lanes of accumulators fed by the
 * broadcast query component and one load of the packed panel per component (one panel at a time, four
 * accumulators; no horizontal sum), the weights by {@link VectorExp2}, and P.V one broadcast weight times a
 * value row per key, with a block of up to 8 vectors of columns held in registers over all the keys. The
 * grouped-query variants load each key or value vector once for two or four queries. Horizontal sums (l, u)
 * go through a scratch array in lane order, so every result is the same whether this code runs compiled or
 * interpreted. Loaded only when jdk.incubator.vector is present.
 */
final class SimdDecodeOps implements DecodeOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * 512-bit vectors (AVX-512, 32 vector registers): four queries' 16 accumulators fit in registers beside
     * the loaded vectors. With 256-bit ones (AVX2, 16 registers) the four-query kernels use 8 accumulators.
     */
    private static final boolean WIDE = L >= 16;

    @Override
    public int valuePanel() {
        return (WIDE ? 4 : 2) * L;
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void scores(float[] q, int d, float[] kp, int p0, int p1, float[] s, int sOff) {
        // One panel at a time: the keys are then read as one sequential stream. Two panels in one loop (a
        // second stream d L floats ahead, sharing the broadcasts) ran at about 75 % of a plain read of the
        // same bytes from memory; one panel at a time at the plain read's speed.
        int ps = d * L;
        for (int p = p0; p < p1; p++) {
            scores1(q, d, kp, p * ps, s, sOff + (p - p0) * L);
        }
    }

    @Override
    public void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA,
                           int sOffB) {
        // Each key vector loaded once for both queries: 8 independent FMA chains and fewer loads per FMA
        // than two calls of scores (a query head pair of a grouped-query cache is bound by these FMAs).
        int ps = d * L;
        for (int p = p0; p < p1; p++) {
            int so = (p - p0) * L;
            scoresPair1(qa, qb, d, kp, p * ps, s, sOffA + so, sOffB + so);
        }
    }

    /** One panel from kp[k0] for two queries, each with the four partial sums of {@link #scores1}. */
    private static void scoresPair1(float[] qa, float[] qb, int d, float[] kp, int k0, float[] s, int soA,
                                    int soB) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int d4 = d & ~3;
        int k = k0;
        int c = 0;
        for (; c < d4; c += 4, k += 4 * L) {
            FloatVector k0v = FloatVector.fromArray(S, kp, k);
            a0 = k0v.fma(FloatVector.broadcast(S, qa[c]), a0);
            b0 = k0v.fma(FloatVector.broadcast(S, qb[c]), b0);
            FloatVector k1v = FloatVector.fromArray(S, kp, k + L);
            a1 = k1v.fma(FloatVector.broadcast(S, qa[c + 1]), a1);
            b1 = k1v.fma(FloatVector.broadcast(S, qb[c + 1]), b1);
            FloatVector k2v = FloatVector.fromArray(S, kp, k + 2 * L);
            a2 = k2v.fma(FloatVector.broadcast(S, qa[c + 2]), a2);
            b2 = k2v.fma(FloatVector.broadcast(S, qb[c + 2]), b2);
            FloatVector k3v = FloatVector.fromArray(S, kp, k + 3 * L);
            a3 = k3v.fma(FloatVector.broadcast(S, qa[c + 3]), a3);
            b3 = k3v.fma(FloatVector.broadcast(S, qb[c + 3]), b3);
        }
        for (; c < d; c++, k += L) {
            FloatVector kv = FloatVector.fromArray(S, kp, k);
            a0 = kv.fma(FloatVector.broadcast(S, qa[c]), a0);
            b0 = kv.fma(FloatVector.broadcast(S, qb[c]), b0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(s, soA);
        b0.add(b1).add(b2.add(b3)).intoArray(s, soB);
    }

    @Override
    public void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1,
                           float[] s, int sOff, int sStride) {
        // Each key vector loaded once for the four queries of a grouped-query KV head, one panel at a time (one
        // sequential stream), so that one pass over the keys from memory does all their FMAs: 16 accumulators.
        // With AVX2's 16 registers they do not fit; there each panel is read by two pairs in turn (the second
        // from L1). A variant that read each panel in two halves (chains c = 0, 1 mod 4, then 2, 3) ran at about
        // 60 % of the speed of a read from memory: the stream had gaps of every other pair of rows.
        int ps = d * L;
        for (int p = p0; p < p1; p++) {
            int so = sOff + (p - p0) * L;
            if (WIDE) {
                scoresQuad1(q0, q1, q2, q3, d, kp, p * ps, s, so, sStride);
            } else {
                scoresPair1(q0, q1, d, kp, p * ps, s, so, so + sStride);
                scoresPair1(q2, q3, d, kp, p * ps, s, so + 2 * sStride, so + 3 * sStride);
            }
        }
    }

    /** One panel from kp[k0] for four queries, each with the four partial sums of {@link #scores1} (16 accumulators). */
    private static void scoresQuad1(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int k0,
                                    float[] s, int so, int sStride) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        FloatVector e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        int d4 = d & ~3;
        int k = k0;
        int c = 0;
        for (; c < d4; c += 4, k += 4 * L) {
            FloatVector x = FloatVector.fromArray(S, kp, k);
            a0 = x.fma(FloatVector.broadcast(S, q0[c]), a0);
            b0 = x.fma(FloatVector.broadcast(S, q1[c]), b0);
            c0 = x.fma(FloatVector.broadcast(S, q2[c]), c0);
            e0 = x.fma(FloatVector.broadcast(S, q3[c]), e0);
            x = FloatVector.fromArray(S, kp, k + L);
            a1 = x.fma(FloatVector.broadcast(S, q0[c + 1]), a1);
            b1 = x.fma(FloatVector.broadcast(S, q1[c + 1]), b1);
            c1 = x.fma(FloatVector.broadcast(S, q2[c + 1]), c1);
            e1 = x.fma(FloatVector.broadcast(S, q3[c + 1]), e1);
            x = FloatVector.fromArray(S, kp, k + 2 * L);
            a2 = x.fma(FloatVector.broadcast(S, q0[c + 2]), a2);
            b2 = x.fma(FloatVector.broadcast(S, q1[c + 2]), b2);
            c2 = x.fma(FloatVector.broadcast(S, q2[c + 2]), c2);
            e2 = x.fma(FloatVector.broadcast(S, q3[c + 2]), e2);
            x = FloatVector.fromArray(S, kp, k + 3 * L);
            a3 = x.fma(FloatVector.broadcast(S, q0[c + 3]), a3);
            b3 = x.fma(FloatVector.broadcast(S, q1[c + 3]), b3);
            c3 = x.fma(FloatVector.broadcast(S, q2[c + 3]), c3);
            e3 = x.fma(FloatVector.broadcast(S, q3[c + 3]), e3);
        }
        for (; c < d; c++, k += L) {
            FloatVector x = FloatVector.fromArray(S, kp, k);
            a0 = x.fma(FloatVector.broadcast(S, q0[c]), a0);
            b0 = x.fma(FloatVector.broadcast(S, q1[c]), b0);
            c0 = x.fma(FloatVector.broadcast(S, q2[c]), c0);
            e0 = x.fma(FloatVector.broadcast(S, q3[c]), e0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(s, so);
        b0.add(b1).add(b2.add(b3)).intoArray(s, so + sStride);
        c0.add(c1).add(c2.add(c3)).intoArray(s, so + 2 * sStride);
        e0.add(e1).add(e2.add(e3)).intoArray(s, so + 3 * sStride);
    }

    /** One panel from kp[k0]. */
    private static void scores1(float[] q, int d, float[] kp, int k0, float[] s, int so) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int d4 = d & ~3;
        int k = k0;
        int c = 0;
        for (; c < d4; c += 4, k += 4 * L) {
            a0 = FloatVector.fromArray(S, kp, k).fma(FloatVector.broadcast(S, q[c]), a0);
            a1 = FloatVector.fromArray(S, kp, k + L).fma(FloatVector.broadcast(S, q[c + 1]), a1);
            a2 = FloatVector.fromArray(S, kp, k + 2 * L).fma(FloatVector.broadcast(S, q[c + 2]), a2);
            a3 = FloatVector.fromArray(S, kp, k + 3 * L).fma(FloatVector.broadcast(S, q[c + 3]), a3);
        }
        for (; c < d; c++, k += L) {
            a0 = FloatVector.fromArray(S, kp, k).fma(FloatVector.broadcast(S, q[c]), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(s, so);
    }

    @Override
    public float max(float[] s, int from, int to) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = from; j < to; j += L) {
            m = m.max(FloatVector.fromArray(S, s, j));
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums) {
        FloatVector lv = FloatVector.zero(S);
        FloatVector uv = lv;
        for (int j = from; j < to; j += L) {
            FloatVector t = FloatVector.fromArray(S, s, j);
            FloatVector x = t.sub(m).max(VectorExp2.FLOOR);
            FloatVector p = VectorExp2.exp2(x).blend(0f, t.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            p.intoArray(s, j);
            lv = lv.add(p);
            uv = p.fma(x, uv);
        }
        lv.intoArray(lanes, 0);
        uv.intoArray(lanes, L);
        DecodeOps.sumLanes(lanes, L, sums);
    }

    @Override
    public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc, int aOff) {
        // Column blocks of 8, 4, 2, 1 vectors, each held in registers over all the keys (one fused
        // multiply-add per key and column, keys in order): the accumulators are loaded and stored once per
        // block instead of once per few keys, and 8 independent chains cover the FMA latency.
        int c = 0;
        for (; c + 8 * L <= dvp; c += 8 * L) {
            accumulate8(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c);
        }
        if (c + 4 * L <= dvp) {
            accumulate4(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c);
            c += 4 * L;
        }
        if (c + 2 * L <= dvp) {
            accumulate2(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c);
            c += 2 * L;
        }
        if (c < dvp) {
            accumulate1(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c);
        }
    }

    /** acc[a .. a + 8L) += sum over keys j0 .. j1 of s v[j dvp + c ..], in key order. */
    private static void accumulate8(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                    int a) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector a1 = FloatVector.fromArray(S, acc, a + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, a + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, a + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, acc, a + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, acc, a + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, acc, a + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, acc, a + 7 * L);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            FloatVector p = FloatVector.broadcast(S, s[si]);
            a0 = FloatVector.fromArray(S, v, vo).fma(p, a0);
            a1 = FloatVector.fromArray(S, v, vo + L).fma(p, a1);
            a2 = FloatVector.fromArray(S, v, vo + 2 * L).fma(p, a2);
            a3 = FloatVector.fromArray(S, v, vo + 3 * L).fma(p, a3);
            a4 = FloatVector.fromArray(S, v, vo + 4 * L).fma(p, a4);
            a5 = FloatVector.fromArray(S, v, vo + 5 * L).fma(p, a5);
            a6 = FloatVector.fromArray(S, v, vo + 6 * L).fma(p, a6);
            a7 = FloatVector.fromArray(S, v, vo + 7 * L).fma(p, a7);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
        a4.intoArray(acc, a + 4 * L);
        a5.intoArray(acc, a + 5 * L);
        a6.intoArray(acc, a + 6 * L);
        a7.intoArray(acc, a + 7 * L);
    }

    /** As {@link #accumulate8} for 4 vectors. */
    private static void accumulate4(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                    int a) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector a1 = FloatVector.fromArray(S, acc, a + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, a + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, a + 3 * L);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            FloatVector p = FloatVector.broadcast(S, s[si]);
            a0 = FloatVector.fromArray(S, v, vo).fma(p, a0);
            a1 = FloatVector.fromArray(S, v, vo + L).fma(p, a1);
            a2 = FloatVector.fromArray(S, v, vo + 2 * L).fma(p, a2);
            a3 = FloatVector.fromArray(S, v, vo + 3 * L).fma(p, a3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
    }

    /** As {@link #accumulate8} for 2 vectors. */
    private static void accumulate2(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                    int a) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector a1 = FloatVector.fromArray(S, acc, a + L);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            FloatVector p = FloatVector.broadcast(S, s[si]);
            a0 = FloatVector.fromArray(S, v, vo).fma(p, a0);
            a1 = FloatVector.fromArray(S, v, vo + L).fma(p, a1);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
    }

    /** As {@link #accumulate8} for 1 vector. */
    private static void accumulate1(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                    int a) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            a0 = FloatVector.fromArray(S, v, vo).fma(FloatVector.broadcast(S, s[si]), a0);
        }
        a0.intoArray(acc, a);
    }

    @Override
    public void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                               int aOff) {
        // Each value vector loaded once for the four queries of a grouped-query KV head: with 512-bit vectors a
        // value panel of 4 vectors of columns (4 queries x 4 = 16 accumulators) held over the keys (one fused
        // multiply-add per key, query and column, keys in order, as accumulate), otherwise blocks of 2 vectors or
        // 1. A block that covers only part of a value row reads the rows with gaps, which ran at about 40 % of a
        // read from memory; so the cache keeps its values in column panels as wide as a block (valuePanel), each
        // row one stream.
        if (WIDE && dvp == 4 * L) {
            accumulateQuadPanel(s, sOff, j0, j1, v, vOff + j0 * 4 * L, acc, aOff);
            return;
        }
        int c = 0;
        for (; c + 2 * L <= dvp; c += 2 * L) {
            accumulateQuad2(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c, dvp);
        }
        if (c < dvp) {
            accumulateQuad1(s, sOff, j0, j1, v, dvp, vOff + c, acc, aOff + c, dvp);
        }
    }

    /**
     * A value panel of 4 vectors of columns (rows 4 L apart, from v[vb] for key j0) for the four queries, query
     * i's accumulators at acc[a + i 4L ..]: 16 accumulators, for AVX-512's 32 registers. The row stride, the
     * weights' distance and the accumulators' offsets are constants and the value index is a multiple of the loop
     * counter, so that C2 keeps the loop's indices in registers: with them passed in (the version before), the
     * loop spilled them and ran at about 75 % of the FMA rate from cache, and the grouped decode step was about
     * 5 % slower (docs/performance.md, section 5).
     */
    private static void accumulateQuadPanel(float[] s, int sOff, int j0, int j1, float[] v, int vb, float[] acc,
                                            int a) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector a1 = FloatVector.fromArray(S, acc, a + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, a + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, a + 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, acc, a + 4 * L);
        FloatVector b1 = FloatVector.fromArray(S, acc, a + 5 * L);
        FloatVector b2 = FloatVector.fromArray(S, acc, a + 6 * L);
        FloatVector b3 = FloatVector.fromArray(S, acc, a + 7 * L);
        FloatVector c0 = FloatVector.fromArray(S, acc, a + 8 * L);
        FloatVector c1 = FloatVector.fromArray(S, acc, a + 9 * L);
        FloatVector c2 = FloatVector.fromArray(S, acc, a + 10 * L);
        FloatVector c3 = FloatVector.fromArray(S, acc, a + 11 * L);
        FloatVector e0 = FloatVector.fromArray(S, acc, a + 12 * L);
        FloatVector e1 = FloatVector.fromArray(S, acc, a + 13 * L);
        FloatVector e2 = FloatVector.fromArray(S, acc, a + 14 * L);
        FloatVector e3 = FloatVector.fromArray(S, acc, a + 15 * L);
        final int n = j1 - j0;
        for (int k = 0; k < n; k++) {
            int vo = vb + k * 4 * L;
            int si = sOff + k;
            FloatVector x0 = FloatVector.fromArray(S, v, vo);
            FloatVector x1 = FloatVector.fromArray(S, v, vo + L);
            FloatVector x2 = FloatVector.fromArray(S, v, vo + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, v, vo + 3 * L);
            FloatVector p = FloatVector.broadcast(S, s[si]);
            a0 = x0.fma(p, a0);
            a1 = x1.fma(p, a1);
            a2 = x2.fma(p, a2);
            a3 = x3.fma(p, a3);
            p = FloatVector.broadcast(S, s[si + QUAD_WEIGHTS]);
            b0 = x0.fma(p, b0);
            b1 = x1.fma(p, b1);
            b2 = x2.fma(p, b2);
            b3 = x3.fma(p, b3);
            p = FloatVector.broadcast(S, s[si + 2 * QUAD_WEIGHTS]);
            c0 = x0.fma(p, c0);
            c1 = x1.fma(p, c1);
            c2 = x2.fma(p, c2);
            c3 = x3.fma(p, c3);
            p = FloatVector.broadcast(S, s[si + 3 * QUAD_WEIGHTS]);
            e0 = x0.fma(p, e0);
            e1 = x1.fma(p, e1);
            e2 = x2.fma(p, e2);
            e3 = x3.fma(p, e3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
        b0.intoArray(acc, a + 4 * L);
        b1.intoArray(acc, a + 5 * L);
        b2.intoArray(acc, a + 6 * L);
        b3.intoArray(acc, a + 7 * L);
        c0.intoArray(acc, a + 8 * L);
        c1.intoArray(acc, a + 9 * L);
        c2.intoArray(acc, a + 10 * L);
        c3.intoArray(acc, a + 11 * L);
        e0.intoArray(acc, a + 12 * L);
        e1.intoArray(acc, a + 13 * L);
        e2.intoArray(acc, a + 14 * L);
        e3.intoArray(acc, a + 15 * L);
    }

    /**
     * acc[a + i aStride ..][0 .. 2L) += sum over keys j0 .. j1 of s[sOff + i QUAD_WEIGHTS + j - j0]
     * v[j dvp + c ..], in key order, for the four queries i.
     */
    private static void accumulateQuad2(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                        int a, int aStride) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector a1 = FloatVector.fromArray(S, acc, a + L);
        FloatVector b0 = FloatVector.fromArray(S, acc, a + aStride);
        FloatVector b1 = FloatVector.fromArray(S, acc, a + aStride + L);
        FloatVector c0 = FloatVector.fromArray(S, acc, a + 2 * aStride);
        FloatVector c1 = FloatVector.fromArray(S, acc, a + 2 * aStride + L);
        FloatVector e0 = FloatVector.fromArray(S, acc, a + 3 * aStride);
        FloatVector e1 = FloatVector.fromArray(S, acc, a + 3 * aStride + L);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            FloatVector x = FloatVector.fromArray(S, v, vo);
            FloatVector y = FloatVector.fromArray(S, v, vo + L);
            FloatVector p = FloatVector.broadcast(S, s[si]);
            a0 = x.fma(p, a0);
            a1 = y.fma(p, a1);
            p = FloatVector.broadcast(S, s[si + QUAD_WEIGHTS]);
            b0 = x.fma(p, b0);
            b1 = y.fma(p, b1);
            p = FloatVector.broadcast(S, s[si + 2 * QUAD_WEIGHTS]);
            c0 = x.fma(p, c0);
            c1 = y.fma(p, c1);
            p = FloatVector.broadcast(S, s[si + 3 * QUAD_WEIGHTS]);
            e0 = x.fma(p, e0);
            e1 = y.fma(p, e1);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        b0.intoArray(acc, a + aStride);
        b1.intoArray(acc, a + aStride + L);
        c0.intoArray(acc, a + 2 * aStride);
        c1.intoArray(acc, a + 2 * aStride + L);
        e0.intoArray(acc, a + 3 * aStride);
        e1.intoArray(acc, a + 3 * aStride + L);
    }

    /** As {@link #accumulateQuad2} for 1 vector of columns. */
    private static void accumulateQuad1(float[] s, int sOff, int j0, int j1, float[] v, int dvp, int c, float[] acc,
                                        int a, int aStride) {
        FloatVector a0 = FloatVector.fromArray(S, acc, a);
        FloatVector b0 = FloatVector.fromArray(S, acc, a + aStride);
        FloatVector c0 = FloatVector.fromArray(S, acc, a + 2 * aStride);
        FloatVector e0 = FloatVector.fromArray(S, acc, a + 3 * aStride);
        int vo = j0 * dvp + c;
        int si = sOff;
        for (int j = j0; j < j1; j++, vo += dvp, si++) {
            FloatVector x = FloatVector.fromArray(S, v, vo);
            a0 = x.fma(FloatVector.broadcast(S, s[si]), a0);
            b0 = x.fma(FloatVector.broadcast(S, s[si + QUAD_WEIGHTS]), b0);
            c0 = x.fma(FloatVector.broadcast(S, s[si + 2 * QUAD_WEIGHTS]), c0);
            e0 = x.fma(FloatVector.broadcast(S, s[si + 3 * QUAD_WEIGHTS]), e0);
        }
        a0.intoArray(acc, a);
        b0.intoArray(acc, a + aStride);
        c0.intoArray(acc, a + 2 * aStride);
        e0.intoArray(acc, a + 3 * aStride);
    }
}
