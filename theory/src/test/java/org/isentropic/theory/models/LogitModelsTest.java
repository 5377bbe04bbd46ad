package org.isentropic.theory.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.base.LogitKind;
import org.isentropic.theory.TestSeeds;
import org.junit.jupiter.api.Test;

class LogitModelsTest {

    /** Agreement of a Monte-Carlo mean with its expectation: 5 standard errors (p ~ 6e-7 per check). */
    private static final double Z = 5.0;
    /** Composite Gauss-Legendre (20 x 64 nodes) on smooth integrands. */
    private static final double QUADRATURE = 1e-11;

    private final UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(TestSeeds.SEED);

    @Test
    void cosineLawInThreeDimensionsIsUniform() {
        // d = 3: t uniform on [-1, 1] (Archimedes), M(kappa) = sinh(kappa)/kappa, M'/M = coth(kappa) - 1/kappa.
        CosineLaw law = new CosineLaw(3, 1.0);
        for (double kappa : new double[] {1e-3, 0.5, 3, 40, 700}) {
            double logM = kappa + Math.log1p(-Math.exp(-2 * kappa)) - Math.log(2 * kappa);
            assertEquals(logM, law.logMgf(kappa), QUADRATURE * Math.max(1, kappa), "kappa " + kappa);
            assertEquals(1 / Math.tanh(kappa) - 1 / kappa, law.tiltedMean(kappa), 1e-9, "kappa " + kappa);
        }
        assertEquals(0.0, law.logMgf(0), QUADRATURE);
        assertEquals(0.25, law.tail(0.5), 1e-14);
        // max of n uniforms on [-1, 1]: 1 - 2/(n+1)
        assertEquals(1 - 2.0 / 65, law.expectedMax(64), 1e-10);
    }

    @Test
    void cosineLawMomentsMatchTheBetaLaw() {
        // E[t^2] = 1/d: the second derivative of ln M at 0 (first moment 0) by central differences.
        for (int d : new int[] {2, 8, 128, 1024}) {
            CosineLaw law = new CosineLaw(d, 1.0);
            double h = 1e-3;
            double second = (law.logMgf(h) - 2 * law.logMgf(0) + law.logMgf(-h)) / (h * h);
            assertEquals(1.0 / d, second, 1e-5, "d = " + d);
            assertEquals(0.0, law.tiltedMean(0), 1e-14);
        }
    }

    @Test
    void sphereLogitsFromTheBetaLawMatchLogitsFromVectors() {
        int d = 16;
        int n = 64;
        LogitModel m = LogitModels.sphere(d, 2.0);
        double[] z = new double[n];
        double[] q = new double[d];
        double[] keys = new double[n * d];
        int rows = 400;
        double sumBeta = 0;
        double sumSqBeta = 0;
        double sumVec = 0;
        double sumSqVec = 0;
        for (int r = 0; r < rows; r++) {
            m.sampleLogits(rng, n, z);
            for (double v : z) {
                sumBeta += v;
                sumSqBeta += v * v;
            }
            m.sampleVectors(rng, n, q, keys);
            m.logitsOf(q, keys, n, z);
            for (double v : z) {
                sumVec += v;
                sumSqVec += v * v;
            }
        }
        double count = rows * n;
        double var = 4.0 / d; // scale^2 E[t^2]
        double seMean = Math.sqrt(var / count);
        assertEquals(0.0, sumBeta / count, Z * seMean);
        assertEquals(0.0, sumVec / count, Z * seMean);
        // Var(t^2) = E t^4 - (E t^2)^2 = 3/(d(d+2)) - 1/d^2 for the cosine law
        double seSecond = 4.0 * Math.sqrt((3.0 / (d * (d + 2.0)) - 1.0 / (d * d)) / count);
        assertEquals(var, sumSqBeta / count, Z * seSecond);
        assertEquals(var, sumSqVec / count, Z * seSecond);
    }

    @Test
    void plantedKeysHaveTheirCosine() {
        LogitModel m = LogitModels.plantedFocus(32, 10.0, 3, 0.8);
        assertEquals("planted", m.id());
        double[] q = new double[32];
        double[] keys = new double[10 * 32];
        double[] z = new double[10];
        m.sampleVectors(rng, 10, q, keys);
        m.logitsOf(q, keys, 10, z);
        for (int j = 0; j < 3; j++) {
            assertEquals(8.0, z[j], 1e-12);
        }
        m.sampleLogits(rng, 10, z);
        assertEquals(8.0, z[0]);
        assertEquals(3, m.focusLogits().length);
        assertEquals(8.0, m.focusLogits()[2]);
    }

    @Test
    void gaussianLogitsHaveTheirVarianceAndMatchVectors() {
        int d = 32;
        LogitModel m = LogitModels.gaussian(d, Math.sqrt(d), Math.sqrt(d));
        assertEquals(LogitKind.DOT, m.kind());
        // z = q.k/sqrt(d) with q, k ~ N(0, I): E z^2 = 1.
        assertEquals(1.0, ((GaussianLaw) m.distractorLaw()).sigma(), 1e-15);
        checkSecondMoment(m, 1.0);
    }

    @Test
    void anisotropicKeysFollowTheirCovarianceThroughCholesky() {
        int d = 3;
        double[] sigma = {4, 1, 0, 1, 2, 0.5, 0, 0.5, 1};
        LogitModel m = LogitModels.anisotropic(d, sigma);
        // E z^2 = E[q^T Sigma q]/d = tr(Sigma)/d
        assertEquals(Math.sqrt(7.0 / 3), ((GaussianLaw) m.distractorLaw()).sigma(), 1e-12);
        checkSecondMoment(m, 7.0 / 3);
        double[] q = new double[d];
        int n = 20000;
        double[] keys = new double[n * d];
        m.sampleVectors(rng, n, q, keys);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += keys[j * d + a] * keys[j * d + b];
                }
                double se = Math.sqrt((sigma[a * d + a] * sigma[b * d + b] + sigma[a * d + b] * sigma[a * d + b]) / n);
                assertEquals(sigma[a * d + b], s / n, Z * se, "cov[" + a + "," + b + "]");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LogitModels.anisotropic(2, new double[] {1, 2, 2, 1}));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.anisotropic(2, new double[] {1, 2, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.anisotropic(2, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.anisotropic(2, new double[] {1, -1}));
    }

    private void checkSecondMoment(LogitModel m, double expected) {
        int n = 16;
        int rows = 4000;
        double[] z = new double[n];
        double[] q = new double[m.dim()];
        double[] keys = new double[n * m.dim()];
        double sLogits = 0;
        double sVectors = 0;
        double s4 = 0;
        for (int r = 0; r < rows; r++) {
            m.sampleLogits(rng, n, z);
            double row = 0;
            for (double v : z) {
                row += v * v;
            }
            sLogits += row / n;
            s4 += (row / n) * (row / n);
            m.sampleVectors(rng, n, q, keys);
            m.logitsOf(q, keys, n, z);
            row = 0;
            for (double v : z) {
                row += v * v;
            }
            sVectors += row / n;
        }
        double mean = sLogits / rows;
        // rows are independent, keys within a row are not (shared q): use the row means' spread.
        double se = Math.sqrt((s4 / rows - mean * mean) / rows);
        assertEquals(expected, mean, Z * se);
        assertEquals(expected, sVectors / rows, Z * se * 1.5);
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LogitModels.sphere(1, 1));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.sphere(8, 0));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.sphere(8, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.gaussian(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.gaussian(8, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.plantedFocus(8, 1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LogitModels.plantedFocus(8, 1, 1, 1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogitModels.sphere(8, 1).sampleLogits(rng, 0, new double[1]));
        assertTrue(e.getMessage().contains("n"));
        assertThrows(IllegalArgumentException.class,
                () -> LogitModels.plantedFocus(8, 1, 3, 0.5).sampleLogits(rng, 2, new double[3]));
    }
}
