package org.isentropic.experiments.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The cluster (block) bootstrap of the experiment (docs/method.md, the experiment). Predictions from one test stream are
 * correlated, so the unit of resampling is the stream: a resample draws S streams with replacement and the
 * statistic sees how often each stream was drawn ({@code weights[s]}, summing to S). Percentile intervals;
 * seeded ({@link SplittableRandom}); the same seed draws the same resamples, so two statistics computed
 * with the same seed and cluster count are paired resample by resample.
 */
public final class Bootstrap {

    /** The number of resamples the experiment uses (the protocol in experiments/README.md). */
    public static final int RESAMPLES = 2000;

    /** A point estimate with a percentile interval. */
    public record Interval(double estimate, double lo, double hi) {

        /** True when the interval lies strictly above 0 or strictly below it. */
        public boolean excludesZero() {
            return lo > 0 || hi < 0;
        }
    }

    private Bootstrap() {
    }

    /**
     * Percentile interval (2.5 %, 97.5 %) of {@code statistic} over {@code resamples} cluster resamples.
     *
     * @param clusters S >= 1
     * @param statistic maps the draw counts of the S clusters to the statistic (must not keep the array)
     */
    public static Interval percentile(int clusters, ToDoubleFunction<int[]> statistic, int resamples, long seed) {
        if (clusters < 1 || resamples < 1) {
            throw new IllegalArgumentException("clusters >= 1 and resamples >= 1 required, got " + clusters + ", "
                    + resamples);
        }
        int[] w = new int[clusters];
        Arrays.fill(w, 1);
        double estimate = statistic.applyAsDouble(w);
        double[] stats = draws(clusters, statistic, resamples, seed);
        Arrays.sort(stats);
        return new Interval(estimate, quantileSorted(stats, 0.025), quantileSorted(stats, 0.975));
    }

    /** The statistic on each of {@code resamples} cluster resamples, in draw order. */
    public static double[] draws(int clusters, ToDoubleFunction<int[]> statistic, int resamples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] w = new int[clusters];
        double[] out = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(w, 0);
            for (int i = 0; i < clusters; i++) {
                w[rng.nextInt(clusters)]++;
            }
            out[b] = statistic.applyAsDouble(w);
        }
        return out;
    }

    /** {@code sum_s w_s num_s / sum_s w_s den_s}: accuracy or mean loss pooled over the drawn streams. */
    public static double ratio(int[] w, double[] num, double[] den) {
        double a = 0;
        double b = 0;
        for (int s = 0; s < w.length; s++) {
            a += w[s] * num[s];
            b += w[s] * den[s];
        }
        return a / b;
    }

    /**
     * The p-quantile of sorted values, linear interpolation between order statistics (Hyndman and Fan's
     * type 7, R's default).
     */
    public static double quantileSorted(double[] sorted, double p) {
        if (sorted.length == 0 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("non-empty values and p in [0, 1] required");
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
