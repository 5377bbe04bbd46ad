package org.isentropic.kernels.fused;

import static org.isentropic.kernels.OpsTeeth.caught;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The per-operation checks of the fused kernel's tiles and of VectorExp2 have teeth: each catches a
 * deliberately wrong operation of the kind SIMD code gets wrong (a dropped tail component or key, a missing
 * clamp, a forgotten rescale, a lower-degree or badly reduced exp2), while the correct scalar provider beside it
 * passes. The mutants are the scalar provider with one operation replaced. (The decode operations' teeth are in
 * {@code DecodeOpsTeethTest}.)
 */
class TileOpsTeethTest {

    private static final TileOps TILES = new ScalarTiles();

    /** A TileOps that delegates every operation to ScalarTiles; mutants override one. */
    private static class TilesDelegate implements TileOps {
        @Override
        public int lanes() {
            return TILES.lanes();
        }

        @Override
        public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                           int panels, float[] s, int sOff, int ss) {
            TILES.scores(tile, q, qOff, d, rows, kp, panelOff, panels, s, sOff, ss);
        }

        @Override
        public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope,
                          float cap) {
            TILES.alibi(s, ss, rows, width, rowStart, keyStart, slope, cap);
        }

        @Override
        public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy, float[] rowMax,
                            float[] weightSums, float[] weightedLogitSums, float[] rescale) {
            TILES.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSums, weightedLogitSums, rescale);
        }

        @Override
        public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                            boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                            float[] rescale) {
            TILES.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                    rescale);
        }

        @Override
        public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                       int dvp, float[] o, float[] rescale) {
            TILES.pv(s, ss, r0, rows, keyStart, keys, v, vRow0, vs, dvp, o, rescale);
        }

        @Override
        public void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments) {
            TILES.rowMoments(t, off, width, lambda, shift, moments);
        }

        @Override
        public boolean allFinite(float[] a, int from, int to) {
            return TILES.allFinite(a, from, to);
        }
    }

    @Test
    void aFinitenessScanWithoutItsTailIsCaught() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public boolean allFinite(float[] a, int from, int to) {
                int vectors = (to - from) / 16 * 16; // whole 16-lane vectors only: the tail never read
                return super.allFinite(a, from, from + vectors);
            }
        };
        caught("TileOps.allFinite", TileOpsChecks::allFinite, TILES, wrong, "not seen");
    }

    @Test
    void aFinitenessScanThatMissesInfinitiesIsCaught() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public boolean allFinite(float[] a, int from, int to) {
                for (int i = from; i < to; i++) {
                    if (Float.isNaN(a[i])) { // NaN only, as a compare of x with itself finds
                        return false;
                    }
                }
                return true;
            }
        };
        caught("TileOps.allFinite", TileOpsChecks::allFinite, TILES, wrong, "Infinity");
    }

    @Test
    void rowMomentsWithoutTheLastVector() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments) {
                super.rowMoments(t, off, width - lanes(), lambda, shift, moments); // the tail vector forgotten
            }
        };
        caught("TileOps.rowMoments", TileOpsChecks::rowMoments, TILES, wrong, " l: got");
    }

    @Test
    void rowMomentsWhoseSquaresForgetTheirWeights() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments) {
                double before = moments[2];
                super.rowMoments(t, off, width, lambda, shift, moments);
                double squares = 0;
                for (int j = off; j < off + width; j++) {
                    float x = lambda * t[j] - shift;
                    if (x != Float.NEGATIVE_INFINITY) {
                        squares += (double) x * x; // sum x^2 instead of sum 2^x x^2
                    }
                }
                moments[2] = before + squares;
            }
        };
        caught("TileOps.rowMoments", TileOpsChecks::rowMoments, TILES, wrong, " w: got");
    }

    @Test
    void tileScoresWithoutTheLastComponent() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                               int panels, float[] s, int sOff, int ss) {
                int lanes = lanes();
                for (int r = 0; r < rows; r++) {
                    for (int p = 0; p < panels; p++) {
                        for (int t = 0; t < lanes; t++) {
                            float acc = 0f;
                            for (int c = 0; c < d - 1; c++) { // the tail component forgotten
                                acc = Math.fma(q[qOff + r * d + c], kp[panelOff + (p * d + c) * lanes + t], acc);
                            }
                            s[sOff + r * ss + p * lanes + t] = acc;
                        }
                    }
                }
            }
        };
        caught("TileOps.scores", TileOpsChecks::scores, TILES, wrong, "above the bound");
    }

    @Test
    void tileScoresWithoutTheLeftoverPanelsOfAnEightRowTile() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                               int panels, float[] s, int sOff, int ss) {
                // R8C3's whole tiles only: the one or two panels past a multiple of 3 are never computed
                int computed = tile.rows() == 8 ? panels / tile.panels() * tile.panels() : panels;
                if (computed > 0) {
                    super.scores(tile, q, qOff, d, rows, kp, panelOff, computed, s, sOff, ss);
                }
            }
        };
        caught("TileOps.scores (leftover panels)", TileOpsChecks::scores, TILES, wrong, "R8C3");
    }

    @Test
    void tileScoresWritingPastTheirPanels() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                               int panels, float[] s, int sOff, int ss) {
                super.scores(tile, q, qOff, d, rows, kp, panelOff, panels, s, sOff, ss);
                int end = sOff + (rows - 1) * ss + panels * lanes();
                if (end < s.length) {
                    s[end] = 0f; // one store too many, as a full-vector store past a partial tile would do
                }
            }
        };
        caught("TileOps.scores (region)", TileOpsChecks::scores, TILES, wrong, "outside the operation's region");
    }

    @Test
    void alibiWithoutTheCap() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope,
                              float cap) {
                super.alibi(s, ss, rows, width, rowStart, keyStart, slope, Float.POSITIVE_INFINITY);
            }
        };
        caught("TileOps.alibi", TileOpsChecks::alibi, TILES, wrong, "above the bound");
    }

    @Test
    void softmaxThatForgetsToRescaleTheOldSums() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                                float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
                float[] before = weightSums.clone();
                float[] oldMax = rowMax.clone();
                super.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSums, weightedLogitSums, rescale);
                int lanes = lanes();
                for (int r = 0; r < rows; r++) {
                    if (oldMax[r] != Float.NEGATIVE_INFINITY) {
                        // l = l_old + tile l instead of factor l_old + tile l
                        weightSums[r * lanes] += (float) ((1 - rescale[r]) * TileOps.laneSum(before, r, lanes));
                    }
                }
            }
        };
        caught("TileOps.softmax", TileOpsChecks::softmax, TILES, wrong, " l: got");
    }

    @Test
    void softmaxThatRescalesOnlyTheFirstLaneOfU() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                float[] before = weightedLogitSums.clone();
                float[] oldMax = rowMax.clone();
                super.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
                int lanes = lanes();
                for (int r = r0; r < r0 + rows; r++) {
                    if (entropy && oldMax[r] != Float.NEGATIVE_INFINITY) {
                        // lanes 1 .. L - 1 keep their old values instead of factor times them
                        System.arraycopy(before, r * lanes + 1, weightedLogitSums, r * lanes + 1, lanes - 1);
                    }
                }
            }
        };
        caught("TileOps.softmax (u lanes)", TileOpsChecks::softmax, TILES, wrong, " u: got");
    }

    @Test
    void softmaxWhoseULosesTheShiftOfTheOldMax() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                float[] oldMax = rowMax.clone();
                float[] oldSums = weightSums.clone();
                super.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
                int lanes = lanes();
                for (int r = r0; r < r0 + rows; r++) {
                    if (entropy && oldMax[r] != Float.NEGATIVE_INFINITY && rowMax[r] != oldMax[r]) {
                        // u = factor u + tile u: the old terms' t - m not moved to the new max
                        weightedLogitSums[r * lanes] -= (float) (rescale[r] * TileOps.laneSum(oldSums, r, lanes)
                                * (oldMax[r] - rowMax[r]));
                    }
                }
            }
        };
        caught("TileOps.softmax (u shift)", TileOpsChecks::softmax, TILES, wrong, " u: got");
    }

    @Test
    void softmaxThatKeepsAFreshRowsOldLanes() {
        caught("TileOps.softmax (fresh u)", TileOpsChecks::softmax, TILES, keepingAFreshRowsOldLanes(false),
                " u: got");
    }

    @Test
    void softmaxThatKeepsAFreshRowsOldWeightLanes() {
        caught("TileOps.softmax (fresh l)", TileOpsChecks::softmax, TILES, keepingAFreshRowsOldLanes(true),
                " l: got");
    }

    /**
     * A softmax that adds a row's first visible tile to whatever its lanes held instead of replacing it: the lanes
     * of l ({@code weightLanes}) or, with the entropy on, of u.
     */
    private static TileOps keepingAFreshRowsOldLanes(boolean weightLanes) {
        return new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                float[] lanesOfSum = weightLanes ? weightSums : weightedLogitSums;
                float[] before = lanesOfSum.clone();
                float[] oldMax = rowMax.clone();
                super.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
                if (!weightLanes && !entropy) {
                    return;
                }
                int lanes = lanes();
                for (int r = r0; r < r0 + rows; r++) {
                    if (oldMax[r] == Float.NEGATIVE_INFINITY && rescale[r] == 0f) {
                        for (int t = r * lanes; t < r * lanes + lanes; t++) {
                            lanesOfSum[t] += before[t];
                        }
                    }
                }
            }
        };
    }

    @Test
    void softmaxThatClearsTheLanesWithEntropyOff() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                super.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
                if (!entropy) { // the lanes of u written although the entropy is off
                    java.util.Arrays.fill(weightedLogitSums, r0 * lanes(), (r0 + rows) * lanes(), 0f);
                }
            }
        };
        caught("TileOps.softmax (u lanes, entropy off)", TileOpsChecks::softmax, TILES, wrong, " u lanes: cell ");
    }

    @Test
    void softmaxThatStartsAtTheTilesFirstColumn() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                // the group's panels taken from column 0 instead of col0
                super.softmax(s, ss, r0, rows, 0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
            }
        };
        caught("TileOps.softmax (columns)", TileOpsChecks::softmax, TILES, wrong, "col0=");
    }

    @Test
    void softmaxThatStartsAtTheBlocksFirstRow() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                boolean entropy, float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                float[] rescale) {
                // rows 0 .. rows - 1 instead of the group's
                super.softmax(s, ss, 0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                        rescale);
            }
        };
        caught("TileOps.softmax (rows)", TileOpsChecks::softmax, TILES, wrong, "r0=");
    }

    @Test
    void softmaxInTheNaturalBase() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                                float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
                float[] scores = s.clone();
                super.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSums, weightedLogitSums, rescale);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < width; j++) {
                        float x = scores[r * ss + j] - rowMax[r];
                        s[r * ss + j] = x == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(x); // e^x, not 2^x
                    }
                }
            }
        };
        caught("TileOps.softmax (base)", TileOpsChecks::softmax, TILES, wrong, " weight ");
    }

    @Test
    void pvThatIgnoresTheRescale() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                           int dvp, float[] o, float[] rescale) {
                float[] ones = rescale.clone();
                java.util.Arrays.fill(ones, 1f);
                super.pv(s, ss, r0, rows, keyStart, keys, v, vRow0, vs, dvp, o, ones);
            }
        };
        caught("TileOps.pv", TileOpsChecks::pv, TILES, wrong, "above the bound");
    }

    @Test
    void pvThatDropsTheKeysPastTheLastGroupOfFour() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                           int dvp, float[] o, float[] rescale) {
                super.pv(s, ss, r0, rows, keyStart, keys & ~3, v, vRow0, vs, dvp, o, rescale);
            }
        };
        caught("TileOps.pv (tail)", TileOpsChecks::pv, TILES, wrong, "above the bound");
    }

    @Test
    void exp2OfDegreeFive() {
        // The Taylor polynomial without its last term: truncation error up to 3.4e-6 at |f| = 1/2.
        float c1 = Exp2Checks.coefficient(1);
        float c2 = Exp2Checks.coefficient(2);
        float c3 = Exp2Checks.coefficient(3);
        float c4 = Exp2Checks.coefficient(4);
        float c5 = Exp2Checks.coefficient(5);
        Exp2Checks.Exp2Op wrong = (x, out) -> {
            for (int i = 0; i < x.length; i++) {
                float n = Math.round(x[i]);
                float f = x[i] - n;
                float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, c5, c4), f, c3), f, c2), f, c1), f, 1f);
                out[i] = Math.scalb(p, (int) n);
            }
        };
        caught("VectorExp2 bound", Exp2Checks::withinBound, Exp2Checks.SAME_ALGORITHM, wrong, "above the bound");
        // Exact at the integers all the same: that check alone would not see it.
        assertDoesNotThrow(() -> Exp2Checks.exactAtIntegers(wrong));
    }

    @Test
    void exp2ReducedTowardZero() {
        // n = x truncated toward zero leaves f in (-1, 0], where the degree-6 polynomial is off by up to 3e-5.
        float[] c = new float[7];
        for (int k = 1; k <= 6; k++) {
            c[k] = Exp2Checks.coefficient(k);
        }
        Exp2Checks.Exp2Op wrong = (x, out) -> {
            for (int i = 0; i < x.length; i++) {
                float n = (float) (int) x[i];
                float f = x[i] - n;
                float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, c[6], c[5]), f, c[4]), f, c[3]),
                        f, c[2]), f, c[1]), f, 1f);
                out[i] = Math.scalb(p, (int) n);
            }
        };
        caught("VectorExp2 reduction", Exp2Checks::withinBound, Exp2Checks.SAME_ALGORITHM, wrong, "above the bound");
    }
}
