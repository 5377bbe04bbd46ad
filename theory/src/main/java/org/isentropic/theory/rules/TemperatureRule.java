package org.isentropic.theory.rules;

import java.util.function.IntToDoubleFunction;

/**
 * A temperature rule: the factor lambda(n) that multiplies the pre-softmax logits of an attention row
 * when it attends n keys (or, for the per-position rules, when its query sits at position n, see
 * {@link #perPosition()}). All rules of the project live in {@link TemperatureRules}; the factories here
 * build them with explicit parameters. Sources and formulas: docs/method.md (InfoScale and the earlier temperature rules),
 * and docs/theory.md.
 *
 * <p>Every implementation rejects {@code n < 1} with an {@link IllegalArgumentException}; its factor is
 * finite and non-negative for every {@code n >= 1}.
 */
public interface TemperatureRule extends IntToDoubleFunction {

    /** The registry id ({@code infoscale}, {@code logn}, ...). */
    String id();

    /**
     * The factor on the logits.
     *
     * @param n the number of keys the row attends ({@code >= 1}); for {@link #perPosition()} rules the
     *          1-based position of the query
     */
    double factor(int n);

    /** A human-readable formula with the parameters filled in. */
    String formula();

    /**
     * True when {@code n} is the query's 1-based position ({@code qwen_logn}, {@code llama4}) rather
     * than the number of keys of the row.
     */
    default boolean perPosition() {
        return false;
    }

    @Override
    default double applyAsDouble(int n) {
        return factor(n);
    }

    /** Factors for several n at once. */
    default double[] factors(int[] ns) {
        double[] out = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            out[i] = factor(ns[i]);
        }
        return out;
    }

    /** The standard scaled dot product: factor 1 on top of 1/sqrt(d) (Vaswani et al. 2017). */
    static TemperatureRule standard() {
        return Rules.STANDARD;
    }

    /**
     * InfoScale (paper section 2): {@code lambda(n) = sqrt((1 - n^(-2/d)) / (1 - N^(-2/d)))}.
     *
     * @param trainLength N, {@code >= 2}
     * @param headDim     d, {@code >= 1}: the per-head dimension, or the full hidden width to reproduce
     *                    the reference implementation's DNA and T5 ports
     */
    static TemperatureRule infoScale(int trainLength, int headDim) {
        return infoScale(trainLength, headDim, false);
    }

    /**
     * InfoScale, optionally clamped: {@code max(1, lambda(n))} as in the reference implementation's DNA
     * and T5 ports (so that rows shorter than N are not sharpened less).
     */
    static TemperatureRule infoScale(int trainLength, int headDim, boolean clampAtOne) {
        return Rules.infoScale(trainLength, headDim, clampAtOne);
    }

    /** log-n (Su 2021; Chiang and Cholak 2022): {@code ln n / ln N}, N {@code >= 2}. */
    static TemperatureRule logN(int trainLength) {
        return Rules.logN(trainLength);
    }

    /**
     * softmax_plus (bert4keras, GAU-alpha pretraining): {@code ln max(n, 16) / ln 512}: log-n with
     * N = 512 and bert4keras' clamp n >= 16.
     */
    static TemperatureRule softmaxPlus() {
        return Rules.SOFTMAX_PLUS;
    }

    /** Qwen's logn attention: {@code max(1, ln i / ln N)} on the query at 1-based position i. */
    static TemperatureRule qwenLogN(int trainLength) {
        return Rules.qwenLogN(trainLength);
    }

    /**
     * YaRN's attention factor as it acts on the logits: {@code (0.1 ln s + 1)^2} with s = n/N, and 1
     * for s {@code <= 1} (YaRN applies {@code 0.1 ln s + 1} to both cos and sin of RoPE).
     */
    static TemperatureRule yarn(int trainLength) {
        return Rules.yarn(trainLength);
    }

    /**
     * LongRoPE's factor on the logits: {@code 1 + ln s / ln N}, s = n/N, and 1 for s {@code <= 1}
     * (LongRoPE applies its square root to both cos and sin).
     */
    static TemperatureRule longRope(int trainLength) {
        return Rules.longRope(trainLength);
    }

    /** Scalable softmax (Nakanishi 2025): {@code s ln n}, s {@code > 0} (learned per head there). */
    static TemperatureRule ssmax(double s) {
        return Rules.ssmax(s);
    }

    /**
     * Llama 4's attention temperature tuning: {@code 1 + a ln(floor((p + 1)/F) + 1)} on the query at
     * 0-based position p; here n = p + 1. Llama 4 uses a = 0.1, F = 8192.
     *
     * @param a finite, {@code >= 0}
     * @param f F, {@code >= 1}
     */
    static TemperatureRule llama4(double a, int f) {
        return Rules.llama4(a, f);
    }

    /**
     * A table of factors produced by a solver, interpolated linearly in ln n between its lengths. Lengths
     * outside {@code [lengths[0], lengths[last]]} are rejected (no extrapolation).
     *
     * @param lengths strictly increasing, {@code >= 1}, at least one
     * @param factors finite, {@code >= 0}, same length
     */
    static TemperatureRule derived(int[] lengths, double[] factors) {
        return new Rules.Derived(lengths, factors);
    }
}
