package org.isentropic.kernels;

import java.util.SplittableRandom;
import org.isentropic.base.Seeds;

/** Seeded random tensors for the kernel tests (seed from the isentropic.seed system property). */
public final class RandomTensors {

    public static final long SEED = Seeds.seed();

    private RandomTensors() {
    }

    public static SplittableRandom rng(long salt) {
        return new SplittableRandom(SEED * 31 + salt);
    }

    /** n*d standard normal values (Box-Muller). */
    public static float[] normal(SplittableRandom r, int count, double sigma) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            x[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return x;
    }

    /** Row i = vector a for every row (n rows of length d). */
    public static float[] repeat(float[] a, int n) {
        int d = a.length;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, 0, x, i * d, d);
        }
        return x;
    }
}
