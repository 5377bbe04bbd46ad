package org.isentropic.experiments.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.junit.jupiter.api.Test;

class MlmMaskingTest {

    static final long SEED = Seeds.seed();

    @Test
    void evaluationMasksExactlyFifteenPercentWithMask() {
        int[] tokens = new int[64];
        java.util.Arrays.fill(tokens, 7);
        MlmMasking m = MlmMasking.evaluation(tokens, MlmMasking.RATE, new SplittableRandom(SEED));
        assertEquals(10, m.chosen().length, "round(0.15 * 64) = 10");
        int masked = 0;
        for (int i = 0; i < 64; i++) {
            masked += m.input()[i] == CharVocabulary.MASK ? 1 : 0;
        }
        assertEquals(10, masked);
        for (int i = 1; i < m.chosen().length; i++) {
            assertTrue(m.chosen()[i] > m.chosen()[i - 1], "distinct and ascending");
        }
    }

    @Test
    void trainingFollowsBertsEightyTenTen() {
        // 20,000 sequences x 10 chosen positions: the [MASK] share has standard error sqrt(.8 .2 / 2e5) = 9e-4;
        // the 6-sigma band below cannot fail by chance in practice. Kept tokens (10 %) and random ones (10 %,
        // of which 1/98 equal the original) are told apart by the original token 7.
        SplittableRandom rng = new SplittableRandom(SEED);
        int[] tokens = new int[64];
        java.util.Arrays.fill(tokens, 7);
        long mask = 0;
        long kept = 0;
        long total = 0;
        for (int r = 0; r < 20_000; r++) {
            MlmMasking m = MlmMasking.training(tokens, MlmMasking.RATE, 100, rng);
            for (int p : m.chosen()) {
                total++;
                mask += m.input()[p] == CharVocabulary.MASK ? 1 : 0;
                kept += m.input()[p] == 7 ? 1 : 0;
                assertTrue(m.input()[p] >= 1 && m.input()[p] < 100);
            }
        }
        double se = Math.sqrt(0.8 * 0.2 / total);
        assertEquals(0.8, (double) mask / total, 6 * se, "seed " + SEED);
        assertEquals(0.1 + 0.1 / 98, (double) kept / total, 6 * Math.sqrt(0.1 * 0.9 / total), "seed " + SEED);
    }

    @Test
    void badRateIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> MlmMasking.evaluation(new int[4], 0, new SplittableRandom(1)));
    }
}
