package org.isentropic.verification;

/**
 * How many examples a property runs: a quick count in the default build and a larger one when the
 * system property {@value #PROPERTY} is {@code exhaustive} (set by {@code mvn -B verify -Pexhaustive}).
 */
public final class ExampleBudget {
    /** System property that selects the budget. */
    public static final String PROPERTY = "isentropic.examples";

    private ExampleBudget() {
    }

    /**
     * Whether this run is exhaustive.
     *
     * @return true when {@value #PROPERTY} equals {@code exhaustive} (case-insensitive)
     */
    public static boolean exhaustive() {
        return "exhaustive".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    /**
     * Pick the count for this run.
     *
     * @param quick count in the default build, at least 1
     * @param exhaustive count under {@code -Pexhaustive}, at least {@code quick}
     * @return {@code exhaustive} when the run is exhaustive, else {@code quick}
     * @throws IllegalArgumentException when quick &lt; 1 or exhaustive &lt; quick
     */
    public static int pick(int quick, int exhaustive) {
        if (quick < 1) {
            throw new IllegalArgumentException("quick must be >= 1, got " + quick);
        }
        if (exhaustive < quick) {
            throw new IllegalArgumentException(
                    "exhaustive must be >= quick (" + quick + "), got " + exhaustive);
        }
        return exhaustive() ? exhaustive : quick;
    }

    /**
     * The label of this run's budget, for summaries.
     *
     * @return {@code exhaustive} or {@code quick}
     */
    public static String label() {
        return exhaustive() ? "exhaustive" : "quick";
    }
}
