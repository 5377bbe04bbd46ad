package org.isentropic.benchmarks;

import java.util.Locale;
import java.util.SplittableRandom;
import org.isentropic.kernels.spec.Mask;

/**
 * The benchmark vocabulary shared by the JMH benchmarks and the report: mask names, the work one call
 * does (flops, bytes), seeded inputs, and the constants of the "infoscale" and "cosine" variants (the
 * InfoScale rule itself is theory's {@code TemperatureRule.infoScale}).
 *
 * <p>FLOP count of one attention call: every visible (query, key) pair costs a d-long dot product
 * (2d flops) and a dv-long weighted accumulation (2dv flops), so {@code 2 (d + dv) P} flops with P the
 * number of visible pairs; with dv = d and all n^2 pairs visible that is the usual {@code 4 n^2 d}.
 * Causal and window masks are counted with their visible pairs only (P = n(n+1)/2 for causal), so a
 * kernel that skips masked tiles is not credited for work it does not need to do. Softmax, exp and
 * entropy are not counted (they are O(P), not O(P d)).
 */
public final class Workloads {

    /**
     * InfoScale's training length N for the "infoscale" variant: the paper's GAU-alpha models are trained
     * at N = 64 (docs/method.md).
     */
    public static final int INFOSCALE_TRAIN_LENGTH = 64;

    /** CosScale's s for the "cosine" variant: the paper's checkpoints use s = 128 with d = 128. */
    public static final double COS_SCALE = 128.0;

    private Workloads() {
    }

    /**
     * The mask named by a benchmark parameter, through the kernels' registry ({@link Mask#parse}), the
     * vocabulary of {@code attend}: {@code full} (every key), {@code causal} or {@code windowH} (the window
     * mask with half-width H >= 1: keys with |i - j| <= H). Every mask of the benchmarks is built here.
     */
    public static Mask mask(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith("window")) {
            return Mask.parse(s, option -> null);
        }
        String halfWidth = s.substring("window".length());
        try {
            int h = Integer.parseInt(halfWidth);
            return Mask.parse("window", option -> option.equals("half-width") ? h : null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mask: expected windowH with an integer half-width H, got " + id);
        }
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

    /** n x width floats drawn from N(0, 1), reproducible from the seed and a stream label (n, width >= 1). */
    public static float[] gaussian(long seed, int stream, int n, int width) {
        if (n < 1 || width < 1) {
            throw new IllegalArgumentException("n and width must be >= 1, got n=" + n + ", width=" + width);
        }
        SplittableRandom rng = new SplittableRandom(seed * 31 + stream);
        float[] a = new float[Math.multiplyExact(n, width)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }
}
