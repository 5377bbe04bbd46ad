package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The per-operation checks have teeth: each catches a deliberately wrong operation of the kind SIMD code gets
 * wrong (a dropped tail component or key, a missing clamp or mask, a forgotten rescale, a different order of the
 * partial sums, a lower-degree or badly reduced exp2), while the correct scalar provider beside it passes. The
 * mutants are the scalar providers with one operation replaced.
 */
class OpsSuiteTeethTest {

    private static final TileOps TILES = new ScalarTiles();
    private static final DecodeOps DECODE = new ScalarDecodeOps();

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
                            float[] weightSum, float[] weightedLogitSum, float[] rescale) {
            TILES.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSum, weightedLogitSum, rescale);
        }

        @Override
        public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                       int dvp, float[] o, float[] rescale) {
            TILES.pv(s, ss, r0, rows, keyStart, keys, v, vRow0, vs, dvp, o, rescale);
        }
    }

    /** A DecodeOps that delegates every operation to ScalarDecodeOps; mutants override one. */
    private static class DecodeDelegate implements DecodeOps {
        @Override
        public int lanes() {
            return DECODE.lanes();
        }

        @Override
        public void scores(float[] q, int d, float[] kp, int p0, int p1, float[] s, int sOff) {
            DECODE.scores(q, d, kp, p0, p1, s, sOff);
        }

        @Override
        public float max(float[] s, int from, int to) {
            return DECODE.max(s, from, to);
        }

        @Override
        public void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums) {
            DECODE.weights(s, from, to, m, lanes, sums);
        }

        @Override
        public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int dvp, float[] acc, int aOff) {
            DECODE.accumulate(s, sOff, j0, j1, v, dvp, acc, aOff);
        }
    }

    /** The check passes the correct operation and fails the wrong one for the expected reason. */
    private static <T> void caught(String what, Consumer<T> check, T correct, T wrong, String reason) {
        assertDoesNotThrow(() -> check.accept(correct), what + ": the correct operation must pass");
        AssertionError e = assertThrows(AssertionError.class, () -> check.accept(wrong),
                what + ": the wrong operation must fail");
        assertTrue(e.getMessage().contains(reason), what + ": failed for another reason: " + e.getMessage());
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
                                float[] rowMax, float[] weightSum, float[] weightedLogitSum, float[] rescale) {
                float[] before = weightSum.clone();
                super.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSum, weightedLogitSum, rescale);
                for (int r = 0; r < rows; r++) {
                    // l = l_old + tile l instead of factor l_old + tile l
                    weightSum[r] += (1 - rescale[r]) * before[r];
                }
            }
        };
        caught("TileOps.softmax", TileOpsChecks::softmax, TILES, wrong, " l: got");
    }

    @Test
    void softmaxInTheNaturalBase() {
        TileOps wrong = new TilesDelegate() {
            @Override
            public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                                float[] rowMax, float[] weightSum, float[] weightedLogitSum, float[] rescale) {
                float[] scores = s.clone();
                super.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSum, weightedLogitSum, rescale);
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
    void decodeScoresCombiningThePartialSumsInAnotherOrder() {
        // Within every error bound: only the bit-for-bit comparison with the documented order catches it.
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void scores(float[] q, int d, float[] kp, int p0, int p1, float[] s, int sOff) {
                int lanes = lanes();
                int d4 = d & ~3;
                for (int p = p0; p < p1; p++) {
                    for (int lane = 0; lane < lanes; lane++) {
                        float[] a = new float[4];
                        int c = 0;
                        for (; c < d4; c++) {
                            a[c & 3] = Math.fma(kp[(p * d + c) * lanes + lane], q[c], a[c & 3]);
                        }
                        for (; c < d; c++) {
                            a[0] = Math.fma(kp[(p * d + c) * lanes + lane], q[c], a[0]);
                        }
                        s[sOff + (p - p0) * lanes + lane] = (a[0] + a[2]) + (a[1] + a[3]);
                    }
                }
            }
        };
        caught("DecodeOps.scores (order)", DecodeOpsChecks::scores, DECODE, wrong, "scalar twin of the same order");
    }

    @Test
    void maxThatSkipsTheLastVector() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public float max(float[] s, int from, int to) {
                return super.max(s, from, Math.max(from, to - lanes()));
            }
        };
        caught("DecodeOps.max", DecodeOpsChecks::max, DECODE, wrong, "DecodeOps.max");
    }

    @Test
    void weightsThatDoNotZeroMaskedScores() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums) {
                boolean[] masked = new boolean[to - from];
                for (int j = from; j < to; j++) {
                    masked[j - from] = s[j] == Float.NEGATIVE_INFINITY;
                }
                super.weights(s, from, to, m, lanes, sums);
                for (int j = from; j < to; j++) {
                    if (masked[j - from]) {
                        s[j] = Float.MIN_NORMAL; // the clamped exp2 without the blend
                    }
                }
            }
        };
        caught("DecodeOps.weights (mask)", DecodeOpsChecks::weights, DECODE, wrong, "masked score");
    }

    @Test
    void weightsWithTheLogitsMeasuredFromZero() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void weights(float[] s, int from, int to, float m, float[] lanes, double[] sums) {
                super.weights(s, from, to, m, lanes, sums);
                sums[1] += m * sums[0]; // u = sum p t instead of sum p (t - m)
            }
        };
        caught("DecodeOps.weights (u)", DecodeOpsChecks::weights, DECODE, wrong, " u: got");
    }

    @Test
    void accumulateThatDropsTheTailKeys() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int dvp, float[] acc, int aOff) {
                super.accumulate(s, sOff, j0, j0 + ((j1 - j0) & ~3), v, dvp, acc, aOff);
            }
        };
        caught("DecodeOps.accumulate", DecodeOpsChecks::accumulate, DECODE, wrong, "DecodeOps.accumulate");
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
