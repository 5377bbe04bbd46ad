package org.isentropic.theory.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.isentropic.theory.TestSeeds;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    /** Unit roundoff of double. */
    private static final double U = 0x1p-53;

    /**
     * Relative error allowed between the one-pass and the two-pass standard error of k samples of standard
     * deviation 1 around {@code offset}: the summed mean is off by at most k u |offset| (the sum's rounding
     * bound over k), which moves the shifted variance by 2 |mean - shift| times that, |mean - shift| <= 4
     * in these draws; 1e-12 for the rest of the rounding.
     */
    private static double relativeTolerance(int k, double offset) {
        return 1e-12 + 8 * k * U * Math.abs(offset);
    }

    /** The two-pass sample mean and standard error (the textbook reference). */
    private static double[] twoPass(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (x.length - 1) / x.length)};
    }

    @Test
    void matchesTheTwoPassEstimateEvenFarFromZero() {
        SplittableRandom r = new SplittableRandom(TestSeeds.SEED);
        for (double offset : new double[] {0, 1e3, 1e8}) {
            double[] x = new double[1000];
            RunningMoments m = RunningMoments.create();
            for (int i = 0; i < x.length; i++) {
                x[i] = offset + r.nextGaussian();
                m.add(x[i]);
            }
            double[] ref = twoPass(x);
            Estimate e = m.estimate();
            assertEquals(ref[0], e.mean(), 1e-12 * Math.max(1, offset));
            assertEquals(ref[1], e.standardError(), relativeTolerance(x.length, offset) * ref[1], "offset " + offset);
            assertEquals(1000, e.samples());
        }
    }

    @Test
    void theRawSumOfSquaresLosesWhatTheShiftKeeps() {
        // teeth: without a shift near the mean, 1e8 + N(0, 1) loses most digits of the variance
        SplittableRandom r = new SplittableRandom(TestSeeds.SEED);
        RunningMoments raw = RunningMoments.around(0.0);
        RunningMoments shifted = RunningMoments.create();
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e8 + r.nextGaussian();
            raw.add(x[i]);
            shifted.add(x[i]);
        }
        double ref = twoPass(x)[1];
        assertTrue(Math.abs(raw.estimate().standardError() - ref) > 1e-3 * ref);
        assertEquals(ref, shifted.estimate().standardError(), relativeTolerance(x.length, 1e8) * ref);
    }

    @Test
    void mergingTwoRunsIsAddingEverySample() {
        SplittableRandom r = new SplittableRandom(TestSeeds.SEED + 1);
        RunningMoments all = RunningMoments.create();
        RunningMoments a = RunningMoments.create();
        RunningMoments b = RunningMoments.around(50.0);
        for (int i = 0; i < 500; i++) {
            double x = 3 + 2 * r.nextGaussian();
            all.add(x);
            (i % 3 == 0 ? a : b).add(x);
        }
        Estimate merged = a.merge(b).estimate();
        assertEquals(all.estimate().mean(), merged.mean(), 1e-12);
        assertEquals(all.estimate().standardError(), merged.standardError(), 1e-12);
        assertEquals(500, merged.samples());
        assertEquals(merged.mean(), RunningMoments.create().merge(a).estimate().mean(), 0.0);
    }

    @Test
    void oneSampleHasNoSpreadAndNoSampleIsAnError() {
        assertEquals(0.0, RunningMoments.create().add(4.5).estimate().standardError());
        assertEquals(4.5, RunningMoments.create().add(4.5).mean());
        assertThrows(IllegalStateException.class, () -> RunningMoments.create().estimate());
        assertThrows(IllegalArgumentException.class, () -> RunningMoments.around(Double.NaN));
    }

    @Test
    void theMeanIsTheSummedMeanBitForBit() {
        SplittableRandom r = new SplittableRandom(TestSeeds.SEED + 2);
        double sum = 0;
        RunningMoments m = RunningMoments.around(0.25);
        for (int i = 0; i < 777; i++) {
            double x = r.nextDouble();
            sum += x;
            m.add(x);
        }
        assertEquals(sum / 777, m.estimate().mean(), 0.0);
    }
}
