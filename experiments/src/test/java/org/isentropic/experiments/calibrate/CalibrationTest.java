package org.isentropic.experiments.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

/** The oracle factor: a root of the kernel's mean entropy, checked with an independent double-precision sum. */
class CalibrationTest {

    static final long SEED = Seeds.seed();
    /** Brent's accuracy on ln f gives the entropy to |dH/d ln f| * 1e-5 < 1e-4 nats; float32 adds ~1e-6. */
    static final double ENTROPY_TOLERANCE = 1e-4;

    static float[] gaussian(SplittableRandom r, int n, int d) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian());
        }
        return x;
    }

    /** Mean row entropy of s * f * cos(q_i, k_j) within windows of m rows, in double, without the kernels. */
    static double directEntropy(float[] q, float[] k, int rows, int d, int m, double sf) {
        double total = 0;
        int count = 0;
        for (int w = 0; (w + 1) * m <= rows; w++) {
            for (int i = w * m; i < (w + 1) * m; i++) {
                double[] z = new double[m];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    double qq = 0;
                    double kk = 0;
                    for (int c = 0; c < d; c++) {
                        double a = q[i * d + c];
                        double b = k[(w * m + j) * d + c];
                        dot += a * b;
                        qq += a * a;
                        kk += b * b;
                    }
                    z[j] = sf * dot / Math.sqrt(qq * kk);
                    max = Math.max(max, z[j]);
                }
                double sum = 0;
                double zp = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                for (double v : z) {
                    zp += Math.exp(v - max) / sum * v;
                }
                total += max + Math.log(sum) - zp;
                count++;
            }
        }
        return total / count;
    }

    @Test
    void theOracleFactorRestoresTheEntropyAtN() {
        SplittableRandom r = new SplittableRandom(SEED);
        int rows = 512;
        int d = 16;
        float[] q = gaussian(r, rows, d);
        float[] k = gaussian(r, rows, d);
        AttentionSpec spec = AttentionSpec.cosine(8);
        AttentionKernel kernel = AttentionKernels.fused(1);
        List<Calibration.Capture> atN = Calibration.windows(spec, q, k, rows, d, 64);
        double target = Calibration.meanEntropy(atN, 1, kernel);
        assertEquals(directEntropy(q, k, rows, d, 64, 8), target, ENTROPY_TOLERANCE);
        for (int n : new int[] {128, 512}) {
            List<Calibration.Capture> atn = Calibration.windows(spec, q, k, rows, d, n);
            double f = Calibration.oracle(atn, target, kernel);
            assertTrue(f > 1, "more keys need a sharper row: " + f);
            assertEquals(target, directEntropy(q, k, rows, d, n, 8 * f), ENTROPY_TOLERANCE, "n = " + n);
            assertTrue(directEntropy(q, k, rows, d, n, 8 * f * 1.01) < target - 10 * ENTROPY_TOLERANCE,
                    "a 1 % larger factor is measurably off: the root is a root, not a flat region");
        }
        assertEquals(1.0, Calibration.oracle(atN, target, kernel), 1e-4, "at N the factor is 1");
    }

    @Test
    void theBootstrapIntervalContainsTheFactorAndNarrowsWithMoreRows() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        int d = 16;
        AttentionSpec spec = AttentionSpec.cosine(8).withPositions(Positions.rope(10000));
        AttentionKernel kernel = AttentionKernels.fused(1);
        double[] widths = new double[2];
        int[] sizes = {256, 1024};
        for (int t = 0; t < 2; t++) {
            int rows = sizes[t];
            float[] q = gaussian(r, rows, d);
            float[] k = gaussian(r, rows, d);
            Calibration.Interval i = Calibration.oracleWithInterval(Calibration.windows(spec, q, k, rows, d, 64),
                    Calibration.windows(spec, q, k, rows, d, 256), kernel, 500, SEED, 25, 1.5);
            assertTrue(i.lo() < i.value() && i.value() < i.hi(), i.toString());
            widths[t] = i.hi() - i.lo();
        }
        // 4x the rows: about half the width; allow a wide margin for the randomness of two data sets
        assertTrue(widths[1] < 0.8 * widths[0], java.util.Arrays.toString(widths));
    }

    @Test
    void anUnreachableTargetIsRefused() {
        SplittableRandom r = new SplittableRandom(SEED);
        float[] q = gaussian(r, 64, 8);
        float[] k = gaussian(r, 64, 8);
        List<Calibration.Capture> c = Calibration.windows(AttentionSpec.dot(), q, k, 64, 8, 64);
        assertThrows(IllegalArgumentException.class, () -> Calibration.oracle(c, Math.log(64) + 0.5,
                AttentionKernels.fused(1)), "above ln n no factor reaches the entropy");
    }

    @Test
    void crossingInterpolatesANonIncreasingCurve() {
        double[] x = {0, 1, 2};
        double[] y = {3, 2, 0};
        assertEquals(0.5, Calibration.crossing(x, y, 2.5), 1e-12);
        assertEquals(1.5, Calibration.crossing(x, y, 1), 1e-12);
        assertEquals(0, Calibration.crossing(x, y, 4), 0);
        assertEquals(2, Calibration.crossing(x, y, -1), 0);
    }
}
