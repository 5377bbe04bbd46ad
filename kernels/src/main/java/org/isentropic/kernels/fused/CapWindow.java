package org.isentropic.kernels.fused;

import org.isentropic.kernels.spec.LogitGeometry;

/**
 * The two copies of the logits that a cap window needs in the fused kernel (ReRoPE's window, LM-Infinite's
 * distance cap; {@link LogitGeometry}): a pair with |i - j| &lt; W takes its score from the "inside" copies of q
 * and k (rotated at their own positions), any other pair from the "outside" copies (q rotated at W - 1, k
 * unrotated). A tile whose pairs are all inside the window (every tile when there is none) scores the inside
 * copies only; a tile whose pairs are all outside scores the outside copies only, straight into the scores; a
 * tile the window's edge crosses scores both and then takes the outside score for each pair past the edge.
 */
final class CapWindow {

    /** Every pair of the tile is inside the window (or there is no window). */
    static final int INSIDE = 0;
    /** Every pair of the tile is outside the window. */
    static final int OUTSIDE = 1;
    /** The window's edge crosses the tile. */
    static final int MIXED = 2;

    private CapWindow() {
    }

    /** Where the pairs of rows [i0, i1) and keys [j0, j1) lie against the cap window of {@code g}. */
    static int classify(LogitGeometry g, int i0, int i1, int j0, int j1) {
        if (!g.capped()) {
            return INSIDE;
        }
        int maxDist = Math.max(i1 - 1 - j0, j1 - 1 - i0);
        int minDist = j0 > i1 - 1 ? j0 - (i1 - 1) : i0 > j1 - 1 ? i0 - (j1 - 1) : 0;
        return maxDist < g.capWindow ? INSIDE : minDist >= g.capWindow ? OUTSIDE : MIXED;
    }

    /** The buffer of the outside scores: the scores themselves when every pair is outside, else the second one. */
    static float[] outsideScores(int windowClass, float[] scores, float[] scoresOutside) {
        return windowClass == OUTSIDE ? scores : scoresOutside;
    }

    /**
     * The scores of {@code rows} query rows from row {@code queryRow} against {@code panels} key panels from
     * {@code panelOff}, at {@code scoreOff} with row stride {@code scoreStride}: from the inside copies into
     * {@code scores} unless every pair is outside, from the outside copies into {@code outsideScores} unless every
     * pair is inside.
     */
    static void score(TileOps ops, FusedKernel.QkTile tile, FusedWorkspace ws, int windowClass, int queryRow, int d,
                      int rows, int panelOff, int panels, float[] scores, float[] outsideScores, int scoreOff,
                      int scoreStride) {
        if (windowClass != OUTSIDE) {
            ops.scores(tile, ws.queriesInside, queryRow * d, d, rows, ws.keysInside, panelOff, panels, scores,
                    scoreOff, scoreStride);
        }
        if (windowClass != INSIDE) {
            ops.scores(tile, ws.queriesOutside, queryRow * d, d, rows, ws.keysOutside, panelOff, panels,
                    outsideScores, scoreOff, scoreStride);
        }
    }

    /**
     * For a {@link #MIXED} tile: each pair of rows [i0, i0 + rows) and keys [j0, j0 + keys) outside the window
     * takes its outside score.
     */
    static void merge(float[] scores, float[] outsideScores, int scoreStride, int i0, int rows, int j0, int keys,
                      int capWindow) {
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            int rowOff = r * scoreStride;
            for (int jj = 0; jj < keys; jj++) {
                if (Math.abs(i - j0 - jj) >= capWindow) {
                    scores[rowOff + jj] = outsideScores[rowOff + jj];
                }
            }
        }
    }
}
