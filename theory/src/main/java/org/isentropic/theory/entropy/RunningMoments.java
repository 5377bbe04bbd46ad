package org.isentropic.theory.entropy;

/**
 * The one running estimate of a mean and its standard error, for every Monte-Carlo loop of the project:
 * {@link #add} each sample as it is produced, {@link #merge} two partial runs, then {@link #estimate()}.
 *
 * <p>It keeps the count, the plain sum {@code S = sum x} (so that the mean {@code S / k} is the same
 * number a loop summing the samples in the same order gives) and the sum of squared deviations from a
 * fixed shift {@code c}, {@code Q = sum (x - c)^2}. With {@code m = S / k} and {@code e = m - c},
 * <pre>
 *   var = (Q - k e^2) / (k - 1),   standard error = sqrt(var / k)
 * </pre>
 * which is the textbook one-pass variance applied to the shifted data {@code x - c} (Chan, Golub and
 * LeVeque, "Algorithms for computing the sample variance", 1983, section 3): it loses no precision to
 * cancellation as long as {@code c} is near the mean, which the default shift, the first sample,
 * ensures; a variance below 0 from rounding is reported as 0. Unlike Welford's update it needs no
 * division per sample, and its mean is bit for bit the summed mean, so estimates computed before this
 * class existed are reproduced exactly.
 */
public final class RunningMoments {

    private final boolean shiftByFirst;
    private double shift;
    private double sum;
    private double sumSquaredDeviations;
    private int count;

    private RunningMoments(boolean shiftByFirst, double shift) {
        this.shiftByFirst = shiftByFirst;
        this.shift = shift;
    }

    /** Moments shifted by the first sample added (the stable default). */
    public static RunningMoments create() {
        return new RunningMoments(true, 0.0);
    }

    /**
     * Moments shifted by a given value, typically an estimate of the mean known before the loop (for
     * example the first row's value computed on its own); {@code around(0)} is the raw sum of squares.
     *
     * @param shift finite
     */
    public static RunningMoments around(double shift) {
        if (!Double.isFinite(shift)) {
            throw new IllegalArgumentException("shift must be finite, got " + shift);
        }
        return new RunningMoments(false, shift);
    }

    /** Adds one sample. */
    public RunningMoments add(double x) {
        if (count == 0 && shiftByFirst) {
            shift = x;
        }
        sum += x;
        sumSquaredDeviations += (x - shift) * (x - shift);
        count++;
        return this;
    }

    /**
     * Adds the samples of another run: its squared deviations are moved to this run's shift,
     * {@code Q' = Q_o + 2 (c_o - c) (S_o - k_o c_o) + k_o (c_o - c)^2}.
     */
    public RunningMoments merge(RunningMoments other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0 && shiftByFirst) {
            shift = other.shift;
        }
        double delta = other.shift - shift;
        sumSquaredDeviations += other.sumSquaredDeviations + 2 * delta * (other.sum - other.count * other.shift)
                + other.count * delta * delta;
        sum += other.sum;
        count += other.count;
        return this;
    }

    /** The number of samples added. */
    public int count() {
        return count;
    }

    /** The mean {@code S / k}. */
    public double mean() {
        requireSamples(1);
        return sum / count;
    }

    /** The mean with its standard error (0 for a single sample). */
    public Estimate estimate() {
        requireSamples(1);
        double mean = sum / count;
        double dev = mean - shift;
        double var = count > 1 ? Math.max(0.0, (sumSquaredDeviations - count * dev * dev) / (count - 1)) : 0.0;
        return new Estimate(mean, Math.sqrt(var / count), count);
    }

    private void requireSamples(int min) {
        if (count < min) {
            throw new IllegalStateException("no samples added");
        }
    }
}
