package org.isentropic.kernels;

/** Plain-Java {@link TileOps}: the fallback when the Vector API module is absent (and a test oracle). */
final class ScalarTiles implements TileOps {

    static final int LANES = 16;
    private static final float LN2 = (float) Math.log(2);

    @Override
    public int lanes() {
        return LANES;
    }

    @Override
    public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                       int panels, float[] s, int sOff, int ss) {
        for (int r = 0; r < rows; r++) {
            int qr = qOff + r * d;
            for (int p = 0; p < panels; p++) {
                int so = sOff + r * ss + p * LANES;
                java.util.Arrays.fill(s, so, so + LANES, 0f);
                int base = panelOff + p * d * LANES;
                for (int c = 0; c < d; c++) {
                    float a = q[qr + c];
                    int kb = base + c * LANES;
                    for (int t = 0; t < LANES; t++) {
                        s[so + t] = Math.fma(a, kp[kb + t], s[so + t]);
                    }
                }
            }
        }
    }

    @Override
    public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope, float cap) {
        for (int r = 0; r < rows; r++) {
            float sl = slope[rowStart + r];
            for (int jj = 0; jj < width; jj++) {
                float dist = Math.min(Math.abs((float) (keyStart + jj - rowStart - r)), cap);
                s[r * ss + jj] -= sl * dist;
            }
        }
    }

    @Override
    public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                        float[] m, float[] l, float[] u, float[] alpha) {
        for (int r = 0; r < rows; r++) {
            int o = r * ss;
            float rowMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                rowMax = Math.max(rowMax, s[o + j]);
            }
            if (rowMax == Float.NEGATIVE_INFINITY) {
                alpha[r] = 1f;
                java.util.Arrays.fill(s, o, o + width, 0f);
                continue;
            }
            float mOld = m[r];
            float mNew = Math.max(mOld, rowMax);
            float a = mOld == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp((mOld - mNew) * (double) LN2);
            float ls = 0f;
            float us = 0f;
            for (int j = 0; j < width; j++) {
                float x = s[o + j] - mNew;
                float p = x == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(x * (double) LN2);
                s[o + j] = p;
                ls += p;
                if (p != 0f) {
                    us = Math.fma(p, x, us);
                }
            }
            float lOld = l[r];
            l[r] = a * lOld + ls;
            if (entropy) {
                u[r] = (lOld == 0f ? 0f : a * (u[r] + lOld * (mOld - mNew))) + us;
            }
            m[r] = mNew;
            alpha[r] = a;
        }
    }

    @Override
    public void pv(FusedKernel.PvTile tile, float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v,
                   int vRow0, int vs, int dvp, float[] o, float[] alpha) {
        for (int r = r0; r < r0 + rows; r++) {
            int or = r * dvp;
            float a = alpha[r];
            for (int c = 0; c < dvp; c++) {
                o[or + c] *= a;
            }
            for (int j = keyStart; j < keyStart + keys; j++) {
                float p = s[r * ss + j];
                if (p == 0f) {
                    continue;
                }
                int vb = (vRow0 + j) * vs;
                for (int c = 0; c < dvp; c++) {
                    o[or + c] = Math.fma(p, v[vb + c], o[or + c]);
                }
            }
        }
    }
}
