package org.isentropic.figures.analysis;

import org.isentropic.base.Seeds;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.RunningMoments;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.solvers.InvarianceSolver;

/**
 * Figure 4's data: the largest cosine between a random query and n random keys, uniform on the sphere
 * of R^d, by Monte Carlo (the theory's sphere model at scale 1, whose logits are the cosines), against
 * InfoScale's characteristic cosine {@code c_n = sqrt(1 - n^(-2/d))} (docs/method.md, section 2: the cap around q
 * that holds about one of n keys) and the exact expectation (theory: Beta-law quadrature).
 *
 * @param d            dimension
 * @param lengths      n values
 * @param mean         Monte Carlo mean of the largest cosine per n
 * @param standardError its standard error
 * @param capCosine    {@code sqrt(1 - n^(-2/d))} (theory: {@link InvarianceSolver#capCosineClosedForm})
 * @param capCosineExact the cap cosine with the exact Beta law, {@code n P(cos >= c) = 1}
 * @param exactMean    the exact expected largest cosine
 * @param trials       Monte Carlo trials per n
 */
public record MaxCosine(int d, int[] lengths, double[] mean, double[] standardError, double[] capCosine,
        double[] capCosineExact, double[] exactMean, int trials) {

    /**
     * @param trials >= 2 independent (query, keys) draws per length
     * @param seed   seed of the draws (one stream per length, from {@link Seeds#derive(long, long)})
     */
    public static MaxCosine compute(int d, int[] lengths, int trials, long seed) {
        if (trials < 2) {
            throw new IllegalArgumentException("trials must be >= 2, got " + trials);
        }
        LogitModel sphere = LogitModels.sphere(d, 1.0);
        int k = lengths.length;
        double[] mean = new double[k];
        double[] se = new double[k];
        double[] cap = new double[k];
        double[] exact = new double[k];
        double[] capExact = new double[k];
        for (int i = 0; i < k; i++) {
            int n = lengths[i];
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.derive(seed, n));
            double[] cos = new double[n];
            // raw sums (shift 0), as the committed figure was computed
            RunningMoments largest = RunningMoments.create();
            for (int t = 0; t < trials; t++) {
                sphere.sampleLogits(rng, n, cos);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, cos[j]);
                }
                largest.add(max);
            }
            Estimate e = largest.estimate();
            mean[i] = e.mean();
            se[i] = e.standardError();
            cap[i] = InvarianceSolver.capCosineClosedForm(d, n);
            capExact[i] = capExactOrNaN(d, n);
            exact[i] = ExpectedEntropy.expectedMaxCosine(d, n);
        }
        return new MaxCosine(d, lengths.clone(), mean, se, cap, capExact, exact, trials);
    }

    /** The theory's exact-Beta cap cosine, NaN where its root finder has no bracket (e.g. d = 2, n = 2). */
    private static double capExactOrNaN(int d, int n) {
        try {
            return InvarianceSolver.capCosineExact(d, n);
        } catch (RuntimeException noBracket) {
            return Double.NaN;
        }
    }

}
