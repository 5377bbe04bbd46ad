package org.isentropic.kernels.fused;

/**
 * The inner loops of {@link FusedKernel} over one query block and one key tile. Two implementations:
 * {@code SimdTiles} (Vector API, loaded only when jdk.incubator.vector is present) and
 * {@link ScalarTiles}. Each method is a small loop nest over arrays and ints, so that vectors never
 * cross a call boundary (docs/performance.md, section 2).
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
     * Online-softmax update of each row over width scores (a multiple of L): the running max m, the sum of
     * weights l = sum 2^(t - m) and the weighted logit sum u = sum 2^(t - m) (t - m), rescaled together when
     * m grows; the scores are replaced by their weights 2^(t - m) (0 where t = -inf when {@code masked});
     * rescale[r] receives the factor 2^(m_old - m_new) for the output row. A row whose scores are all -inf is left
     * unchanged (rescale 1, weights 0).
     *
     * <p>l and u are each held as L lane partial sums per row, {@code weightSums[r*L .. r*L + L)} and
     * {@code weightedLogitSums[r*L .. r*L + L)} (l and u are their sums, {@link #laneSum}), so that a tile adds its
     * terms without a horizontal reduction. Only the totals are specified: l becomes factor l_old + the tile's l,
     * u becomes factor (u_old + l_old (m_old - m_new)) + the tile's u; at a row's first visible tile
     * (m_old = -inf) the old lanes of both are ignored. How the totals spread over the lanes is the provider's
     * ({@code SimdTiles}: each lane t becomes factor (u_t + l_t (m_old - m_new)) plus its own terms;
     * {@link ScalarTiles}: the tile's terms in lane 0, the other lanes only rescaled). With {@code entropy} false
     * the lanes of u are neither read nor written.
     */
    default void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                         float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
        softmax(s, ss, 0, rows, 0, width, masked, entropy, rowMax, weightSums, weightedLogitSums, rescale);
    }

    /**
     * {@link #softmax(float[], int, int, int, boolean, boolean, float[], float[], float[], float[])} over rows
     * r0 .. r0 + rows - 1 (their scores {@code s[r*ss + col0 ..]}, their state rowMax[r], rescale[r] and lanes
     * weightSums[r*L ..], weightedLogitSums[r*L ..]) and the width scores from column col0 (a multiple of L) only;
     * the other columns are neither read nor written. With every skipped score -inf this gives the bits of the
     * whole row (the skipped weights are 0 and add nothing), so a partly masked tile need only pass over the
     * columns a group of rows can see.
     */
    void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked, boolean entropy,
                 float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale);

    /**
     * o[r] = rescale[r] o[r] + sum_{keyStart &lt;= j &lt; keyStart + keys} s[r*ss + j] v[vRow0 + j] for
     * r0 &lt;= r &lt; r0 + rows (rows a multiple of {@link FusedKernel#PV_TILE_ROWS} and of 4).
     */
    void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs, int dvp,
            float[] o, float[] rescale);

    /**
     * The moments of one row's cached scores at temperature lambda ({@link CachedRowCurve}): with
     * s_j = lambda t_j - shift for the width scores t_j at {@code t[off ..]} (width a multiple of L; shift =
     * lambda times the row's maximum, so s_j &lt;= 0; weight 0 where t_j = -inf), adds l = sum 2^s,
     * u = sum 2^s s and w = sum 2^s s^2 to moments[0], moments[1] and moments[2].
     */
    void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments);

    /**
     * Whether a[from .. to) holds no NaN or infinity (the fused kernel's scans of q, k, v and each output row:
     * {@link org.isentropic.kernels.spec.Checks#allFinite}'s answer, at the provider's vector width).
     */
    boolean allFinite(float[] a, int from, int to);

    /** Row r's l or u: the sum of its L lane partials {@code lanes[r*L .. r*L + L)}, in double. */
    static double laneSum(float[] lanes, int r, int laneCount) {
        double sum = 0;
        for (int t = r * laneCount; t < r * laneCount + laneCount; t++) {
            sum += lanes[t];
        }
        return sum;
    }
}
