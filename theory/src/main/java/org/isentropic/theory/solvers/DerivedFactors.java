package org.isentropic.theory.solvers;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * The factors {@code lambda_n / lambda_N} a solver derived, with standard errors (0 where the condition
 * is deterministic), the temperatures themselves and the entropy held fixed.
 *
 * @param condition     the condition solved
 * @param trainLength   N
 * @param lengths       the lengths n, as requested
 * @param factor        {@code lambda_n / lambda_N} per length
 * @param standardError of each factor (delta method over the Monte-Carlo errors; 0 where exact)
 * @param lambda        lambda_n per length (for the focused-cap conditions: the cap cosine c_n)
 * @param baseLambda    lambda_N (for the focused-cap conditions: c_N)
 * @param targetEntropy the entropy held fixed (NaN for the focused-cap and planted-focus conditions)
 */
public record DerivedFactors(Condition condition, int trainLength, int[] lengths, double[] factor,
        double[] standardError, double[] lambda, double baseLambda, double targetEntropy) {

    public DerivedFactors {
        int k = lengths.length;
        if (factor.length != k || standardError.length != k || lambda.length != k) {
            throw new IllegalArgumentException("arrays must all have " + k + " entries");
        }
        lengths = lengths.clone();
        factor = factor.clone();
        standardError = standardError.clone();
        lambda = lambda.clone();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public double[] factor() {
        return factor.clone();
    }

    @Override
    public double[] standardError() {
        return standardError.clone();
    }

    @Override
    public double[] lambda() {
        return lambda.clone();
    }

    /** The factors as a {@code derived} temperature rule (lengths sorted; duplicates must agree). */
    public TemperatureRule asRule() {
        Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        int[] l = new int[lengths.length];
        double[] f = new double[lengths.length];
        int k = 0;
        for (int i : order) {
            if (k > 0 && l[k - 1] == lengths[i]) {
                continue;
            }
            l[k] = lengths[i];
            f[k] = factor[i];
            k++;
        }
        return TemperatureRule.derived(Arrays.copyOf(l, k), Arrays.copyOf(f, k));
    }
}
