package org.isentropic.theory.solvers;

/**
 * An entropy-invariance condition that fixes the temperature lambda_n at length n from the one at the
 * training length N; docs/theory.md section "Invariance conditions".
 */
public enum Condition {
    /** {@code E[H_n(lambda_n)] = E[H_N(lambda_N)]}, expectations by Monte Carlo (common random numbers). */
    EXACT,
    /** The same with the large-n mean-field entropy {@code ln n + ln M - lambda M'/M} (quadrature). */
    MEAN_FIELD,
    /** The same with Su's Laplace-method entropy (for the sphere {@code ln n + (d/2) ln(1 - c^2)}). */
    LAPLACE,
    /**
     * The characteristic cosine c_n of the cap holding one of n keys, {@code n P(cos >= c_n) = 1}, exact
     * Beta law; factor {@code c_n / c_N}.
     */
    FOCUSED_CAP_EXACT,
    /** The same with the cap approximation {@code P(cos >= c) ~ (1 - c^2)^(d/2)}: reproduces InfoScale. */
    FOCUSED_CAP_APPROX,
    /** Equal expected softmax mass on the planted focus keys at n and at N (Monte Carlo). */
    PLANTED_FOCUS,
    /** Planted-focus mass matching with the mean-field mass {@code e^(lambda a) / E Z}. */
    PLANTED_FOCUS_MEAN_FIELD;

    /** The lower-case id used on the command line ({@code focused-cap-exact}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses an id or a constant name, case-insensitively, with '-' or '_'. */
    public static Condition parse(String s) {
        if (s != null) {
            String norm = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Condition c : values()) {
                if (c.name().equals(norm)) {
                    return c;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (Condition c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.id());
        }
        throw new IllegalArgumentException("unknown condition '" + s + "'; known: " + known);
    }

    /** True when the condition is estimated by Monte Carlo (factors carry standard errors). */
    public boolean monteCarlo() {
        return this == EXACT || this == PLANTED_FOCUS;
    }
}
