package org.isentropic.kernels.fused;

import java.util.Arrays;
import org.isentropic.kernels.spec.Mask;

/**
 * The mask as the fused kernel applies it to one query block, a key tile at a time. Every mask is, for each row
 * i, a sink prefix {@code [0, sinkEnd(i))} and a band {@code [bandLo(i), bandHi(i))} ({@link Mask}), so from
 * those bounds a block skips the key tiles none of its rows sees ({@link #visit}: a causal block stops at its
 * diagonal, a window block starts near it), classifies the others ({@link #classify}: a fully visible tile needs
 * no mask work), finds per group of rows the columns of a partly visible tile that any of its rows sees
 * ({@link #visibleColumns}: the score and P.V tiles cover only those), and sets the masked, padded-key and
 * padded-row scores to -infinity before the softmax ({@link #apply}).
 *
 * <p>One per worker ({@link FusedWorkspace.Scratch}), set to a block by {@link #start}; it allocates nothing
 * after the first call that sizes it.
 */
final class TileMask {

    /** No pair of the tile is visible. */
    static final int NONE = 0;
    /** Every pair of the tile is visible. */
    static final int ALL = 1;
    /** Some pairs are visible, some are not. */
    static final int PARTIAL = 2;

    private Mask mask;
    private int n;
    /** The block's rows [i0, i1) and the width of a key tile. */
    private int i0;
    private int i1;
    private int blockKeys;
    /** Keys some row of the block sees: [0, sinkEnd) and [.., bandHi). */
    private int sinkEnd;
    private int bandHi;
    /** The start of the key tile holding the lowest band key of the block (bandLo rounded down to a tile). */
    private int firstBandTile;
    // [2 x row groups] per group of rowUnit rows: the first and end column of the current tile any row can see.
    private int[] columns = new int[0];

    /** Makes room for the column ranges of {@code blockRows} rows (a group per row at most). */
    void ensureRows(int blockRows) {
        if (columns.length < 2 * blockRows) {
            columns = new int[2 * blockRows];
        }
    }

    /** Sets this to the block of rows [i0, i1) of a sequence of n tokens, with key tiles of blockKeys keys. */
    void start(Mask mask, int n, int i0, int i1, int blockKeys) {
        this.mask = mask;
        this.n = n;
        this.i0 = i0;
        this.i1 = i1;
        this.blockKeys = blockKeys;
        int sinkHi = 0;
        int bandLo = n;
        int bandHiMax = 0;
        for (int i = i0; i < i1; i++) {
            sinkHi = Math.max(sinkHi, mask.sinkEnd(i, n));
            int lo = mask.bandLo(i, n);
            int hi = mask.bandHi(i, n);
            if (hi > lo) {
                bandLo = Math.min(bandLo, lo);
                bandHiMax = Math.max(bandHiMax, hi);
            }
        }
        this.sinkEnd = sinkHi;
        this.bandHi = bandHiMax;
        this.firstBandTile = bandLo / blockKeys * blockKeys;
    }

    /**
     * The start of the first key tile at or after {@code j0} (a multiple of blockKeys) that a row of the block may
     * see: tiles past the sinks and before the band are skipped; n (or more) when no tile is left.
     */
    int visit(int j0) {
        int j = j0;
        if (j >= sinkEnd && j + blockKeys <= firstBandTile) {
            j = firstBandTile;
        }
        if (j >= sinkEnd && j >= bandHi) {
            return n;
        }
        return j;
    }

    /** {@link #NONE} when no pair of the block's rows and keys [j0, j1) is visible, {@link #ALL} when every pair is. */
    int classify(int j0, int j1) {
        boolean any = false;
        boolean all = true;
        for (int i = i0; i < i1; i++) {
            int sinkEndOfRow = mask.sinkEnd(i, n);
            int lo = mask.bandLo(i, n);
            int hi = mask.bandHi(i, n);
            boolean sinkPart = sinkEndOfRow > j0;
            boolean bandPart = Math.min(hi, j1) > Math.max(lo, j0);
            any |= sinkPart || bandPart;
            boolean full = sinkEndOfRow >= j1 || (lo <= j0 && hi >= j1)
                    || (sinkEndOfRow > j0 && lo <= sinkEndOfRow && hi >= j1);
            all &= full;
            if (any && !all) {
                return PARTIAL;
            }
        }
        return !any ? NONE : all ? ALL : PARTIAL;
    }

    /**
     * Records, for row group {@code group}, the columns [{@link #firstColumn}, {@link #endColumn}) of the tile
     * starting at key j0 (keys wide) that any of rows [ia, ib) can see; empty (0, 0) when none (also for padded
     * rows only).
     */
    void visibleColumns(int ia, int ib, int j0, int keys, int group) {
        int start = keys;
        int end = 0;
        for (int i = ia; i < ib; i++) {
            int sinkEndOfRow = Math.min(mask.sinkEnd(i, n) - j0, keys);
            int lo = Math.max(mask.bandLo(i, n) - j0, 0);
            int hi = Math.min(mask.bandHi(i, n) - j0, keys);
            if (sinkEndOfRow > 0) {
                start = 0;
                end = Math.max(end, sinkEndOfRow);
            }
            if (hi > lo) {
                start = Math.min(start, lo);
                end = Math.max(end, hi);
            }
        }
        columns[2 * group] = end > start ? start : 0;
        columns[2 * group + 1] = end > start ? end : 0;
    }

    /** The first visible column of row group {@code group} in the current tile ({@link #visibleColumns}). */
    int firstColumn(int group) {
        return columns[2 * group];
    }

    /** One past the last visible column of row group {@code group} in the current tile. */
    int endColumn(int group) {
        return columns[2 * group + 1];
    }

    /**
     * Sets to -infinity the scores {@code scores[r*scoreStride + jj]} (jj &lt; width) of the tile starting at key
     * j0 that are masked, past its {@code keys} real keys, or on padded rows (r &gt;= rows).
     */
    void apply(float[] scores, int scoreStride, int rows, int rowsPadded, int j0, int keys, int width) {
        for (int r = 0; r < rowsPadded; r++) {
            int rowOff = r * scoreStride;
            if (r >= rows) {
                Arrays.fill(scores, rowOff, rowOff + width, Float.NEGATIVE_INFINITY);
                continue;
            }
            int i = i0 + r;
            int sinkEndOfRow = Math.min(Math.max(mask.sinkEnd(i, n) - j0, 0), keys);
            int lo = Math.min(Math.max(mask.bandLo(i, n) - j0, 0), keys);
            int hi = Math.min(Math.max(mask.bandHi(i, n) - j0, 0), keys);
            if (hi < lo) {
                hi = lo;
            }
            // visible: [0, sinkEndOfRow) and [lo, hi); everything else in [0, width) is masked.
            if (sinkEndOfRow >= lo) {
                int end = Math.max(sinkEndOfRow, hi);
                Arrays.fill(scores, rowOff + end, rowOff + width, Float.NEGATIVE_INFINITY);
            } else {
                Arrays.fill(scores, rowOff + sinkEndOfRow, rowOff + lo, Float.NEGATIVE_INFINITY);
                Arrays.fill(scores, rowOff + hi, rowOff + width, Float.NEGATIVE_INFINITY);
            }
        }
    }
}
