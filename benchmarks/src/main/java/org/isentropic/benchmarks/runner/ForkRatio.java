package org.isentropic.benchmarks.runner;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How much longer one case takes than another, from the mean time of each fork: 100 (mean of the first case's
 * fork means / mean of the second's - 1) percent, with a 95 % percentile-bootstrap interval over forks. A fork is
 * the unit of resampling because each is a JVM of its own that compiles its own code (the iterations of one fork
 * share its compiled loop and are not independent); the two cases' forks are resampled with replacement,
 * independently (the cases ran in different forks), {@value #RESAMPLES} times from a fixed seed, so the same
 * fork means always give the same interval.
 */
final class ForkRatio {

    /** Bootstrap resamples. */
    static final int RESAMPLES = 10_000;

    /** The bootstrap's seed: fixed, so that a report is reproducible from its results. */
    static final long SEED = 25;

    /** The interval's lower and upper quantiles of the resampled percentages (95 %). */
    private static final double LOWER = 0.025;
    private static final double UPPER = 0.975;

    private ForkRatio() {
    }

    /**
     * The first case's extra time over the second's, in percent.
     *
     * @param percent     the point estimate, from every fork's mean
     * @param low         the interval's lower end, NaN without an interval (fewer than 2 forks in a case)
     * @param high        its upper end, NaN without an interval
     * @param firstForks  the first case's forks
     * @param secondForks the second case's forks
     */
    record Estimate(double percent, double low, double high, int firstForks, int secondForks) {

        boolean hasInterval() {
            return !Double.isNaN(low);
        }

        /** E.g. {@code +14.9 % [+12.0, +17.8]}, or the estimate and why it has no interval. */
        String text() {
            String point = String.format(Locale.ROOT, "%+.1f %%", percent);
            if (hasInterval()) {
                return point + String.format(Locale.ROOT, " [%+.1f, %+.1f]", low, high);
            }
            return point + " (" + (firstForks == 1 && secondForks == 1 ? "one fork each"
                    : firstForks + " and " + secondForks + " forks") + ": no interval)";
        }
    }

    /**
     * The extra time of the case whose fork means are {@code first} over the case whose fork means are
     * {@code second}; an interval when each case has at least 2 forks.
     */
    static Estimate extraTime(List<Double> first, List<Double> second) {
        double[] a = positive(first, "first");
        double[] b = positive(second, "second");
        double percent = percent(a, b);
        if (a.length < 2 || b.length < 2) {
            return new Estimate(percent, Double.NaN, Double.NaN, a.length, b.length);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] resampled = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            resampled[r] = percent(resample(a, random), resample(b, random));
        }
        Arrays.sort(resampled);
        return new Estimate(percent, quantile(resampled, LOWER), quantile(resampled, UPPER), a.length, b.length);
    }

    private static double[] positive(List<Double> forkSeconds, String which) {
        double[] x = forkSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        if (x.length == 0 || Arrays.stream(x).anyMatch(s -> !(s > 0 && Double.isFinite(s)))) {
            throw new IllegalArgumentException("the " + which + " case needs positive fork means, got "
                    + forkSeconds);
        }
        return x;
    }

    private static double percent(double[] first, double[] second) {
        return 100 * (mean(first) / mean(second) - 1);
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).sum() / x.length;
    }

    /** As many forks as {@code x} has, drawn from it with replacement. */
    private static double[] resample(double[] x, SplittableRandom random) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[random.nextInt(x.length)];
        }
        return out;
    }

    /** The p-quantile of sorted values, interpolating linearly between the two nearest. */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int below = (int) Math.floor(h);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}
