package org.isentropic.theory;

import org.quicktheories.QuickTheory;

/** The fixed seed of every random test (System property isentropic.seed), and the QuickTheories setup. */
public final class TestSeeds {

    /**
     * The project's seed; QuickTheories prints it with every falsified example. 20250115 is the project's
     * default seed, {@code org.isentropic.kernels.Seeds.DEFAULT_SEED}: written out here because theory never
     * depends on kernels (not even in tests: the two modules stay independent), so it cannot import it.
     */
    public static final long SEED = Long.getLong("isentropic.seed", 20250115L);

    private TestSeeds() {
    }

    /** QuickTheories with the project's seed: 200 examples, 2000 under -Pexhaustive. */
    public static QuickTheory qt() {
        boolean exhaustive = "exhaustive".equals(System.getProperty("isentropic.examples"));
        return QuickTheory.qt().withFixedSeed(SEED).withExamples(exhaustive ? 2000 : 200);
    }
}
