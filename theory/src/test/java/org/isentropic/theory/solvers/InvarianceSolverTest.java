package org.isentropic.theory.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import org.isentropic.base.Seeds;
import org.isentropic.theory.TestSeeds;
import org.isentropic.theory.models.CosineLaw;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.junit.jupiter.api.Test;

class InvarianceSolverTest {

    private static final int[] LENGTHS = {64, 128, 256, 512, 1024, 2048, 4096};
    /** How closely the approximate cap condition must reproduce InfoScale (docs/theory.md: the table of focused-cap-approx shows the same factors). */
    private static final double INFOSCALE_AGREEMENT = 1e-9;
    /** Brent to 1e-15 relative on well-conditioned equations, then a ratio. */
    private static final double SOLVER = 1e-10;
    /** Monte Carlo vs expectation: 5 standard errors. */
    private static final double Z = 5.0;

    @Test
    void approximateFocusedCapReproducesInfoScale() {
        DerivedFactors f = InvarianceSolver.solve(Condition.FOCUSED_CAP_APPROX, LogitModels.sphere(128, 1.0), 64,
                LENGTHS, 2, TestSeeds.SEED);
        TemperatureRule info = TemperatureRule.infoScale(64, 128);
        for (int i = 0; i < LENGTHS.length; i++) {
            assertEquals(info.factor(LENGTHS[i]), f.factor()[i], INFOSCALE_AGREEMENT, "n = " + LENGTHS[i]);
            assertEquals(0.0, f.standardError()[i]);
        }
        TestSeeds.qt().forAll(integers().between(2, 2048), integers().between(2, 5000), integers().between(0, 1 << 20))
                .checkAssert((d, trainLength, extra) -> {
                    int n = trainLength + extra;
                    double c = InvarianceSolver.capCosineApprox(d, n) / InvarianceSolver.capCosineApprox(d, trainLength);
                    assertEquals(TemperatureRule.infoScale(trainLength, d).factor(n), c, INFOSCALE_AGREEMENT,
                            "d=" + d + " N=" + trainLength + " n=" + n);
                });
    }

    /** Teeth: a cap equation with a slightly wrong exponent ((d-1)/2) misses InfoScale far beyond 1e-9. */
    @Test
    void infoScaleCheckRejectsAWrongCapExponent() {
        int d = 128;
        double wrongN = Math.sqrt(1 - Math.pow(4096, -2.0 / (d - 1)));
        double wrongBase = Math.sqrt(1 - Math.pow(64, -2.0 / (d - 1)));
        double miss = Math.abs(wrongN / wrongBase - TemperatureRule.infoScale(64, d).factor(4096));
        assertTrue(miss > 1e3 * INFOSCALE_AGREEMENT, "miss = " + miss);
    }

    @Test
    void exactFocusedCapSolvesTheBetaLawEquation() {
        // d = 3: the cosine is uniform on [-1, 1], P(cos >= c) = (1 - c)/2, so c_n = 1 - 2/n (independent check).
        for (int n : new int[] {2, 10, 4096}) {
            assertEquals(1 - 2.0 / n, InvarianceSolver.capCosineExact(3, n), 1e-13, "n = " + n);
        }
        for (int d : new int[] {16, 128, 768}) {
            CosineLaw law = new CosineLaw(d, 1.0);
            for (int n : LENGTHS) {
                double c = InvarianceSolver.capCosineExact(d, n);
                assertEquals(1.0, n * law.tail(c), 1e-9, "d=" + d + " n=" + n);
            }
        }
        DerivedFactors f = InvarianceSolver.solve(Condition.FOCUSED_CAP_EXACT, LogitModels.sphere(128, 1), 64,
                LENGTHS, 2, 1);
        // The exact cap grows faster than its approximation (the (d-3)/2 exponent and the Beta normalisation).
        assertTrue(f.factor()[6] > TemperatureRule.infoScale(64, 128).factor(4096) + 0.1);
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.capCosineExact(128, 1));
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.capCosineExact(1, 64));
    }

    @Test
    void laplaceSolverMatchesItsClosedForm() {
        // Laplace entropy ln n + (d/2) ln(1 - c^2) held fixed: 1 - c_n^2 = (N/n)^(2/d) (1 - c_N^2), and
        // kappa = d c / (1 - c^2) inverts c(kappa).
        int d = 128;
        int trainLength = 64;
        for (double kappaN : new double[] {8, 20, 31}) {
            DerivedFactors f = InvarianceSolver.solve(Condition.LAPLACE, LogitModels.sphere(d, 1.0), trainLength,
                    LENGTHS, Base.scale(kappaN), 2, 1);
            double cN = new CosineLaw(d, 1).laplacePeak(kappaN);
            for (int i = 0; i < LENGTHS.length; i++) {
                double oneMinus = Math.pow((double) trainLength / LENGTHS[i], 2.0 / d) * (1 - cN * cN);
                double cn = Math.sqrt(1 - oneMinus);
                double expected = (d * cn / oneMinus) / kappaN;
                assertEquals(expected, f.factor()[i], SOLVER * expected, "kappaN=" + kappaN + " n=" + LENGTHS[i]);
            }
        }
    }

    @Test
    void laplaceAtZeroEntropyGivesInfoScaleAsTheRatioOfPeakCosines() {
        // Laplace invariance at target entropy T: 1 - c_n^2 = (e^T / n)^(2/d). At T -> 0 the peak cosines are
        // InfoScale's cap cosines, so c(kappa_n)/c(kappa_N) = InfoScale while kappa_n/kappa_N = InfoScale (n/N)^(2/d).
        int d = 128;
        double t = 1e-12;
        DerivedFactors f = InvarianceSolver.solve(Condition.LAPLACE, LogitModels.sphere(d, 1.0), 64, LENGTHS,
                Base.entropy(t), 2, 1);
        CosineLaw law = new CosineLaw(d, 1.0);
        TemperatureRule info = TemperatureRule.infoScale(64, d);
        double cN = law.laplacePeak(f.baseLambda());
        for (int i = 0; i < LENGTHS.length; i++) {
            double ratio = law.laplacePeak(f.lambda()[i]) / cN;
            assertEquals(info.factor(LENGTHS[i]), ratio, 1e-9, "n = " + LENGTHS[i]);
            assertEquals(info.factor(LENGTHS[i]) * Math.pow(LENGTHS[i] / 64.0, 2.0 / d), f.factor()[i], 1e-9);
        }
    }

    @Test
    void gaussianMeanFieldSolverMatchesItsClosedForm() {
        // Gaussian logits N(0, sigma^2): H = ln n - lambda^2 sigma^2 / 2, so lambda_n^2 = lambda_N^2 + 2 ln(n/N)/sigma^2,
        // and with a base entropy T: factor = sqrt((ln n - T)/(ln N - T)); T -> 0 gives sqrt(ln n / ln N).
        LogitModel g = LogitModels.gaussian(64, 8, 8); // sigma = 1
        DerivedFactors f = InvarianceSolver.solve(Condition.MEAN_FIELD, g, 64, LENGTHS, Base.scale(2.0), 2, 1);
        DerivedFactors t = InvarianceSolver.solve(Condition.MEAN_FIELD, g, 64, LENGTHS, Base.entropy(1.5), 2, 1);
        for (int i = 0; i < LENGTHS.length; i++) {
            double expected = Math.sqrt(4 + 2 * Math.log(LENGTHS[i] / 64.0)) / 2;
            assertEquals(expected, f.factor()[i], SOLVER, "n = " + LENGTHS[i]);
            double e2 = Math.sqrt((Math.log(LENGTHS[i]) - 1.5) / (Math.log(64) - 1.5));
            assertEquals(e2, t.factor()[i], SOLVER, "n = " + LENGTHS[i]);
        }
    }

    @Test
    void plantedFocusMassMatchingGivesLogNWhenDistractorsAreFlat() {
        // Focus cosine 1, d large so ln M(lambda) ~ kappa^2/(2d) is negligible, base mass 1/2 (s = ln(N-1)):
        // the log-odds lambda s - ln(n-1) stay 0, so lambda_n = ln(n-1)/ln(N-1), i.e. log-n.
        int trainLength = 64;
        LogitModel m = LogitModels.plantedFocus(1 << 16, Math.log(trainLength - 1), 1, 1.0);
        DerivedFactors mf = InvarianceSolver.solve(Condition.PLANTED_FOCUS_MEAN_FIELD, m, trainLength, LENGTHS,
                Base.scale(1.0), 2, 1);
        DerivedFactors mc = InvarianceSolver.solve(Condition.PLANTED_FOCUS, m, trainLength, new int[] {64, 1024},
                Base.scale(1.0), 20, TestSeeds.SEED);
        for (int i = 0; i < LENGTHS.length; i++) {
            double logN = Math.log(LENGTHS[i] - 1) / Math.log(trainLength - 1);
            // next order: kappa^2 / (2 d ln(N-1)) relative
            assertEquals(logN, mf.factor()[i], 1e-3 * logN, "n = " + LENGTHS[i]);
        }
        assertEquals(mf.factor()[4], mc.factor()[1], Z * mc.standardError()[1] + 1e-3);
    }

    @Test
    void exactMonteCarloIsReproducibleAndItsStandardErrorIsCalibrated() {
        LogitModel m = LogitModels.sphere(32, 1.0);
        int[] lengths = {64, 256};
        DerivedFactors a = InvarianceSolver.solve(Condition.EXACT, m, 64, lengths, Base.scale(8.0), 200, TestSeeds.SEED);
        DerivedFactors b = InvarianceSolver.solve(Condition.EXACT, m, 64, lengths, Base.scale(8.0), 200, TestSeeds.SEED);
        assertArrayEquals(a.factor(), b.factor());
        assertEquals(1.0, a.factor()[0]);
        // replicate over seeds: the spread of the factor should match the reported standard error
        int reps = 12;
        double sum = 0;
        double sq = 0;
        double se = 0;
        for (int r = 0; r < reps; r++) {
            DerivedFactors f = InvarianceSolver.solve(Condition.EXACT, m, 64, lengths, Base.scale(8.0), 200,
                    TestSeeds.SEED + 1000 + r);
            double x = f.factor()[1];
            sum += x;
            sq += x * x;
            se += f.standardError()[1];
        }
        double mean = sum / reps;
        double sd = Math.sqrt((sq - reps * mean * mean) / (reps - 1));
        se /= reps;
        // with 12 replicates the sample sd is within a factor 2 of the truth with probability > 0.99
        assertTrue(sd > se / 2.2 && sd < se * 2.2, "replicate sd " + sd + " vs reported se " + se);
    }

    @Test
    void exactSolutionHoldsTheEntropyOnIndependentRows() {
        // Independent check: fresh rows (another seed) at lambda_n must show the target entropy within the
        // combined standard errors of the target and of the fresh estimate (the solver's own rows are excluded).
        LogitModel m = LogitModels.sphere(64, 1.0);
        int[] lengths = {64, 1024};
        DerivedFactors f = InvarianceSolver.solve(Condition.EXACT, m, 64, lengths, Base.scale(8.0), 400,
                TestSeeds.SEED);
        var target = org.isentropic.theory.entropy.ExpectedEntropy.monteCarlo(m, 64, 8.0, 400,
                Seeds.derive(TestSeeds.SEED, 64));
        assertEquals(target.mean(), f.targetEntropy(), 1e-12);
        var fresh = org.isentropic.theory.entropy.ExpectedEntropy.monteCarlo(m, 1024, f.lambda()[1], 400,
                TestSeeds.SEED + 77);
        assertEquals(f.targetEntropy(), fresh.mean(),
                Z * Math.hypot(target.standardError(), fresh.standardError()));
    }

    @Test
    void derivedFactorsBecomeARule() {
        DerivedFactors f = InvarianceSolver.solve(Condition.FOCUSED_CAP_APPROX, LogitModels.sphere(128, 1), 64,
                new int[] {4096, 64, 512}, 2, 1);
        TemperatureRule r = f.asRule();
        assertEquals("derived", r.id());
        assertEquals(f.factor()[0], r.factor(4096), 1e-15);
        assertEquals(1.0, r.factor(64), 1e-15);
    }

    @Test
    void badInputIsRejected() {
        LogitModel m = LogitModels.sphere(16, 1);
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.EXACT, m, 1, LENGTHS, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.EXACT, m, 64, new int[] {0}, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.EXACT, m, 64, LENGTHS, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.PLANTED_FOCUS, m, 64, LENGTHS, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> Base.scale(0));
        assertThrows(IllegalArgumentException.class, () -> Base.entropy(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Base(1, 1));
        // a base entropy above ln N cannot be held
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InvarianceSolver.solve(Condition.MEAN_FIELD, m, 64, LENGTHS, Base.entropy(5.0), 2, 1));
        assertTrue(e.getMessage().contains("target"), e.getMessage());
        // mean field at a scale where it does not apply (entropy form below 0 at N)
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.MEAN_FIELD,
                LogitModels.sphere(128, 1), 64, LENGTHS, Base.scale(128), 2, 1));
        assertEquals(Condition.FOCUSED_CAP_EXACT, Condition.parse("focused-cap-exact"));
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> InvarianceSolver.solve(Condition.FOCUSED_CAP_APPROX,
                LogitModels.anisotropic(2, new double[] {1, 2}), 64, LENGTHS, 2, 1));
    }
}
