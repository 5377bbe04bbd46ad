package org.isentropic.kernels;

/**
 * The inner loops of {@link FusedKernel} over one query block and one key tile. Two implementations:
 * {@code SimdTiles} (Vector API, loaded only when jdk.incubator.vector is present) and
 * {@link ScalarTiles}. Each method is a small loop nest over arrays and ints, so that vectors never
 * cross a call boundary (docs/performance.md, "Techniques that matter").
 *
 * <p>Layouts: queries row-major {@code q[qOff + r*d + c]}; keys packed in panels of {@link #lanes()}
 * keys, {@code kp[(panel*d + c)*L + lane]}; scores {@code s[r*ss + jj]}; values row-major
 * {@code v[(vRow0 + j)*vs + c]}; output accumulators {@code o[r*dvp + c]} with dvp a multiple of L.
 * Scores are logits in base-2 units (log2(e) folded into q), so a key's weight is 2^(t - m).
 */
interface TileOps {

    /** Panel width L (keys per panel), also the vector length of value rows. */
    int lanes();

    /** s[sOff + r*ss + jj] = q_r . k_jj for r &lt; rows (a multiple of the tile's rows), jj &lt; panels*L. */
    void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff, int panels,
                float[] s, int sOff, int ss);

    /** s[r*ss + jj] -= slope[rowStart + r] * min(|keyStart + jj - rowStart - r|, cap), jj &lt; width. */
    void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope, float cap);

    /**
     * How far (base 2) a score may exceed a row's reference max m before m moves: below it the weights
     * 2^(t - m) are at most 2^LAZY_RESCALE and nothing is rescaled. Exact, because l, u and the output are
     * always measured from the same m (docs/method.md, section 7); it only saves the reduction, the exp of
     * the factor and the rescale on the tiles where the max grows a little.
     */
    float LAZY_RESCALE = 8f;

    /**
     * Online-softmax update of each row over width scores (a multiple of L): the reference max m, the sum of
     * weights l = sum 2^(t - m) and the weighted logit sum u = sum 2^(t - m) (t - m), rescaled together when m
     * moves ({@link #commitRow}); l and u are kept as {@link #lanes()} partial sums per row
     * ({@code weightSums[r*L + lane]}, the row's value is their sum), so that no tile reduces them. The scores
     * are replaced by their weights 2^(t - m) (0 where t = -inf when {@code masked}); rescale[r] receives the
     * factor 2^(m_old - m_new) for the output row (1 when m did not move). m is the row's max so far or a value
     * at most {@link #LAZY_RESCALE} below it. A row whose scores are all -inf is left unchanged (rescale 1,
     * weights 0).
     */
    void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                 float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale);

    /**
     * o[r] = rescale[r] o[r] + sum_{keyStart &lt;= j &lt; keyStart + keys} s[r*ss + j] v[vRow0 + j] for
     * r0 &lt;= r &lt; r0 + rows (rows a multiple of the tile's rows and of 4).
     */
    void pv(FusedKernel.PvTile tile, float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0,
            int vs, int dvp, float[] o, float[] rescale);

    /**
     * Folds one tile's sums into row r's running state (lane partials at r*lanes, the tile's sums added to
     * lane 0): with factor = 2^(oldMax - newMax), l = factor l + tile l, u = factor (u + l (oldMax - newMax))
     * + tile u (u measured from the new max), m = newMax; the factor is kept in rescale[r] for the output row.
     */
    static void commitRow(int r, int lanes, float oldMax, float newMax, float factor, float tileWeightSum,
                          float tileWeightedLogitSum, boolean entropy, float[] rowMax, float[] weightSums,
                          float[] weightedLogitSums, float[] rescale) {
        int off = r * lanes;
        for (int t = 0; t < lanes; t++) {
            float oldWeightSum = weightSums[off + t];
            weightSums[off + t] = factor * oldWeightSum + (t == 0 ? tileWeightSum : 0f);
            if (entropy) {
                weightedLogitSums[off + t] = (oldWeightSum == 0f ? 0f
                        : factor * (weightedLogitSums[off + t] + oldWeightSum * (oldMax - newMax)))
                        + (t == 0 ? tileWeightedLogitSum : 0f);
            }
        }
        rowMax[r] = newMax;
        rescale[r] = factor;
    }

    /** A row's total from its lane partial sums (added in lane order, so the same for every thread count). */
    static float laneTotal(float[] partials, int r, int lanes) {
        float total = 0f;
        for (int t = 0; t < lanes; t++) {
            total += partials[r * lanes + t];
        }
        return total;
    }
}
