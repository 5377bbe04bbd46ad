package org.isentropic.theory.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.isentropic.theory.TestSeeds;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.junit.jupiter.api.Test;

class ExpectedEntropyTest {

    /** Monte Carlo vs an expectation: 5 standard errors. */
    private static final double Z = 5.0;

    @Test
    void monteCarloIsReproducibleWithTheSameSeed() {
        LogitModel m = LogitModels.sphere(128, 16);
        Estimate a = ExpectedEntropy.monteCarlo(m, 256, 1.0, 50, TestSeeds.SEED);
        Estimate b = ExpectedEntropy.monteCarlo(m, 256, 1.0, 50, TestSeeds.SEED);
        assertEquals(a, b);
        assertEquals(50, a.samples());
        assertTrue(a.standardError() > 0);
        Estimate c = ExpectedEntropy.monteCarlo(m, 256, 1.0, 50, TestSeeds.SEED + 1);
        assertTrue(a.mean() != c.mean());
    }

    @Test
    void monteCarloMatchesTheMeanFieldFormAtLargeN() {
        // Mean field is the n -> infinity limit; at n = 4096 its bias is -Var(Z)/(2 E[Z]^2) ~ (M(2l)/M(l)^2 - 1)/(2n).
        int n = 4096;
        for (LogitModel m : new LogitModel[] {LogitModels.sphere(64, 8.0), LogitModels.gaussian(64, 8, 8),
                LogitModels.plantedFocus(64, 8.0, 1, 0.9)}) {
            double lambda = 1.0;
            Estimate mc = ExpectedEntropy.monteCarlo(m, n, lambda, 200, TestSeeds.SEED);
            double mf = ExpectedEntropy.meanField(m, n, lambda);
            double logM1 = m.distractorLaw().logMgf(lambda);
            double logM2 = m.distractorLaw().logMgf(2 * lambda);
            double bias = (Math.exp(logM2 - 2 * logM1) - 1) / (2.0 * n);
            assertEquals(mf, mc.mean(), Z * mc.standardError() + 2 * bias, m + ": " + mc);
        }
    }

    @Test
    void commonRandomNumbersGiveAMonotoneCurve() {
        LogitModel m = LogitModels.sphere(128, 1.0);
        double[] lambdas = {4, 8, 16, 32, 64};
        Estimate[] e = ExpectedEntropy.monteCarlo(m, 512, lambdas, 20, TestSeeds.SEED);
        for (int i = 1; i < e.length; i++) {
            assertTrue(e[i].mean() < e[i - 1].mean(), "entropy must fall as lambda grows");
        }
        assertEquals(e[2], ExpectedEntropy.monteCarlo(m, 512, 16, 20, TestSeeds.SEED));
    }

    @Test
    void laplaceFormForTheSphereIsSusFormula() {
        LogitModel m = LogitModels.sphere(128, 1.0);
        double kappa = 40;
        double c = (Math.sqrt(128.0 * 128 + 4 * kappa * kappa) - 128) / (2 * kappa);
        double expected = Math.log(4096) + 64 * Math.log(1 - c * c);
        assertEquals(expected, ExpectedEntropy.laplace(m, 4096, kappa), 1e-12);
        assertEquals(expected, ExpectedEntropy.laplaceSphere(128, 4096, kappa), 1e-12);
        // Laplace is exact for Gaussian logits.
        LogitModel g = LogitModels.gaussian(32, 4, 4);
        assertEquals(ExpectedEntropy.meanField(g, 1000, 2.0), ExpectedEntropy.laplace(g, 1000, 2.0), 1e-12);
        assertEquals(Math.log(1000) - 0.5 * 4 * 0.25, ExpectedEntropy.meanField(g, 1000, 2.0), 1e-12);
    }

    @Test
    void focusMassMonteCarloMatchesMeanField() {
        LogitModel m = LogitModels.plantedFocus(128, 20.0, 1, 0.7);
        int n = 2048;
        Estimate mc = ExpectedEntropy.focusMassMonteCarlo(m, n, 1.0, 100, TestSeeds.SEED);
        double mf = ExpectedEntropy.focusMassMeanField(m, n, 1.0);
        assertEquals(mf, mc.mean(), Z * mc.standardError() + 1e-3, mc.toString());
    }

    @Test
    void expectedMaxCosineMatchesMonteCarlo() {
        int d = 64;
        int n = 1000;
        LogitModel m = LogitModels.sphere(d, 1.0);
        Estimate mc = LogitSample.draw(m, n, 300, TestSeeds.SEED).maxLogit();
        assertEquals(ExpectedEntropy.expectedMaxCosine(d, n), mc.mean(), Z * mc.standardError());
    }

    @Test
    void badArgumentsAreRejected() {
        LogitModel m = LogitModels.sphere(8, 1.0);
        assertThrows(IllegalArgumentException.class, () -> ExpectedEntropy.monteCarlo(m, 0, 1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> ExpectedEntropy.monteCarlo(m, 10, Double.NaN, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> ExpectedEntropy.monteCarlo(m, 10, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ExpectedEntropy.meanField(m, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ExpectedEntropy.laplace(m, 10, -1));
        assertThrows(IllegalArgumentException.class, () -> new Estimate(Double.NaN, 0, 1));
    }
}
