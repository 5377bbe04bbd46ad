package org.isentropic.theory.entropy;

/**
 * A Monte-Carlo estimate: the sample mean, its standard error (sample standard deviation / sqrt(samples);
 * 0 for exact values) and the number of samples (0 for exact values).
 */
public record Estimate(double mean, double standardError, int samples) {

    public Estimate {
        if (Double.isNaN(mean)) {
            throw new IllegalArgumentException("mean must not be NaN");
        }
        if (!(standardError >= 0)) {
            throw new IllegalArgumentException("standardError must be >= 0, got " + standardError);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
    }

    /** An exact value (standard error 0, 0 samples). */
    public static Estimate exact(double value) {
        return new Estimate(value, 0.0, 0);
    }

    /** Mean and standard error of independent samples (two-pass: mean first, then squared deviations). */
    public static Estimate of(double[] samples) {
        if (samples.length < 1) {
            throw new IllegalArgumentException("samples must not be empty");
        }
        double sum = 0;
        for (double x : samples) {
            sum += x;
        }
        // the second pass: squared deviations from the mean itself
        RunningMoments moments = RunningMoments.around(sum / samples.length);
        for (double x : samples) {
            moments.add(x);
        }
        return moments.estimate();
    }
}
