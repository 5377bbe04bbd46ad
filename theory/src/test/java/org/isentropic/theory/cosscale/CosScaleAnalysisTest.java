package org.isentropic.theory.cosscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.isentropic.theory.TestSeeds;
import org.isentropic.theory.entropy.Estimate;
import org.junit.jupiter.api.Test;

class CosScaleAnalysisTest {

    private static final double Z = 5.0;

    @Test
    void entropyMonteCarloMatchesMeanFieldAtSmallScale() {
        double[] s = {2, 8};
        Estimate[] mc = CosScaleAnalysis.entropyMonteCarlo(128, 4096, s, 100, TestSeeds.SEED);
        for (int i = 0; i < s.length; i++) {
            double mf = CosScaleAnalysis.entropyMeanField(128, 4096, s[i]);
            // finite-n bias of the mean field: (M(2s)/M(s)^2 - 1)/(2n) < 1e-4 here
            assertEquals(mf, mc[i].mean(), Z * mc[i].standardError() + 1e-4, "s = " + s[i]);
            assertEquals(mf, CosScaleAnalysis.entropyLaplace(128, 4096, s[i]), 2e-3, "Laplace vs mean field");
        }
        assertTrue(mc[1].mean() < mc[0].mean());
    }

    @Test
    void everyRowRespectsTheConcentrationBound() {
        TestSeeds.qt().withExamples(30).forAll(integers().between(2, 512), doubles().between(1, 300),
                doubles().between(0.01, 0.5)).checkAssert((n, s, delta) -> {
                    CosScaleAnalysis.Concentration c = CosScaleAnalysis.concentration(32, n, s, delta, 5,
                            TestSeeds.SEED + n);
                    assertTrue(c.largestMassOutside() <= c.bound() * (1 + 1e-12),
                            c + " n=" + n + " s=" + s + " delta=" + delta);
                });
    }

    @Test
    void windowedAttentionStatistics() {
        LocalContentModel model = new LocalContentModel(64, 10000, 0.95, 1.0);
        CosScaleAnalysis.LocalRows rows = CosScaleAnalysis.localRows(model, 256, 20, TestSeeds.SEED);
        CosScaleAnalysis.WindowStats small = rows.at(1.0, 0.05, 16);
        CosScaleAnalysis.WindowStats large = rows.at(400.0, 0.05, 16);
        // TV distance to windowed attention with the same logits equals the mass outside the window
        assertEquals(small.massOutsideWindow().mean(), small.tvToWindowed().mean(), 1e-12);
        assertEquals(large.massOutsideWindow().mean(), large.tvToWindowed().mean(), 1e-12);
        assertTrue(large.effectiveWindow().mean() < small.effectiveWindow().mean());
        assertTrue(large.tvToWindowed().mean() < small.tvToWindowed().mean());
        // r = 1: the query's own key has cosine 1, the unique maximum, so a huge s keeps only it
        assertEquals(0.0, rows.at(1e5, 0.05, 0).effectiveWindow().mean());
        assertThrows(IllegalArgumentException.class, () -> rows.at(0, 0.05, 1));
        assertThrows(IllegalArgumentException.class, () -> rows.at(1, 1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> rows.at(1, 0.05, -1));
    }

    @Test
    void scaleForTargetEntropyHitsTheTarget() {
        Estimate s = CosScaleAnalysis.scaleForEntropy(64, 512, 2.0, 100, TestSeeds.SEED);
        // the same rows (same seed) at that s give the target up to the root finder's tolerance
        Estimate h = CosScaleAnalysis.entropyMonteCarlo(64, 512, new double[] {s.mean()}, 100, TestSeeds.SEED)[0];
        assertEquals(2.0, h.mean(), 1e-9);
        double mf = CosScaleAnalysis.scaleForEntropyMeanField(64, 512, 6.0);
        assertEquals(6.0, CosScaleAnalysis.entropyMeanField(64, 512, mf), 1e-10);
        assertThrows(IllegalArgumentException.class, () -> CosScaleAnalysis.scaleForEntropy(64, 512, 7.0, 10, 1));
    }

    @Test
    void ropeIsARotationThatDependsOnRelativePosition() {
        Rope rope = new Rope(8, 10000);
        double[] q = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] k = {0.5, -1, 2, 0, 1, 1, -3, 2};
        double dot1 = rotatedDot(rope, q, 3, k, 10);
        double dot2 = rotatedDot(rope, q, 103, k, 110);
        assertEquals(dot1, dot2, 1e-9);
        double[] v = q.clone();
        rope.rotate(v, 0, 77);
        assertEquals(norm(q), norm(v), 1e-12);
        // pair 0 turns by exactly the position (frequency base^0 = 1)
        double[] e = {1, 0, 0, 0, 0, 0, 0, 0};
        rope.rotate(e, 0, 0.5);
        assertEquals(Math.cos(0.5), e[0], 1e-15);
        assertEquals(Math.sin(0.5), e[1], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Rope(7, 10000));
        assertThrows(IllegalArgumentException.class, () -> new Rope(8, 1));
    }

    private static double rotatedDot(Rope rope, double[] q, int i, double[] k, int j) {
        double[] a = q.clone();
        double[] b = k.clone();
        rope.rotate(a, 0, i);
        rope.rotate(b, 0, j);
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += a[c] * b[c];
        }
        return s;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CosScaleAnalysis.concentrationBound(0, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> CosScaleAnalysis.concentrationBound(10, -1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> CosScaleAnalysis.concentrationBound(10, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LocalContentModel(64, 10000, 1.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new LocalContentModel(63, 10000, 0.5, 1.0));
        assertThrows(IllegalArgumentException.class, () -> CosScaleAnalysis.entropyMeanField(64, 100, 0));
    }
}
