package org.isentropic.kernels.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.isentropic.kernels.fused.VectorExp2;

/**
 * Vector API {@link DecodeOps}: the scores of a panel of L keys are L lanes of accumulators fed by the
 * broadcast query component and one load of the packed panel per component (two panels at a time, four
 * accumulators each, so eight independent FMA chains; no horizontal sum), the weights by
 * {@link VectorExp2}, and P.V one broadcast weight times a value row per key, four keys per pass over the
 * accumulators. Horizontal sums (l, u) go through a scratch array in lane order, so every result is the same
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
        int ps = d * L;
        int p = p0;
        for (; p + 2 <= p1; p += 2) {
            scores2(q, d, kp, p * ps, ps, s, sOff + (p - p0) * L);
        }
        if (p < p1) {
            scores1(q, d, kp, p * ps, s, sOff + (p - p0) * L);
        }
    }

    /** Two panels from kp[k0] and kp[k0 + ps]. */
    private static void scores2(float[] q, int d, float[] kp, int k0, int ps, float[] s, int so) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int d4 = d & ~3;
        int k = k0;
        int c = 0;
        for (; c < d4; c += 4, k += 4 * L) {
            FloatVector q0 = FloatVector.broadcast(S, q[c]);
            FloatVector q1 = FloatVector.broadcast(S, q[c + 1]);
            FloatVector q2 = FloatVector.broadcast(S, q[c + 2]);
            FloatVector q3 = FloatVector.broadcast(S, q[c + 3]);
            a0 = FloatVector.fromArray(S, kp, k).fma(q0, a0);
            a1 = FloatVector.fromArray(S, kp, k + L).fma(q1, a1);
            a2 = FloatVector.fromArray(S, kp, k + 2 * L).fma(q2, a2);
            a3 = FloatVector.fromArray(S, kp, k + 3 * L).fma(q3, a3);
            b0 = FloatVector.fromArray(S, kp, k + ps).fma(q0, b0);
            b1 = FloatVector.fromArray(S, kp, k + ps + L).fma(q1, b1);
            b2 = FloatVector.fromArray(S, kp, k + ps + 2 * L).fma(q2, b2);
            b3 = FloatVector.fromArray(S, kp, k + ps + 3 * L).fma(q3, b3);
        }
        for (; c < d; c++, k += L) {
            FloatVector qc = FloatVector.broadcast(S, q[c]);
            a0 = FloatVector.fromArray(S, kp, k).fma(qc, a0);
            b0 = FloatVector.fromArray(S, kp, k + ps).fma(qc, b0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(s, so);
        b0.add(b1).add(b2.add(b3)).intoArray(s, so + L);
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
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            int si = sOff + j - j0;
            FloatVector p0 = FloatVector.broadcast(S, s[si]);
            FloatVector p1 = FloatVector.broadcast(S, s[si + 1]);
            FloatVector p2 = FloatVector.broadcast(S, s[si + 2]);
            FloatVector p3 = FloatVector.broadcast(S, s[si + 3]);
            int v0 = j * dvp;
            for (int c = 0; c < dvp; c += L) {
                FloatVector a = FloatVector.fromArray(S, acc, aOff + c);
                a = FloatVector.fromArray(S, v, v0 + c).fma(p0, a);
                a = FloatVector.fromArray(S, v, v0 + dvp + c).fma(p1, a);
                a = FloatVector.fromArray(S, v, v0 + 2 * dvp + c).fma(p2, a);
                a = FloatVector.fromArray(S, v, v0 + 3 * dvp + c).fma(p3, a);
                a.intoArray(acc, aOff + c);
            }
        }
        for (; j < j1; j++) {
            FloatVector p = FloatVector.broadcast(S, s[sOff + j - j0]);
            int vo = j * dvp;
            for (int c = 0; c < dvp; c += L) {
                FloatVector.fromArray(S, v, vo + c).fma(p, FloatVector.fromArray(S, acc, aOff + c))
                        .intoArray(acc, aOff + c);
            }
        }
    }
}
