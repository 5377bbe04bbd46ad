package org.isentropic.experiments.stats;

import java.util.Locale;

/**
 * What a pre-registered comparison claims about the difference {@code Δ = A − B} (column {@code direction} of
 * experiments/claims.csv), and how its margin {@code m} enters. Each claim is an open set of values of Δ:
 *
 * <ul>
 *   <li>{@link #GREATER} ({@code greater}): {@code Δ > m}, "A exceeds B by more than m". Any finite m; m = 0 is
 *       plain superiority, a negative m a non-inferiority claim ({@code Δ > −2}: "A is at most 2 below B").</li>
 *   <li>{@link #LESS} ({@code less}): {@code Δ < −m}, "A falls below B by more than m" — the mirror image of
 *       GREATER, so the same margin means the same distance in both directions. Any finite m.</li>
 *   <li>{@link #EQUIVALENT} ({@code equivalent}): {@code |Δ| < m}, "A and B differ by less than m". Requires
 *       m &gt; 0 (the set is empty at m = 0, so the claim could never hold).</li>
 * </ul>
 *
 * The margin is in the metric's unit: percentage points for accuracy, nats per target for loss.
 */
public enum Direction {
    /** {@code A − B > m}. */
    GREATER("greater"),
    /** {@code A − B < −m}. */
    LESS("less"),
    /** {@code |A − B| < m}, m &gt; 0. */
    EQUIVALENT("equivalent");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    /** The name used in claims.csv: {@code greater}, {@code less} or {@code equivalent}. */
    public String token() {
        return token;
    }

    /**
     * Parses a claims.csv token. Surrounding blanks and letter case are ignored.
     *
     * @throws IllegalArgumentException naming the value when it is null or not one of the three tokens
     */
    public static Direction parse(String text) {
        if (text != null) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            for (Direction d : values()) {
                if (d.token.equals(t)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("direction must be one of greater, less, equivalent, got "
                + (text == null ? "null" : "'" + text + "'"));
    }

    /** True when {@code delta} lies in the claimed set (strict inequalities, see the class comment). */
    public boolean claims(double delta, double margin) {
        return switch (this) {
            case GREATER -> delta > margin;
            case LESS -> delta < -margin;
            case EQUIVALENT -> Math.abs(delta) < margin;
        };
    }

    /**
     * Checks a margin for this direction: finite, and positive for {@link #EQUIVALENT}.
     *
     * @return the margin
     * @throws IllegalArgumentException naming the margin and the direction otherwise
     */
    public double requireMargin(double margin) {
        if (!Double.isFinite(margin) || (this == EQUIVALENT && !(margin > 0))) {
            throw new IllegalArgumentException("margin must be finite" + (this == EQUIVALENT ? " and > 0" : "")
                    + " for direction " + token + ", got " + margin);
        }
        return margin;
    }
}
