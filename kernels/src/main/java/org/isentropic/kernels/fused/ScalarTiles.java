package org.isentropic.kernels.fused;

import java.util.Arrays;

/** Plain-Java {@link TileOps}: the fallback when the Vector API module is absent (and a test oracle). */
final class ScalarTiles implements TileOps {

    static final int LANES = 16;
    // ln 2 rounded to float (then widened), as this path has always used: keep it for identical results.
    private static final float LN2 = (float) Math.log(2);

    @Override
    public int lanes() {
        return LANES;
    }

    @Override
    public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                       int panels, float[] s, int sOff, int ss) {
        for (int r = 0; r < rows; r++) {
            int qRow = qOff + r * d;
            for (int p = 0; p < panels; p++) {
                int sPanel = sOff + r * ss + p * LANES;
                Arrays.fill(s, sPanel, sPanel + LANES, 0f);
                int kPanel = panelOff + p * d * LANES;
                for (int c = 0; c < d; c++) {
                    float query = q[qRow + c];
                    int kc = kPanel + c * LANES;
                    for (int t = 0; t < LANES; t++) {
                        s[sPanel + t] = Math.fma(query, kp[kc + t], s[sPanel + t]);
                    }
                }
            }
        }
    }

    @Override
    public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope, float cap) {
        for (int r = 0; r < rows; r++) {
            float rowSlope = slope[rowStart + r];
            for (int jj = 0; jj < width; jj++) {
                float distance = Math.min(Math.abs((float) (keyStart + jj - rowStart - r)), cap);
                s[r * ss + jj] -= rowSlope * distance;
            }
        }
    }

    /**
     * The tile's l and u are each summed in one chain and kept, with the rescaled old sums, in lane 0 of the row's
     * lane partials (the other lanes are only rescaled, and stay 0 in the kernel): the results this path always
     * gave.
     */
    @Override
    public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked, boolean entropy,
                        float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
        for (int r = r0; r < r0 + rows; r++) {
            int rowOff = r * ss + col0;
            float tileMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                tileMax = Math.max(tileMax, s[rowOff + j]);
            }
            if (tileMax == Float.NEGATIVE_INFINITY) {
                rescale[r] = 1f;
                Arrays.fill(s, rowOff, rowOff + width, 0f);
                continue;
            }
            float oldMax = rowMax[r];
            float newMax = Math.max(oldMax, tileMax);
            float factor = oldMax == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp((oldMax - newMax) * (double) LN2);
            float tileWeightSum = 0f;
            float tileWeightedLogitSum = 0f;
            for (int j = 0; j < width; j++) {
                float shifted = s[rowOff + j] - newMax;
                float weight = shifted == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(shifted * (double) LN2);
                s[rowOff + j] = weight;
                tileWeightSum += weight;
                if (weight != 0f) {
                    tileWeightedLogitSum = Math.fma(weight, shifted, tileWeightedLogitSum);
                }
            }
            int off = r * LANES;
            boolean fresh = oldMax == Float.NEGATIVE_INFINITY;
            if (entropy) {
                float oldWeightSum = fresh ? 0f : (float) TileOps.laneSum(weightSums, r, LANES);
                fold(weightedLogitSums, off, fresh, factor, fresh ? 0f : oldWeightSum * (oldMax - newMax),
                        tileWeightedLogitSum);
            }
            fold(weightSums, off, fresh, factor, 0f, tileWeightSum);
            rowMax[r] = newMax;
            rescale[r] = factor;
        }
    }

    /**
     * Folds a tile's sum into a row's lane partials lanes[off .. off + LANES): lane 0 = factor (lane 0 + shift) +
     * tile sum and the other lanes times the factor; at the row's first visible tile the old lanes are dropped:
     * lane 0 = tile sum, the others 0.
     */
    private static void fold(float[] lanes, int off, boolean fresh, float factor, float shift, float tileSum) {
        if (fresh) {
            Arrays.fill(lanes, off, off + LANES, 0f);
            lanes[off] = tileSum;
            return;
        }
        lanes[off] = factor * (lanes[off] + shift) + tileSum;
        for (int t = off + 1; t < off + LANES; t++) {
            lanes[t] *= factor;
        }
    }

    @Override
    public boolean allFinite(float[] a, int from, int to) {
        return org.isentropic.kernels.spec.Checks.allFinite(a, from, to);
    }

    @Override
    public void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments) {
        float l = 0f;
        float u = 0f;
        float w = 0f;
        for (int j = off; j < off + width; j++) {
            float shifted = lambda * t[j] - shift;
            if (shifted == Float.NEGATIVE_INFINITY) {
                continue;
            }
            float weight = (float) Math.exp(shifted * (double) LN2);
            float weighted = weight * shifted;
            l += weight;
            u += weighted;
            w = Math.fma(weighted, shifted, w);
        }
        moments[0] += l;
        moments[1] += u;
        moments[2] += w;
    }

    @Override
    public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                   int dvp, float[] o, float[] rescale) {
        for (int r = r0; r < r0 + rows; r++) {
            int oRow = r * dvp;
            float factor = rescale[r];
            for (int c = 0; c < dvp; c++) {
                o[oRow + c] *= factor;
            }
            for (int j = keyStart; j < keyStart + keys; j++) {
                float weight = s[r * ss + j];
                if (weight == 0f) {
                    continue;
                }
                int vRow = (vRow0 + j) * vs;
                for (int c = 0; c < dvp; c++) {
                    o[oRow + c] = Math.fma(weight, v[vRow + c], o[oRow + c]);
                }
            }
        }
    }
}
