package org.isentropic.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;

/**
 * Inputs for the per-operation tests: random values of one {@link Kind} (ordinary, large, subnormal, products
 * that underflow, a mixture of all with signed zeros), arrays whose cells outside an operation's region hold a
 * NaN sentinel (an operation that reads them spreads NaN into its results; one that writes them changes the
 * sentinel's bits), and failure messages that say how to rerun.
 */
public final class OpInputs {

    /** A quiet NaN with a payload no arithmetic produces: cells an operation must neither read nor write. */
    public static final float SENTINEL = Float.intBitsToFloat(0x7fc5a5a5);

    /** What the values of a random input look like. */
    public enum Kind {
        /** N(0, 1). */
        NORMAL,
        /** N(0, 1) x 1e17: products near 1e34, sums of a few hundred far from overflow. */
        LARGE,
        /** N(0, 1) x 1e-39: subnormal floats. */
        SUBNORMAL,
        /** N(0, 1) x 1e-22: normal floats whose products (about 1e-44) are subnormal. */
        TINY,
        /** Each value drawn from one of the above, or +-0. */
        MIXED
    }

    private OpInputs() {
    }

    public static SplittableRandom rng(String check) {
        return new SplittableRandom(Seeds.derive(check));
    }

    public static float value(SplittableRandom r, Kind kind) {
        double g = gaussian(r);
        switch (kind) {
            case NORMAL: return (float) g;
            case LARGE: return (float) (g * 1e17);
            case SUBNORMAL: return (float) (g * 1e-39);
            case TINY: return (float) (g * 1e-22);
            default:
                switch (r.nextInt(6)) {
                    case 0: return r.nextBoolean() ? 0f : -0f;
                    case 1: return value(r, Kind.LARGE);
                    case 2: return value(r, Kind.SUBNORMAL);
                    case 3: return value(r, Kind.TINY);
                    default: return (float) g;
                }
        }
    }

    public static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An array of {@code length} sentinels. */
    public static float[] sentinels(int length) {
        float[] a = new float[length];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    public static void fill(float[] a, int from, int count, SplittableRandom r, Kind kind) {
        for (int i = from; i < from + count; i++) {
            a[i] = value(r, kind);
        }
    }

    /** Weights of a softmax: uniform in [0, 1], with exact zeros, ones and subnormals among them. */
    public static float weight(SplittableRandom r) {
        switch (r.nextInt(10)) {
            case 0: return 0f;
            case 1: return 1f;
            case 2: return (float) (r.nextDouble() * 1e-39);
            default: return (float) r.nextDouble();
        }
    }

    /** Fails unless the cells of {@code after} that {@code written} does not mark keep their bits from {@code before}. */
    public static void untouched(String what, float[] before, float[] after, boolean[] written) {
        for (int i = 0; i < before.length; i++) {
            if (!written[i] && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw failure(what + ": cell " + i + " lies outside the operation's region but changed from "
                        + before[i] + " to " + after[i]);
            }
        }
    }

    /** Fails unless the array is bit for bit what it was (an input the operation only reads). */
    public static void unchanged(String what, float[] before, float[] after) {
        untouched(what + " (read-only)", before, after, new boolean[before.length]);
    }

    /** Fails when |actual - expected| exceeds the bound (NaN fails). */
    public static void within(String what, double actual, double expected, double bound) {
        double error = Math.abs(actual - expected);
        if (!(error <= bound)) {
            throw failure(String.format(java.util.Locale.ROOT, "%s: got %s, the scalar twin %s, error %.3e above"
                    + " the bound %.3e", what, actual, expected, error, bound));
        }
    }

    /** Fails unless the two floats have the same bits. */
    public static void sameBits(String what, float actual, float expected) {
        if (Float.floatToRawIntBits(actual) != Float.floatToRawIntBits(expected)) {
            throw failure(what + ": got " + actual + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual))
                    + "), the scalar twin of the same order " + expected + " (0x"
                    + Integer.toHexString(Float.floatToRawIntBits(expected)) + ")");
        }
    }

    /** An AssertionError whose message ends with how to rerun with this seed. */
    public static AssertionError failure(String message) {
        return new AssertionError(message + " [" + Seeds.rerunHint(Seeds.seed()) + "]");
    }
}
