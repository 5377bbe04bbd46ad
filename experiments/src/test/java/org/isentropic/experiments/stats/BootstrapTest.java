package org.isentropic.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.junit.jupiter.api.Test;

/** The cluster bootstrap against cases whose answer is known in closed form. */
class BootstrapTest {

    static final long SEED = Seeds.seed();

    static double mean(int[] w, double[] x) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
            n += w[i];
        }
        return s / n;
    }

    @Test
    void twoClustersGiveTheirValuesAsThePercentileInterval() {
        // Drawing 2 of {a, b}: the mean is a with probability 1/4, (a+b)/2 with 1/2, b with 1/4, so the 2.5 %
        // and 97.5 % quantiles are a and b exactly (up to the chance that a resample set lacks one: 2^-2000).
        double[] x = {0.2, 0.6};
        Bootstrap.Interval i = Bootstrap.percentile(2, w -> mean(w, x), Bootstrap.RESAMPLES, SEED);
        assertEquals(0.4, i.estimate(), 1e-15);
        assertEquals(0.2, i.lo(), 1e-15);
        assertEquals(0.6, i.hi(), 1e-15);
    }

    @Test
    void theVarianceOfTheResampledMeanIsThePlugInVarianceOverS() {
        // Exact: Var*(mean) = (1/S) * (1/S) sum (x_i - xbar)^2. With B resamples the sample variance has a
        // relative standard error of about sqrt(2 / (B - 1)) (near-normal means): 4 such errors as tolerance.
        SplittableRandom r = new SplittableRandom(SEED);
        int s = 30;
        double[] x = new double[s];
        for (int i = 0; i < s; i++) {
            x[i] = r.nextDouble() * (i % 3 == 0 ? 3 : 1);
        }
        double xbar = Arrays.stream(x).average().getAsDouble();
        double plugIn = Arrays.stream(x).map(v -> (v - xbar) * (v - xbar)).sum() / s / s;
        int b = 20000;
        double[] d = Bootstrap.draws(s, w -> mean(w, x), b, SEED);
        double m = Arrays.stream(d).average().getAsDouble();
        double var = Arrays.stream(d).map(v -> (v - m) * (v - m)).sum() / (b - 1);
        assertEquals(plugIn, var, 4 * Math.sqrt(2.0 / (b - 1)) * plugIn);
        assertEquals(xbar, m, 4 * Math.sqrt(plugIn / b), "the resampled means centre on the sample mean");
    }

    @Test
    void aPairedDifferenceOfShiftedCellsHasNoWidthWhileUnpairedWouldBeWide() {
        // b_s = a_s - 0.1 on every stream: the paired difference is 0.1 on every resample.
        double[] n = {8, 8, 8, 8, 8, 8};
        double[] a = {1, 7, 3, 8, 2, 5};
        double[] b = Arrays.stream(a).map(v -> v - 0.8).toArray();
        Bootstrap.Interval paired = Bootstrap.percentile(6, w -> Bootstrap.ratio(w, a, n) - Bootstrap.ratio(w, b, n),
                Bootstrap.RESAMPLES, SEED);
        assertEquals(0.1, paired.lo(), 1e-12);
        assertEquals(0.1, paired.hi(), 1e-12);
        assertTrue(paired.excludesZero());
        Bootstrap.Interval single = Bootstrap.percentile(6, w -> Bootstrap.ratio(w, a, n), Bootstrap.RESAMPLES, SEED);
        assertTrue(single.hi() - single.lo() > 0.3, "one cell alone varies a lot between streams: " + single);
    }

    @Test
    void theSameSeedDrawsTheSameResamples() {
        double[] x = {1, 2, 3, 4, 5};
        assertArrayEquals(Bootstrap.draws(5, w -> mean(w, x), 100, 7), Bootstrap.draws(5, w -> mean(w, x), 100, 7));
        assertTrue(!Arrays.equals(Bootstrap.draws(5, w -> mean(w, x), 100, 7), Bootstrap.draws(5, w -> mean(w, x), 100,
                8)));
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] s = {0, 10, 20, 30};
        assertEquals(0, Bootstrap.quantileSorted(s, 0), 0);
        assertEquals(15, Bootstrap.quantileSorted(s, 0.5), 1e-12);
        assertEquals(30, Bootstrap.quantileSorted(s, 1), 0);
        assertEquals(0.75, Bootstrap.quantileSorted(s, 0.025), 1e-12);
    }
}
