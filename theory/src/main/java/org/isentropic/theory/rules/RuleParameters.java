package org.isentropic.theory.rules;

/**
 * The parameters from which {@link TemperatureRules#create} builds a rule. Each rule reads only the
 * ones it needs; {@link #of(int, int)} fills the rest with the published defaults.
 *
 * @param trainLength    N, the training length ({@code >= 2})
 * @param headDim        d for InfoScale ({@code >= 1}): the per-head dimension, or the full hidden width
 *                       to reproduce the reference implementation's DNA and T5 ports
 * @param clampAtOne     InfoScale clamped at 1 (the DNA and T5 ports) or not (the paper)
 * @param ssmaxScale     SSMax's s ({@code > 0}); the default 1/ln N makes the rule 1 at the training length
 * @param llama4A        Llama 4's a ({@code >= 0}, default 0.1)
 * @param llama4F        Llama 4's F ({@code >= 1}, default 8192)
 * @param derivedLengths lengths of the {@code derived} table, or null when there is none
 * @param derivedFactors factors of the {@code derived} table, or null
 */
public record RuleParameters(int trainLength, int headDim, boolean clampAtOne, double ssmaxScale,
        double llama4A, int llama4F, int[] derivedLengths, double[] derivedFactors) {

    public RuleParameters {
        Checks.atLeast("trainLength", trainLength, 2);
        Checks.atLeast("headDim", headDim, 1);
        Checks.positive("ssmaxScale", ssmaxScale);
        Checks.finite("llama4A", llama4A);
        if (llama4A < 0) {
            throw new IllegalArgumentException("llama4A must be >= 0, got " + llama4A);
        }
        Checks.atLeast("llama4F", llama4F, 1);
        if ((derivedLengths == null) != (derivedFactors == null)) {
            throw new IllegalArgumentException("derivedLengths and derivedFactors must be given together");
        }
        derivedLengths = derivedLengths == null ? null : derivedLengths.clone();
        derivedFactors = derivedFactors == null ? null : derivedFactors.clone();
    }

    /** The defaults: unclamped InfoScale, SSMax s = 1/ln N, Llama 4 a = 0.1 and F = 8192, no derived table. */
    public static RuleParameters of(int trainLength, int headDim) {
        Checks.atLeast("trainLength", trainLength, 2);
        return new RuleParameters(trainLength, headDim, false, 1.0 / Math.log(trainLength), 0.1, 8192,
                null, null);
    }

    public RuleParameters withClampAtOne(boolean clamp) {
        return new RuleParameters(trainLength, headDim, clamp, ssmaxScale, llama4A, llama4F, derivedLengths,
                derivedFactors);
    }

    public RuleParameters withSsmaxScale(double s) {
        return new RuleParameters(trainLength, headDim, clampAtOne, s, llama4A, llama4F, derivedLengths,
                derivedFactors);
    }

    public RuleParameters withLlama4(double a, int f) {
        return new RuleParameters(trainLength, headDim, clampAtOne, ssmaxScale, a, f, derivedLengths,
                derivedFactors);
    }

    public RuleParameters withDerived(int[] lengths, double[] factors) {
        return new RuleParameters(trainLength, headDim, clampAtOne, ssmaxScale, llama4A, llama4F, lengths,
                factors);
    }

    /** True when a derived table is present. */
    public boolean hasDerived() {
        return derivedLengths != null;
    }

    @Override
    public int[] derivedLengths() {
        return derivedLengths == null ? null : derivedLengths.clone();
    }

    @Override
    public double[] derivedFactors() {
        return derivedFactors == null ? null : derivedFactors.clone();
    }
}
