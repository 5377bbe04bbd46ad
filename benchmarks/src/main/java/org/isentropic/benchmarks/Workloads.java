package org.isentropic.benchmarks;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.isentropic.kernels.Mask;

/**
 * The benchmark vocabulary shared by the JMH benchmarks and the report: mask names, the work one call
 * does (flops, bytes), seeded inputs, and the InfoScale factor used by the "infoscale" variant.
 *
 * <p>FLOP count of one attention call: every visible (query, key) pair costs a d-long dot product
 * (2d flops) and a dv-long weighted accumulation (2dv flops), so {@code 2 (d + dv) P} flops with P the
 * number of visible pairs; with dv = d and all n^2 pairs visible that is the usual {@code 4 n^2 d}.
 * Causal and window masks are counted with their visible pairs only (P = n(n+1)/2 for causal), so a
 * kernel that skips masked tiles is not credited for work it does not need to do. Softmax, exp and
 * entropy are not counted (they are O(P), not O(P d)).
 */
public final class Workloads {

    /** Seed of the benchmark inputs unless the system property {@code isentropic.seed} says otherwise. */
    public static final long DEFAULT_SEED = 20250115L;

    /**
     * InfoScale's training length N for the "infoscale" variant: the paper's GAU-alpha models are trained
     * at N = 64 (paper digest, section 2).
     */
    public static final int INFOSCALE_TRAIN_LENGTH = 64;

    /** CosScale's s for the "cosine" variant: the paper's checkpoints use s = 128 with d = 128. */
    public static final double COS_SCALE = 128.0;

    private Workloads() {
    }

    /** The seed the benchmarks use: system property {@code isentropic.seed}, else {@link #DEFAULT_SEED}. */
    public static long seed() {
        return Long.getLong("isentropic.seed", DEFAULT_SEED);
    }

    /**
     * The mask named by a benchmark parameter: {@code bidirectional}, {@code causal} or {@code windowW}
     * (W >= 1: keys with |i - j| <= W, the kernels' {@link Mask#window(int)}).
     */
    public static Mask mask(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        if (s.equals("bidirectional") || s.equals("full")) {
            return Mask.full();
        }
        if (s.equals("causal")) {
            return Mask.causal();
        }
        if (s.startsWith("window")) {
            try {
                return Mask.window(Integer.parseInt(s.substring("window".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mask: expected windowW with an integer W, got " + id);
            }
        }
        throw new IllegalArgumentException("mask must be bidirectional, causal or windowW, got " + id);
    }

    /** The number of visible (query, key) pairs of a mask over n tokens. */
    public static long visiblePairs(Mask mask, int n) {
        long p = 0;
        for (int i = 0; i < n; i++) {
            p += mask.visibleCount(i, n);
        }
        return p;
    }

    /** Flops of one attention call: {@code 2 (d + dv) * visiblePairs(mask, n)} (see the class comment). */
    public static double attentionFlops(Mask mask, int n, int d, int dv) {
        return 2.0 * (d + dv) * visiblePairs(mask, n);
    }

    /** Bytes of K and V one decode step over a cache of n keys reads: {@code 4 n (d + dv)}. */
    public static double decodeBytes(int n, int d, int dv) {
        return 4.0 * n * (d + dv);
    }

    /**
     * InfoScale's factor as a rule of the row's n, {@code lambda(n) = sqrt((1 - n^(-2/d)) / (1 - N^(-2/d)))}
     * (paper digest, section 2; N = {@link #INFOSCALE_TRAIN_LENGTH}). Computed here rather than taken
     * from the theory module because the benchmarks measure the kernels' cost of applying a rule and do not
     * depend on theory; the verification module checks that theory's rule has these values.
     *
     * @param d the head dimension, >= 1
     */
    public static IntToDoubleFunction infoScale(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        double denominator = 1 - Math.pow(INFOSCALE_TRAIN_LENGTH, -2.0 / d);
        return n -> Math.sqrt((1 - Math.pow(n, -2.0 / d)) / denominator);
    }

    /** n x width floats drawn from N(0, 1), reproducible from the seed and a stream label. */
    public static float[] gaussian(long seed, int stream, int n, int width) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + stream);
        float[] a = new float[Math.multiplyExact(n, width)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }
}
