package org.isentropic.theory.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.isentropic.theory.TestSeeds;
import org.junit.jupiter.api.Test;

class EntropyTest {

    /** Double rounding over a sum of up to a few thousand terms. */
    private static final double SUM_EPS = 1e-12;

    @Test
    void uniformRowHasEntropyLnN() {
        for (int n : new int[] {1, 2, 7, 4096}) {
            double[] z = new double[n];
            java.util.Arrays.fill(z, 3.25);
            assertEquals(Math.log(n), Entropy.ofLogits(z, n), SUM_EPS);
        }
    }

    @Test
    void oneDominantKeyHasEntropyNearZeroAndExtremeLogitsStayFinite() {
        double[] z = {1e6, 0, 0, 0};
        assertEquals(0.0, Entropy.ofLogits(z, 4), SUM_EPS);
        double[] masked = {Double.NEGATIVE_INFINITY, 1, 1};
        assertEquals(Math.log(2), Entropy.ofLogits(masked, 3), SUM_EPS);
    }

    @Test
    void matchesTheDefinitionMinusSumPLogP() {
        TestSeeds.qt().forAll(integers().between(1, 50), doubles().between(-30, 30), doubles().between(0, 5))
                .checkAssert((n, a, lambda) -> {
                    double[] z = new double[n];
                    for (int j = 0; j < n; j++) {
                        z[j] = a * Math.sin(1.7 * j + a);
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        max = Math.max(max, lambda * v);
                    }
                    double sum = 0;
                    for (double v : z) {
                        sum += Math.exp(lambda * v - max);
                    }
                    double h = 0;
                    for (double v : z) {
                        double p = Math.exp(lambda * v - max) / sum;
                        h -= p > 0 ? p * Math.log(p) : 0;
                    }
                    assertEquals(h, Entropy.ofScaledLogits(z, 0, n, lambda), 1e-9 * (1 + Math.log(n)));
                    double[] hs = new double[2];
                    Entropy.ofScaledLogitsWithSlope(z, 0, n, lambda, hs);
                    assertEquals(h, hs[0], 1e-9 * (1 + Math.log(n)));
                });
    }

    @Test
    void slopeIsTheDerivative() {
        double[] z = {0.3, -1.2, 2.5, 0.0, 1.1};
        double lambda = 0.8;
        double step = 1e-5;
        double fd = (Entropy.ofScaledLogits(z, 0, 5, lambda + step) - Entropy.ofScaledLogits(z, 0, 5, lambda - step))
                / (2 * step);
        double[] hs = new double[2];
        Entropy.ofScaledLogitsWithSlope(z, 0, 5, lambda, hs);
        // central difference error O(step^2) times the third derivative (order 1 here)
        assertEquals(fd, hs[1], 1e-8);
    }

    @Test
    void massOnTheFirstKeys() {
        double[] z = {Math.log(3), 0, 0, 0};
        assertEquals(0.5, Entropy.massOfFirst(z, 0, 4, 1.0, 1), SUM_EPS);
        assertEquals(1.0, Entropy.massOfFirst(z, 0, 4, 1.0, 4), SUM_EPS);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Entropy.ofLogits(new double[] {Double.NaN, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> Entropy.ofLogits(new double[] {Double.POSITIVE_INFINITY, 1}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Entropy.ofLogits(new double[] {1}, 0));
        assertTrue(e.getMessage().contains("n"));
        assertThrows(IllegalArgumentException.class, () -> Entropy.ofLogits(new double[] {1}, 2));
        assertThrows(IllegalArgumentException.class, () -> Entropy.ofScaledLogits(new double[] {1}, 0, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Entropy.ofScaledLogits(new double[] {1}, 0, 1, -1));
    }
}
