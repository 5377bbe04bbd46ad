package org.isentropic.kernels.decode;

/**
 * Plain-Java {@link DecodeOps}: the fallback when the Vector API module is absent (and the oracle of the SIMD
 * path's tests). It adds in the order {@code SimdDecodeOps} does (see {@link DecodeOps}), lane by lane.
 */
final class ScalarDecodeOps implements DecodeOps {

    static final int LANES = 16;
    private static final double LN2 = 0.6931471805599453;

    @Override
    public int lanes() {
        return LANES;
    }

    @Override
    public int valuePanel() {
        return 4 * LANES;
    }

    @Override
    public void scores(float[] q, int d, float[] kp, int p0, int p1, float[] s, int sOff) {
        int d4 = d & ~3;
        for (int p = p0; p < p1; p++) {
            int base = p * d * LANES;
            int so = sOff + (p - p0) * LANES;
            for (int lane = 0; lane < LANES; lane++) {
                float a0 = 0f;
                float a1 = 0f;
                float a2 = 0f;
                float a3 = 0f;
                int k = base + lane;
                int c = 0;
                for (; c < d4; c += 4, k += 4 * LANES) {
                    a0 = Math.fma(kp[k], q[c], a0);
                    a1 = Math.fma(kp[k + LANES], q[c + 1], a1);
                    a2 = Math.fma(kp[k + 2 * LANES], q[c + 2], a2);
                    a3 = Math.fma(kp[k + 3 * LANES], q[c + 3], a3);
                }
                for (; c < d; c++, k += LANES) {
                    a0 = Math.fma(kp[k], q[c], a0);
                }
                s[so + lane] = (a0 + a1) + (a2 + a3);
            }
        }
    }

    @Override
    public void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA,
                           int sOffB) {
        scores(qa, d, kp, p0, p1, s, sOffA);
        scores(qb, d, kp, p0, p1, s, sOffB);
    }

    @Override
    public void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1,
                           float[] s, int sOff, int sStride) {
        scores(q0, d, kp, p0, p1, s, sOff);
        scores(q1, d, kp, p0, p1, s, sOff + sStride);
        scores(q2, d, kp, p0, p1, s, sOff + 2 * sStride);
        scores(q3, d, kp, p0, p1, s, sOff + 3 * sStride);
    }

    @Override
    public float max(float[] s, int from, int to) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            m = Math.max(m, s[j]);
        }
        return m;
    }

    @Override
    public void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums) {
        java.util.Arrays.fill(lanes, 0, 2 * LANES, 0f);
        for (int j = from; j < to; j++) {
            float x = s[j] - m;
            int lane = (j - from) % LANES;
            if (x == Float.NEGATIVE_INFINITY) {
                s[j] = 0f;
                continue;
            }
            float p = (float) Math.exp(x * LN2);
            s[j] = p;
            lanes[lane] += p;
            lanes[LANES + lane] = Math.fma(p, x, lanes[LANES + lane]);
        }
        DecodeOps.sumLanes(lanes, LANES, sums);
    }

    @Override
    public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc, int aOff) {
        for (int j = j0; j < j1; j++) {
            float p = s[sOff + j - j0];
            int vo = vOff + j * dvp;
            for (int c = 0; c < dvp; c++) {
                acc[aOff + c] = Math.fma(p, v[vo + c], acc[aOff + c]);
            }
        }
    }

    @Override
    public void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                               int aOff) {
        for (int i = 0; i < 4; i++) {
            accumulate(s, sOff + i * QUAD_WEIGHTS, j0, j1, v, vOff, dvp, acc, aOff + i * dvp);
        }
    }
}
