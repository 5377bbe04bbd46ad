package org.isentropic.experiments.stats;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The verdict on one pre-registered claim about {@code Δ = A − B}: its estimate, its interval, its Holm-adjusted
 * interval (when it belongs to a family), and the outcome the adjusted interval gives; one row of
 * claims-results.csv ({@code estimate,lo,hi,lo_adj,hi_adj,verdict}) and the sentence that reports it.
 *
 * <p>The claim is the open set C of {@link Direction} ({@code Δ > m}, {@code Δ < −m} or {@code |Δ| < m}); the
 * interval [lo, hi] is closed. The outcome compares the two sets:
 * <ul>
 *   <li>{@link Outcome#HOLDS} when [lo, hi] ⊂ C: superiority {@code lo > m} (GREATER), {@code hi < −m} (LESS);
 *       equivalence {@code −m < lo} and {@code hi < m};</li>
 *   <li>{@link Outcome#DOES_NOT_HOLD} when [lo, hi] ∩ C = ∅: {@code hi <= m}, {@code lo >= −m}; equivalence
 *       {@code hi <= −m} or {@code lo >= m} (the interval lies entirely outside (−m, m));</li>
 *   <li>{@link Outcome#INCONCLUSIVE} otherwise (the interval has values inside and outside the claim).</li>
 * </ul>
 * So an endpoint on the margin never lets a claim hold (the margin itself is not in C), and an interval that only
 * touches C from outside does not hold. With the two-sided (1 − α) interval, HOLDS is a one-sided test at α/2 (two
 * such tests for equivalence, Schuirmann's TOST) — the same rule {@link TwoLevelBootstrap#pValue} inverts.
 *
 * <p>Units: accuracy in percentage points (printed to 0.1), loss in nats per target (printed to 0.01); the caller
 * passes values already in those units.
 *
 * @param direction what the claim says
 * @param margin the margin m, valid for the direction ({@link Direction#requireMargin})
 * @param estimate the point estimate of Δ
 * @param lo lower end of the unadjusted interval
 * @param hi upper end of the unadjusted interval, {@code >= lo}
 * @param loAdjusted lower end of the Holm-adjusted interval ({@code lo} when not adjusted)
 * @param hiAdjusted upper end of the Holm-adjusted interval, {@code >= loAdjusted} ({@code hi} when not adjusted)
 * @param adjusted whether the claim belongs to a Holm family (the sentence then quotes both intervals)
 */
public record Verdict(Direction direction, double margin, double estimate, double lo, double hi, double loAdjusted,
        double hiAdjusted, boolean adjusted) {

    /** The three outcomes of a claim. */
    public enum Outcome {
        /** The whole interval lies inside the claim. */
        HOLDS("holds"),
        /** The whole interval lies outside the claim. */
        DOES_NOT_HOLD("does not hold"),
        /** The interval has values on both sides of the claim's boundary. */
        INCONCLUSIVE("inconclusive");

        private final String token;

        Outcome(String token) {
            this.token = token;
        }

        /** The value of the {@code verdict} column: {@code holds}, {@code does not hold}, {@code inconclusive}. */
        public String token() {
            return token;
        }

        /** The verb phrase of the sentence: "holds", "does not hold", "is inconclusive". */
        String phrase() {
            return this == INCONCLUSIVE ? "is " + token : token;
        }
    }

    /** The unit of a metric and how many decimals its numbers are printed with. */
    public enum Unit {
        /** Accuracy, in percentage points. */
        POINTS("points", 1),
        /** Loss, in nats per target. */
        NATS("nats", 2);

        private final String name;
        private final int decimals;

        Unit(String name, int decimals) {
            this.name = name;
            this.decimals = decimals;
        }

        /**
         * The unit of a claims.csv metric: {@code accuracy} → points, {@code loss} → nats.
         *
         * @throws IllegalArgumentException naming any other value
         */
        public static Unit forMetric(String metric) {
            if ("accuracy".equals(metric)) {
                return POINTS;
            }
            if ("loss".equals(metric)) {
                return NATS;
            }
            throw new IllegalArgumentException("metric must be accuracy or loss, got "
                    + (metric == null ? "null" : "'" + metric + "'"));
        }

        /** The unit's name as printed: {@code points} or {@code nats}. */
        public String unitName() {
            return name;
        }

        String format(double x) {
            return String.format(Locale.ROOT, "%." + decimals + "f", x + 0.0);
        }

        String formatSigned(double x) {
            return String.format(Locale.ROOT, "%+." + decimals + "f", x + 0.0);
        }
    }

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the field: a null direction, a margin invalid for it, a non-finite
     *         number, an interval with lo &gt; hi, or an unadjusted verdict whose adjusted interval differs
     */
    public Verdict {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
        direction.requireMargin(margin);
        requireFinite("estimate", estimate);
        requireInterval("lo", lo, "hi", hi);
        requireInterval("loAdjusted", loAdjusted, "hiAdjusted", hiAdjusted);
        if (!adjusted && (loAdjusted != lo || hiAdjusted != hi)) {
            throw new IllegalArgumentException("an unadjusted verdict has its adjusted interval equal to [lo, hi],"
                    + " got [" + loAdjusted + ", " + hiAdjusted + "] vs [" + lo + ", " + hi + "]");
        }
    }

    /** A claim outside any family: the outcome comes from [lo, hi]. */
    public static Verdict of(Direction direction, double margin, double estimate, double lo, double hi) {
        return new Verdict(direction, margin, estimate, lo, hi, lo, hi, false);
    }

    /** A claim of a Holm family: the outcome comes from the adjusted interval [loAdjusted, hiAdjusted]. */
    public static Verdict holm(Direction direction, double margin, double estimate, double lo, double hi,
            double loAdjusted, double hiAdjusted) {
        return new Verdict(direction, margin, estimate, lo, hi, loAdjusted, hiAdjusted, true);
    }

    /**
     * The outcome of a claim given a closed interval [lo, hi] (rules in the class comment).
     *
     * @throws IllegalArgumentException for a null direction, an invalid margin, or a non-finite or reversed interval
     */
    public static Outcome decide(Direction direction, double margin, double lo, double hi) {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
        direction.requireMargin(margin);
        requireInterval("lo", lo, "hi", hi);
        boolean loIn = direction.claims(lo, margin);
        boolean hiIn = direction.claims(hi, margin);
        if (loIn && hiIn) {
            return Outcome.HOLDS; // C is an interval, so both ends inside means all of [lo, hi] is
        }
        boolean disjoint = switch (direction) {
            case GREATER -> hi <= margin;
            case LESS -> lo >= -margin;
            case EQUIVALENT -> hi <= -margin || lo >= margin;
        };
        return disjoint ? Outcome.DOES_NOT_HOLD : Outcome.INCONCLUSIVE;
    }

    /** The outcome of this claim, from the adjusted interval (the unadjusted one when not in a family). */
    public Outcome outcome() {
        return decide(direction, margin, loAdjusted, hiAdjusted);
    }

    /**
     * The claim in words, A and B standing for the two cells: {@code A > B by more than 0 points},
     * {@code A < B by more than 0.05 nats}, {@code |A - B| < 5 points}; a negative superiority margin (a
     * non-inferiority claim) is written as {@code A - B > -2 points}. The margin is printed as given (no rounding).
     */
    public static String claim(Direction direction, double margin, Unit unit) {
        direction.requireMargin(margin);
        String u = " " + unit.unitName();
        return switch (direction) {
            case GREATER -> margin >= 0 ? "A > B by more than " + plain(margin) + u : "A - B > " + plain(margin) + u;
            case LESS -> margin >= 0 ? "A < B by more than " + plain(margin) + u : "A - B < " + plain(-margin) + u;
            case EQUIVALENT -> "|A - B| < " + plain(margin) + u;
        };
    }

    /**
     * The report's sentence, e.g. {@code InfoScale − standard at n = 4096 on control: +3.1 points [0.2, 6.0]
     * (Holm-adjusted [-0.5, 6.7]); the claim 'A > B by more than 0 points' is inconclusive.} The estimate carries
     * its sign; the Holm part appears when {@link #adjusted()}.
     *
     * @param label names the comparison, A before B (e.g. "InfoScale − standard at n = 4096 on control")
     * @param unit the metric's unit
     */
    public String sentence(String label, Unit unit) {
        if (label == null || label.isBlank() || unit == null) {
            throw new IllegalArgumentException("label must be non-blank and unit non-null, got '" + label + "', "
                    + unit);
        }
        StringBuilder s = new StringBuilder(label).append(": ").append(unit.formatSigned(estimate)).append(' ')
                .append(unit.unitName()).append(" [").append(unit.format(lo)).append(", ").append(unit.format(hi))
                .append(']');
        if (adjusted) {
            s.append(" (Holm-adjusted [").append(unit.format(loAdjusted)).append(", ")
                    .append(unit.format(hiAdjusted)).append("])");
        }
        return s.append("; the claim '").append(claim(direction, margin, unit)).append("' ")
                .append(outcome().phrase()).append('.').toString();
    }

    private static String plain(double x) {
        return BigDecimal.valueOf(x + 0.0).stripTrailingZeros().toPlainString();
    }

    private static void requireFinite(String name, double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(name + " must be finite, got " + x);
        }
    }

    private static void requireInterval(String loName, double lo, String hiName, double hi) {
        requireFinite(loName, lo);
        requireFinite(hiName, hi);
        if (lo > hi) {
            throw new IllegalArgumentException(loName + " must be <= " + hiName + ", got [" + lo + ", " + hi + "]");
        }
    }
}
