package org.isentropic.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Holm's adjustment against hand-worked examples. */
class HolmTest {

    static final double EXACT = 1e-15;

    @Test
    void aWorkedFamilyOfFour() {
        // By hand: sorted 0.005 (index 3), 0.01 (0), 0.03 (2), 0.04 (1); multipliers 4, 3, 2, 1:
        //   0.020, 0.030, 0.060, 0.040 -> running max 0.020, 0.030, 0.060, 0.060.
        double[] p = {0.01, 0.04, 0.03, 0.005};
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(p), EXACT);
        // Levels 1 - 0.05/(m - k + 1) for ranks k = 1..4: 1 - 0.05/4, 1 - 0.05/3, 1 - 0.05/2, 1 - 0.05.
        assertArrayEquals(new double[] {1 - 0.05 / 3, 0.95, 0.975, 0.9875}, Holm.levels(p, 0.05), EXACT);
    }

    @Test
    void theMonotoneStepMattersWhereBonferroniTimesRankWouldDecrease() {
        // (m - k + 1) p(k) = 3*0.01, 2*0.02, 1*0.035 = 0.03, 0.04, 0.035: without the running max the largest
        // p-value would get 0.035 < 0.04, reversing the order of the evidence.
        assertArrayEquals(new double[] {0.03, 0.04, 0.04}, Holm.adjust(new double[] {0.01, 0.02, 0.035}), EXACT);
    }

    @Test
    void adjustedPValuesAreCappedAtOne() {
        assertArrayEquals(new double[] {1.0, 1.0}, Holm.adjust(new double[] {0.7, 0.6}), EXACT);
        assertArrayEquals(new double[] {0.6, 0.6}, Holm.adjust(new double[] {0.3, 0.6}), EXACT);
        assertArrayEquals(new double[] {1.0, 1.0, 1.0}, Holm.adjust(new double[] {1.0, 0.5, 0.9}), EXACT);
    }

    @Test
    void tiesShareTheirAdjustedPValueAndTheStrictestLevel() {
        // Sorted 0.02, 0.02, 0.5: 0.06, max(0.06, 0.04), max(0.06, 0.5).
        double[] p = {0.02, 0.5, 0.02};
        assertArrayEquals(new double[] {0.06, 0.5, 0.06}, Holm.adjust(p), EXACT);
        assertArrayEquals(new double[] {1 - 0.05 / 3, 0.95, 1 - 0.05 / 3}, Holm.levels(p, 0.05), EXACT);
        double[] allTied = {0.2, 0.2, 0.2, 0.2};
        for (double level : Holm.levels(allTied, 0.1)) {
            assertEquals(1 - 0.1 / 4, level, EXACT);
        }
    }

    @Test
    void aFamilyOfOneIsUnadjustedAndAnEmptyFamilyIsEmpty() {
        assertArrayEquals(new double[] {0.03}, Holm.adjust(new double[] {0.03}), 0);
        assertArrayEquals(new double[] {0.95}, Holm.levels(new double[] {0.03}, 0.05), EXACT);
        assertEquals(0, Holm.adjust(new double[0]).length);
        assertEquals(0, Holm.levels(new double[0], 0.05).length);
    }

    @Test
    void theInputIsNotReordered() {
        double[] p = {0.4, 0.001, 0.2};
        double[] copy = p.clone();
        Holm.adjust(p);
        Holm.levels(p, 0.05);
        assertArrayEquals(copy, p, 0);
    }

    @Test
    void badInputIsRefusedNamingIt() {
        assertMessage("p[1] = NaN", () -> Holm.adjust(new double[] {0.1, Double.NaN}));
        assertMessage("p[0] = -0.1", () -> Holm.adjust(new double[] {-0.1}));
        assertMessage("p[2] = 1.5", () -> Holm.levels(new double[] {0.1, 0.2, 1.5}, 0.05));
        assertMessage("alpha must be in (0, 1), got 0.0", () -> Holm.levels(new double[] {0.1}, 0));
        assertMessage("must not be null", () -> Holm.adjust(null));
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
