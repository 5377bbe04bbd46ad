package org.isentropic.experiments.stats;

import static org.isentropic.experiments.stats.Direction.EQUIVALENT;
import static org.isentropic.experiments.stats.Direction.GREATER;
import static org.isentropic.experiments.stats.Direction.LESS;
import static org.isentropic.experiments.stats.Verdict.Outcome.DOES_NOT_HOLD;
import static org.isentropic.experiments.stats.Verdict.Outcome.HOLDS;
import static org.isentropic.experiments.stats.Verdict.Outcome.INCONCLUSIVE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.isentropic.experiments.stats.Verdict.Outcome;
import org.isentropic.experiments.stats.Verdict.Unit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every outcome of every direction, the boundaries between them, and the sentences. */
class VerdictTest {

    /** One case: the interval [lo, hi] against the claim (direction, margin) must give the outcome. */
    record Case(Direction direction, double margin, double lo, double hi, Outcome expected) {

        Executable check() {
            return () -> assertEquals(expected, Verdict.decide(direction, margin, lo, hi),
                    direction + " margin " + margin + " on [" + lo + ", " + hi + "]");
        }
    }

    static void check(Case... cases) {
        assertAll(Arrays.stream(cases).map(Case::check));
    }

    @Test
    void greaterClaimsTheDifferenceExceedsTheMargin() {
        check(new Case(GREATER, 0, 0.2, 6.0, HOLDS),
                new Case(GREATER, 0, -0.5, 6.7, INCONCLUSIVE),
                new Case(GREATER, 0, -3, -1, DOES_NOT_HOLD),
                new Case(GREATER, 2, 2.5, 4, HOLDS),
                new Case(GREATER, 2, 1, 3, INCONCLUSIVE),
                new Case(GREATER, 2, 0.5, 1.9, DOES_NOT_HOLD),
                // boundaries: the margin itself is not in the claim
                new Case(GREATER, 2, 2, 4, INCONCLUSIVE),
                new Case(GREATER, 2, Math.nextUp(2.0), 4, HOLDS),
                new Case(GREATER, 2, 0, 2, DOES_NOT_HOLD),
                new Case(GREATER, 2, 0, Math.nextUp(2.0), INCONCLUSIVE),
                new Case(GREATER, 2, 2, 2, DOES_NOT_HOLD),
                // a negative margin is a non-inferiority claim: A - B > -2
                new Case(GREATER, -2, -1.5, 1, HOLDS),
                new Case(GREATER, -2, -2.5, 1, INCONCLUSIVE),
                new Case(GREATER, -2, -4, -2, DOES_NOT_HOLD));
    }

    @Test
    void lessClaimsTheDifferenceFallsBelowMinusTheMargin() {
        check(new Case(LESS, 5, -9, -6, HOLDS),
                new Case(LESS, 5, -9, 1, INCONCLUSIVE),
                new Case(LESS, 5, -4, 3, DOES_NOT_HOLD),
                new Case(LESS, 0, -0.52, -0.08, HOLDS),
                new Case(LESS, 0, -0.52, 0.08, INCONCLUSIVE),
                new Case(LESS, 0, 0.1, 0.3, DOES_NOT_HOLD),
                // boundaries at -m = -5
                new Case(LESS, 5, -9, -5, INCONCLUSIVE),
                new Case(LESS, 5, -9, Math.nextDown(-5.0), HOLDS),
                new Case(LESS, 5, -5, 0, DOES_NOT_HOLD),
                new Case(LESS, 5, Math.nextDown(-5.0), 0, INCONCLUSIVE),
                new Case(LESS, 0, 0, 0, DOES_NOT_HOLD),
                // negative margin: A - B < 2
                new Case(LESS, -2, -1, 1.5, HOLDS),
                new Case(LESS, -2, 2, 3, DOES_NOT_HOLD));
    }

    @Test
    void equivalentClaimsTheDifferenceIsWithinTheMargin() {
        check(new Case(EQUIVALENT, 5, -2, 3, HOLDS),
                new Case(EQUIVALENT, 5, -6, 3, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, 4, 7, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, -7, 7, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, 6, 9, DOES_NOT_HOLD),
                new Case(EQUIVALENT, 5, -30, -21.6, DOES_NOT_HOLD),
                // boundaries at -m and m
                new Case(EQUIVALENT, 5, -5, 4, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, -4, 5, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, Math.nextUp(-5.0), Math.nextDown(5.0), HOLDS),
                new Case(EQUIVALENT, 5, 5, 8, DOES_NOT_HOLD),
                new Case(EQUIVALENT, 5, -8, -5, DOES_NOT_HOLD),
                new Case(EQUIVALENT, 5, Math.nextDown(5.0), 8, INCONCLUSIVE),
                new Case(EQUIVALENT, 5, -8, Math.nextUp(-5.0), INCONCLUSIVE),
                new Case(EQUIVALENT, 0.01, 0, 0, HOLDS));
    }

    @Test
    void theOutcomeAgreesWithMembershipOfBothEndsWhereEitherRuleApplies() {
        // Independent statement of the rules: HOLDS iff every point of a fine grid over [lo, hi] is claimed,
        // DOES_NOT_HOLD iff none is. Exercised on a grid of intervals around each boundary.
        double[] ends = {-7, -5.000001, -5, -4.999999, -1, 0, 1, 4.999999, 5, 5.000001, 7};
        for (Direction d : Direction.values()) {
            for (double lo : ends) {
                for (double hi : ends) {
                    if (lo > hi) {
                        continue;
                    }
                    int claimed = 0;
                    int points = 1001;
                    for (int k = 0; k < points; k++) {
                        double x = k == points - 1 ? hi : lo + (hi - lo) * k / (points - 1);
                        claimed += d.claims(x, 5) ? 1 : 0;
                    }
                    Outcome expected = claimed == points ? HOLDS : claimed == 0 ? DOES_NOT_HOLD : INCONCLUSIVE;
                    assertEquals(expected, Verdict.decide(d, 5, lo, hi), d + " [" + lo + ", " + hi + "]");
                }
            }
        }
    }

    @Test
    void theSentenceQuotesBothIntervalsAndTheOutcomeOfTheAdjustedOne() {
        Verdict v = Verdict.holm(GREATER, 0, 3.1, 0.2, 6.0, -0.5, 6.7);
        assertEquals(INCONCLUSIVE, v.outcome(), "the unadjusted interval alone would say holds");
        assertEquals("InfoScale − standard at n = 4096 on control: +3.1 points [0.2, 6.0] (Holm-adjusted [-0.5, 6.7]);"
                + " the claim 'A > B by more than 0 points' is inconclusive.",
                v.sentence("InfoScale − standard at n = 4096 on control", Unit.POINTS));
    }

    @Test
    void lossSentencesUseNatsToTwoDecimalsWithTheirSign() {
        Verdict v = Verdict.of(LESS, 0, -0.30, -0.52, -0.08);
        assertEquals(HOLDS, v.outcome());
        assertEquals("InfoScale − standard at 16N: -0.30 nats [-0.52, -0.08]; the claim 'A < B by more than 0 nats'"
                + " holds.", v.sentence("InfoScale − standard at 16N", Unit.forMetric("loss")));
        assertEquals("x: +0.00 nats [-0.01, 0.02]; the claim 'A > B by more than 0.05 nats' does not hold.",
                Verdict.of(GREATER, 0.05, -0.0, -0.01, 0.02).sentence("x", Unit.NATS));
    }

    @Test
    void equivalenceAndNonInferioritySentences() {
        assertEquals("claim 2: -21.6 points [-25.0, -18.3]; the claim '|A - B| < 5 points' does not hold.",
                Verdict.of(EQUIVALENT, 5, -21.6, -25.0, -18.3).sentence("claim 2", Unit.forMetric("accuracy")));
        assertEquals("per-row vs oracle: +0.0 points [-4.7, 4.4] (Holm-adjusted [-6.0, 5.8]); the claim"
                + " '|A - B| < 2.5 points' is inconclusive.",
                Verdict.holm(EQUIVALENT, 2.5, 0.04, -4.7, 4.4, -6.0, 5.8).sentence("per-row vs oracle", Unit.POINTS));
        assertEquals("A - B > -2 points", Verdict.claim(GREATER, -2, Unit.POINTS));
        assertEquals("A - B < 2 points", Verdict.claim(LESS, -2, Unit.POINTS));
        assertEquals("A < B by more than 1.5 points", Verdict.claim(LESS, 1.5, Unit.POINTS));
    }

    @Test
    void outcomeTokensForTheCsv() {
        assertEquals("holds", HOLDS.token());
        assertEquals("does not hold", DOES_NOT_HOLD.token());
        assertEquals("inconclusive", INCONCLUSIVE.token());
    }

    @Test
    void directionsParseFromClaimsCsvAndNameABadValue() {
        assertEquals(GREATER, Direction.parse("greater"));
        assertEquals(LESS, Direction.parse(" less "));
        assertEquals(EQUIVALENT, Direction.parse("Equivalent"));
        for (Direction d : Direction.values()) {
            assertEquals(d, Direction.parse(d.token()));
        }
        assertMessage("direction must be one of greater, less, equivalent, got 'bigger'",
                () -> Direction.parse("bigger"));
        assertMessage("got null", () -> Direction.parse(null));
        assertMessage("got ''", () -> Direction.parse(""));
    }

    @Test
    void badInputIsRefusedNamingIt() {
        assertMessage("margin must be finite and > 0 for direction equivalent, got 0.0",
                () -> Verdict.decide(EQUIVALENT, 0, -1, 1));
        assertMessage("margin must be finite for direction less, got Infinity",
                () -> Verdict.decide(LESS, Double.POSITIVE_INFINITY, -1, 1));
        assertMessage("lo must be <= hi, got [2.0, 1.0]", () -> Verdict.decide(GREATER, 0, 2, 1));
        assertMessage("hi must be finite, got NaN", () -> Verdict.decide(GREATER, 0, 0, Double.NaN));
        assertMessage("direction must not be null", () -> Verdict.of(null, 0, 0, 0, 1));
        assertMessage("estimate must be finite", () -> Verdict.of(GREATER, 0, Double.NaN, 0, 1));
        assertMessage("loAdjusted must be <= hiAdjusted", () -> Verdict.holm(GREATER, 0, 1, 0, 2, 3, 2));
        assertMessage("an unadjusted verdict", () -> new Verdict(GREATER, 0, 1, 0, 2, -1, 3, false));
        assertMessage("metric must be accuracy or loss, got 'perplexity'", () -> Unit.forMetric("perplexity"));
        assertMessage("label must be non-blank", () -> Verdict.of(GREATER, 0, 1, 0, 2).sentence(" ", Unit.POINTS));
    }

    static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
