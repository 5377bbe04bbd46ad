package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.isentropic.kernels.Seeds;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.junit.jupiter.api.Test;

/**
 * theory's per-length stream seed is the project's sub-seed written out (theory cannot import kernels'
 * {@link Seeds}): the two must give the same seed for every base and length, or theory's Monte Carlo and
 * the figures that seed kernels inputs from it would drift apart.
 */
class SeedsAgreementTest {

    @Test
    void theoryStreamSeedIsKernelsDerive() {
        SplittableRandom r = new SplittableRandom(Seeds.seed());
        long[] bases = {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Seeds.DEFAULT_SEED};
        int[] lengths = {0, 1, 2, 64, 4096, Integer.MAX_VALUE, -1};
        for (long base : bases) {
            for (int n : lengths) {
                assertEquals(Seeds.derive(base, n), ExpectedEntropy.streamSeed(base, n), "base " + base + ", n " + n);
            }
        }
        for (int i = 0; i < 1000; i++) {
            long base = r.nextLong();
            int n = r.nextInt();
            assertEquals(Seeds.derive(base, n), ExpectedEntropy.streamSeed(base, n), "base " + base + ", n " + n
                    + "; " + Seeds.rerunHint(Seeds.seed()));
        }
        // the check has teeth: a neighbouring index gives another seed
        assertNotEquals(Seeds.derive(7L, 64), ExpectedEntropy.streamSeed(7L, 65));
    }
}
