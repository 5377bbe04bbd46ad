package org.isentropic.kernels.fused;

import java.util.Arrays;
import java.util.List;
import org.isentropic.kernels.spec.KeyRange;

/**
 * The window-mass probe of the fused kernel: per row, the attention mass on each requested key range
 * ({@link org.isentropic.kernels.spec.AttentionOutput#mass()}, e.g. the window of keys around a planted target). It
 * rides on the online softmax: a range's running mass is rescaled with the row's other sums when the running max
 * grows, gains the tile's weights 2^(t - m) on the range's keys, and is divided by l at the end. Layout:
 * {@code rangeMass[r * R + t]} for row r of the block and range t of R.
 */
final class RangeMass {

    private RangeMass() {
    }

    /** Zero running mass for rows [0, rowsPadded) of a block. */
    static void reset(float[] rangeMass, int rowsPadded, int rangeCount) {
        if (rangeCount > 0) {
            Arrays.fill(rangeMass, 0, rowsPadded * rangeCount, 0f);
        }
    }

    /**
     * Adds one key tile [j0, j1) to the running mass of rows [0, rows): each range's mass times the row's rescale
     * factor plus the tile's weights {@code weights[r * scoreStride + j - j0]} on the range's keys.
     */
    static void accumulate(float[] rangeMass, List<KeyRange> ranges, int rangeCount, float[] weights,
                           int scoreStride, int rows, float[] rescale, int j0, int j1) {
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < rangeCount; t++) {
                KeyRange range = ranges.get(t);
                float mass = rangeMass[r * rangeCount + t] * rescale[r];
                int from = Math.max(range.start(), j0);
                int to = Math.min(range.end(), j1);
                for (int j = from; j < to; j++) {
                    mass += weights[r * scoreStride + j - j0];
                }
                rangeMass[r * rangeCount + t] = mass;
            }
        }
    }

    /** Row i's mass on each range: block row r's running mass times 1 / l. */
    static void finish(float[] rangeMass, int r, float inverseWeightSum, float[] mass, int i, int rangeCount) {
        for (int t = 0; t < rangeCount; t++) {
            mass[i * rangeCount + t] = rangeMass[r * rangeCount + t] * inverseWeightSum;
        }
    }

    /** Row i's mass on each range when it sees no key: 0. */
    static void empty(float[] mass, int i, int rangeCount) {
        for (int t = 0; t < rangeCount; t++) {
            mass[i * rangeCount + t] = 0f;
        }
    }
}
