package org.isentropic.base;

/**
 * The project's one default seed and its one way of deriving sub-seeds: the default of every command's
 * {@code --seed}, the seed of the test suites and benchmarks, and how to reproduce a run.
 *
 * <p>The seed is read from the system property {@value #PROPERTY}; without it the fixed default
 * {@value #DEFAULT_SEED} is used, so every build checks the same examples. Maven passes the property
 * to the tests ({@code mvn -B verify -Disentropic.seed=...}); every failure message carries
 * {@link #rerunHint(long)}.
 */
public final class Seeds {
    /** System property that overrides the seed. */
    public static final String PROPERTY = "isentropic.seed";
    /** The default seed of the build (also the root pom's default). */
    public static final long DEFAULT_SEED = 20250115L;

    private Seeds() {
    }

    /**
     * The seed of this run.
     *
     * @return the value of {@value #PROPERTY} when set, else {@link #DEFAULT_SEED}
     * @throws IllegalArgumentException when the property is set but is not a decimal long
     */
    public static long seed() {
        String text = System.getProperty(PROPERTY);
        if (text == null || text.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be a decimal long, got '" + text + "'", e);
        }
    }

    /**
     * A seed for one named sub-stream, so that properties do not share random numbers and adding a
     * property does not change the examples of the others. Mixes the run seed with the name's hash by
     * the SplitMix64 finaliser (Steele, Lea, Flood 2014).
     *
     * @param name a stable name (e.g. the property's name); not null
     * @return a derived seed; the same for the same run seed and name
     */
    public static long derive(String name) {
        return derive(seed(), name);
    }

    /**
     * As {@link #derive(String)} for an explicit base seed.
     *
     * @param base the base seed
     * @param name a stable name; not null
     * @return the derived seed
     */
    public static long derive(long base, String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return derive(base, (long) name.hashCode());
    }

    /**
     * A seed for the {@code index}-th sub-stream of a base seed (SplitMix64 finaliser of
     * {@code base + golden * (index + 1)}).
     *
     * @param base the base seed
     * @param index any index
     * @return the derived seed
     */
    public static long derive(long base, long index) {
        long z = base + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * What a failure message says about reproducing it.
     *
     * @param seed the run seed that produced the failure
     * @return e.g. {@code seed 20250115; rerun with: mvn -B verify -Disentropic.seed=20250115}
     */
    public static String rerunHint(long seed) {
        return "seed " + seed + "; rerun with: mvn -B verify -D" + PROPERTY + "=" + seed;
    }
}
