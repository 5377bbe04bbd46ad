package org.isentropic.kernels.decode;

import static org.isentropic.kernels.OpsTeeth.caught;

import org.junit.jupiter.api.Test;

/**
 * The per-operation checks of the decode step's operations have teeth: each catches a deliberately wrong
 * operation of the kind SIMD code gets wrong (a dropped tail key, a missing mask, a different order of the
 * partial sums), while the correct scalar provider beside it passes. The mutants are the scalar provider with
 * one operation replaced. (The fused kernel's tiles and VectorExp2 have theirs in {@code TileOpsTeethTest}.)
 */
class DecodeOpsTeethTest {

    private static final DecodeOps DECODE = new ScalarDecodeOps();

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
        public void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA,
                               int sOffB) {
            DECODE.scoresPair(qa, qb, d, kp, p0, p1, s, sOffA, sOffB);
        }

        @Override
        public void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1,
                               float[] s, int sOff, int sStride) {
            DECODE.scoresQuad(q0, q1, q2, q3, d, kp, p0, p1, s, sOff, sStride);
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
        public int valuePanel() {
            return DECODE.valuePanel();
        }

        @Override
        public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                               int aOff) {
            DECODE.accumulate(s, sOff, j0, j1, v, vOff, dvp, acc, aOff);
        }

        @Override
        public void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                                   int aOff) {
            DECODE.accumulateQuad(s, sOff, j0, j1, v, vOff, dvp, acc, aOff);
        }
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
    void scoresPairThatUsesTheFirstQueryForBoth() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA,
                                   int sOffB) {
                DECODE.scores(qa, d, kp, p0, p1, s, sOffA);
                DECODE.scores(qa, d, kp, p0, p1, s, sOffB);
            }
        };
        caught("DecodeOps.scoresPair (query)", DecodeOpsChecks::scoresPair, DECODE, wrong, "DecodeOps.scoresPair");
    }

    @Test
    void scoresPairThatDropsTheLastPanelOfTheSecondQuery() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void scoresPair(float[] qa, float[] qb, int d, float[] kp, int p0, int p1, float[] s, int sOffA,
                                   int sOffB) {
                DECODE.scores(qa, d, kp, p0, p1, s, sOffA);
                DECODE.scores(qb, d, kp, p0, Math.max(p0, p1 - 1), s, sOffB);
            }
        };
        caught("DecodeOps.scoresPair (tail)", DecodeOpsChecks::scoresPair, DECODE, wrong, "DecodeOps.scoresPair");
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
            public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                                   int aOff) {
                super.accumulate(s, sOff, j0, j0 + ((j1 - j0) & ~3), v, vOff, dvp, acc, aOff);
            }
        };
        caught("DecodeOps.accumulate", DecodeOpsChecks::accumulate, DECODE, wrong, "DecodeOps.accumulate");
    }

    @Test
    void accumulateThatStopsAfterTheFirstBlockOfEightColumnVectors() {
        // The SIMD provider holds 8 vectors of columns in registers per pass over the keys: a pass that is
        // never repeated for the next columns leaves them unchanged (sentinels around acc do not see it).
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                                   int aOff) {
                int block = Math.min(dvp, 8 * lanes());
                for (int j = j0; j < j1; j++) {
                    for (int c = 0; c < block; c++) {
                        acc[aOff + c] = Math.fma(s[sOff + j - j0], v[vOff + j * dvp + c], acc[aOff + c]);
                    }
                }
            }
        };
        caught("DecodeOps.accumulate (column blocks)", DecodeOpsChecks::accumulate, DECODE, wrong,
                "DecodeOps.accumulate");
    }

    @Test
    void accumulateThatIgnoresTheOffsetOfTheValuePanel() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void accumulate(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp, float[] acc,
                                   int aOff) {
                super.accumulate(s, sOff, j0, j1, v, 0, dvp, acc, aOff);
            }
        };
        caught("DecodeOps.accumulate (value offset)", DecodeOpsChecks::accumulate, DECODE, wrong,
                "DecodeOps.accumulate");
    }

    @Test
    void scoresQuadThatUsesTheFirstQueryForTheLast() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1,
                                   float[] s, int sOff, int sStride) {
                super.scoresQuad(q0, q1, q2, q0, d, kp, p0, p1, s, sOff, sStride);
            }
        };
        caught("DecodeOps.scoresQuad (query)", DecodeOpsChecks::scoresQuad, DECODE, wrong, "DecodeOps.scoresQuad");
    }

    @Test
    void scoresQuadThatDropsTheLastPanelOfTheThirdQuery() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void scoresQuad(float[] q0, float[] q1, float[] q2, float[] q3, int d, float[] kp, int p0, int p1,
                                   float[] s, int sOff, int sStride) {
                DECODE.scores(q0, d, kp, p0, p1, s, sOff);
                DECODE.scores(q1, d, kp, p0, p1, s, sOff + sStride);
                DECODE.scores(q2, d, kp, p0, Math.max(p0, p1 - 1), s, sOff + 2 * sStride);
                DECODE.scores(q3, d, kp, p0, p1, s, sOff + 3 * sStride);
            }
        };
        caught("DecodeOps.scoresQuad (tail)", DecodeOpsChecks::scoresQuad, DECODE, wrong, "DecodeOps.scoresQuad");
    }

    @Test
    void accumulateQuadThatReadsTheLastQuerysWeightsAtTheThirdsStride() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp,
                                       float[] acc, int aOff) {
                int q = QUAD_WEIGHTS;
                DECODE.accumulate(s, sOff, j0, j1, v, vOff, dvp, acc, aOff);
                DECODE.accumulate(s, sOff + q, j0, j1, v, vOff, dvp, acc, aOff + dvp);
                DECODE.accumulate(s, sOff + 2 * q, j0, j1, v, vOff, dvp, acc, aOff + 2 * dvp);
                DECODE.accumulate(s, sOff + 2 * q, j0, j1, v, vOff, dvp, acc, aOff + 3 * dvp);
            }
        };
        caught("DecodeOps.accumulateQuad (stride)", DecodeOpsChecks::accumulateQuad, DECODE, wrong,
                "DecodeOps.accumulateQuad");
    }

    @Test
    void accumulateQuadThatStopsAfterTheFirstFourVectorsOfColumns() {
        // The SIMD provider holds 4 (AVX-512) or 2 (AVX2) vectors of columns of the four queries per pass over
        // the keys: a pass never repeated for the next columns leaves them unchanged.
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public void accumulateQuad(float[] s, int sOff, int j0, int j1, float[] v, int vOff, int dvp,
                                       float[] acc, int aOff) {
                int block = Math.min(dvp, 4 * lanes());
                for (int i = 0; i < 4; i++) {
                    int a = aOff + i * dvp;
                    for (int j = j0; j < j1; j++) {
                        for (int c = 0; c < block; c++) {
                            acc[a + c] = Math.fma(s[sOff + i * QUAD_WEIGHTS + j - j0], v[vOff + j * dvp + c],
                                    acc[a + c]);
                        }
                    }
                }
            }
        };
        caught("DecodeOps.accumulateQuad (column blocks)", DecodeOpsChecks::accumulateQuad, DECODE, wrong,
                "DecodeOps.accumulateQuad");
    }

    @Test
    void valuePanelThatIsNotAMultipleOfTheLanes() {
        DecodeOps wrong = new DecodeDelegate() {
            @Override
            public int valuePanel() {
                return lanes() + 1;
            }
        };
        caught("DecodeOps.valuePanel", DecodeOpsChecks::valuePanel, DECODE, wrong, "valuePanel");
    }
}
