package org.isentropic.theory;

import org.isentropic.base.Seeds;
import org.quicktheories.QuickTheory;

/** The fixed seed of every random test (System property isentropic.seed), and the QuickTheories setup. */
public final class TestSeeds {

    /** The project's seed ({@link Seeds#seed()}); QuickTheories prints it with every falsified example. */
    public static final long SEED = Seeds.seed();

    private TestSeeds() {
    }

    /** QuickTheories with the project's seed: 200 examples, 2000 under -Pexhaustive. */
    public static QuickTheory qt() {
        boolean exhaustive = "exhaustive".equals(System.getProperty("isentropic.examples"));
        return QuickTheory.qt().withFixedSeed(SEED).withExamples(exhaustive ? 2000 : 200);
    }
}
