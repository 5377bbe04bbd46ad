package org.isentropic.kernels.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.isentropic.kernels.fused.VectorExp2;

/**
 * Vector API {@link DecodeOps}: the scores of a panel of L keys are L lanes of accumulators fed by the
 * broadcast query component and one load of the packed panel per component (one panel at a time, four
 * accumulators; no horizontal sum), the weights by {@link VectorExp2}, and P.V one broadcast weight times a
 * value row per key, with a block of up to 8 vectors of columns held in registers over all the keys. Horizontal sums (l, u) go through a scratch array in lane order, so every result is the same
 * whether this code runs compiled or interpreted. Loaded only when jdk.incubator.vector is present.
 */
final class SimdDecodeOps implements DecodeOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
    public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int dvp, float[] acc, int aOff) {
        // Column blocks of 8, 4, 2, 1 vectors, each held in registers over all the keys (one fused
        // multiply-add per key and column, keys in order): the accumulators are loaded and stored once per
        // block instead of once per few keys, and 8 independent chains cover the FMA latency.
        int c = 0;
        for (; c + 8 * L <= dvp; c += 8 * L) {
            accumulate8(s, sOff, j0, j1, v, dvp, c, acc, aOff + c);
        }
        if (c + 4 * L <= dvp) {
            accumulate4(s, sOff, j0, j1, v, dvp, c, acc, aOff + c);
            c += 4 * L;
        }
        if (c + 2 * L <= dvp) {
            accumulate2(s, sOff, j0, j1, v, dvp, c, acc, aOff + c);
            c += 2 * L;
        }
        if (c < dvp) {
            accumulate1(s, sOff, j0, j1, v, dvp, c, acc, aOff + c);
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
}
