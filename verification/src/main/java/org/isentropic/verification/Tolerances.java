package org.isentropic.verification;

/**
 * Named tolerances, each derived from the numerics it covers; never loosened to make a check pass.
 *
 * <p><b>Floating point.</b> With the unit roundoff {@code u} of float ({@link #FLOAT_UNIT_ROUNDOFF}
 * = 2^-24) a sum or dot product of {@code k} terms has a relative error at most
 * {@code gamma(k) = k u / (1 - k u)} (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>,
 * 2nd ed., Lemma 3.1 and eq. 3.5). The attention bounds below propagate such errors through
 * softmax: for logits {@code z} perturbed by at most {@code delta} in each entry,
 * {@code dH/dz_j = -p_j (z_j - sum_l p_l z_l)} gives {@code |dH| <= delta * sum_j p_j |z_j - zbar|
 * <= 2 L delta} with {@code L = max_j |z_j|}, and {@code dp_j = p_j (dz_j - sum_l p_l dz_l)} gives
 * {@code sum_j |dp_j| <= 2 delta}. These are worst-case (not statistical) bounds.
 *
 * <p><b>Monte Carlo.</b> Two estimates of the same mean with standard errors {@code s1, s2} agree
 * when {@code |m1 - m2| <= z sqrt(s1^2 + s2^2)}; {@link #MONTE_CARLO_Z} = 5 makes a false alarm of one
 * comparison about 6e-7 (two-sided normal tail), so a suite of thousands of comparisons stays below
 * 1e-3 even for seeds other than the default.
 */
public final class Tolerances {
    /** Unit roundoff of IEEE binary32: 2^-24. */
    public static final double FLOAT_UNIT_ROUNDOFF = 0x1.0p-24;
    /** Unit roundoff of IEEE binary64: 2^-53. */
    public static final double DOUBLE_UNIT_ROUNDOFF = 0x1.0p-53;
    /** Standard-normal quantile used for every Monte-Carlo comparison (see the class comment). */
    public static final double MONTE_CARLO_Z = 5.0;
    /**
     * Budget for the relative error of one float {@code exp}, {@code log} or division in a kernel:
     * 4 u. {@code Math.exp} is specified within 1 ulp (2 u); vector and polynomial exponentials are
     * allowed twice that. A kernel whose exponential is worse than this fails the agreement checks,
     * which is the intent.
     */
    public static final double FLOAT_TRANSCENDENTAL_ERROR = 4 * FLOAT_UNIT_ROUNDOFF;

    private Tolerances() {
    }

    /**
     * Higham's {@code gamma(k) = k u / (1 - k u)} for float.
     *
     * @param terms number of floating-point operations in the chain, at least 0
     * @return the relative error bound
     * @throws IllegalArgumentException when terms &lt; 0 or {@code k u >= 1}
     */
    public static double gamma(long terms) {
        return gamma(terms, FLOAT_UNIT_ROUNDOFF);
    }

    /**
     * Higham's {@code gamma(k) = k u / (1 - k u)} for a given unit roundoff.
     *
     * @param terms number of floating-point operations in the chain, at least 0
     * @param unitRoundoff u ({@link #FLOAT_UNIT_ROUNDOFF} or {@link #DOUBLE_UNIT_ROUNDOFF})
     * @return the relative error bound
     * @throws IllegalArgumentException when terms &lt; 0 or {@code k u >= 1}
     */
    public static double gamma(long terms, double unitRoundoff) {
        if (terms < 0) {
            throw new IllegalArgumentException("terms must be >= 0, got " + terms);
        }
        double ku = terms * unitRoundoff;
        if (ku >= 1) {
            throw new IllegalArgumentException("terms too large for a float error bound: " + terms);
        }
        return ku / (1 - ku);
    }

    /**
     * Bound on the absolute error of one float logit against the exact value from the same float
     * inputs: a d-term dot product, two d-term squared norms for the cosine normalisation and a few
     * multiplies for the scale, temperature and bias ({@code gamma(2d + 8)} relative to the
     * magnitude), and with RoPE an angle {@code position * theta} rounded in float
     * (absolute angle error at most {@code 2 u position}, moving each rotated component by at most
     * that fraction of its norm).
     *
     * @param d head dimension, at least 1
     * @param maxPosition largest position used by RoPE, or 0 without positions
     * @param magnitude bound on {@code scale * sum_c |q_c k_c|} (for cosine logits: the scale times
     *     the temperature), at least 0
     * @return the absolute logit error bound
     */
    public static double logit(int d, int maxPosition, double magnitude) {
        return logit(d, maxPosition, magnitude, FLOAT_UNIT_ROUNDOFF);
    }

    /**
     * As {@link #logit(int, int, double)} for a kernel that forms its logits with unit roundoff
     * {@code unitRoundoff} (the double-precision reference kernel: {@link #DOUBLE_UNIT_ROUNDOFF}).
     *
     * @param d head dimension, at least 1
     * @param maxPosition largest rotary position, or 0
     * @param magnitude bound on the logit's terms, at least 0
     * @param unitRoundoff the arithmetic's unit roundoff
     * @return the absolute logit error bound
     */
    public static double logit(int d, int maxPosition, double magnitude, double unitRoundoff) {
        requirePositive("d", d);
        if (maxPosition < 0) {
            throw new IllegalArgumentException("maxPosition must be >= 0, got " + maxPosition);
        }
        requireFinite("magnitude", magnitude);
        return magnitude * (gamma(2L * d + 8L, unitRoundoff) + 4.0 * unitRoundoff * maxPosition);
    }

    /**
     * Bound on the absolute error of a float kernel's row entropy against the exact (double)
     * entropy of the same float inputs: {@code 2 L (delta + 2 e_exp) + gamma(n) (1 + 4 L)}, where
     * {@code delta} is the logit error, {@code e_exp} the error of one exponential (equivalent to a
     * logit error of that size) and {@code gamma(n)} covers the float sums {@code l = sum e^(z-m)} and
     * {@code u = sum e^(z-m) z} in {@code H = m + ln l - u / l}.
     *
     * @param n number of keys in the row, at least 1
     * @param logitError absolute logit error bound (see {@link #logit}), at least 0
     * @param maxAbsLogit largest |logit| of the row, at least 0
     * @return the absolute entropy error bound (nats)
     */
    public static double entropy(int n, double logitError, double maxAbsLogit) {
        return entropy(n, logitError, maxAbsLogit, FLOAT_UNIT_ROUNDOFF);
    }

    /**
     * As {@link #entropy(int, double, double)} for a kernel computing in unit roundoff
     * {@code unitRoundoff} (its exponentials within 4 u), plus the final rounding of H to float.
     *
     * @param n number of keys in the row, at least 1
     * @param logitError absolute logit error bound, at least 0
     * @param maxAbsLogit largest |logit| of the row, at least 0
     * @param unitRoundoff the arithmetic's unit roundoff
     * @return the absolute entropy error bound (nats)
     */
    public static double entropy(int n, double logitError, double maxAbsLogit, double unitRoundoff) {
        requirePositive("n", n);
        requireFinite("logitError", logitError);
        requireFinite("maxAbsLogit", maxAbsLogit);
        double range = 2 * maxAbsLogit;
        double floatOutput = unitRoundoff < FLOAT_UNIT_ROUNDOFF ? FLOAT_UNIT_ROUNDOFF * (Math.log(n) + 1) : 0.0;
        return range * (logitError + 8 * unitRoundoff) + gamma(n + 4L, unitRoundoff) * (1 + 2 * range)
                + floatOutput;
    }

    /**
     * Bound on the absolute error of one output component {@code o_ic = sum_j p_ij v_jc}:
     * the probabilities move by at most {@code 2 (delta + e_exp) + gamma(n)} in total (L1), and the
     * weighted sum adds {@code gamma(n)} relative to {@code max |v|}.
     *
     * @param n number of keys, at least 1
     * @param logitError absolute logit error bound, at least 0
     * @param maxAbsValue largest |v|, at least 0
     * @return the absolute output error bound
     */
    public static double output(int n, double logitError, double maxAbsValue) {
        requirePositive("n", n);
        requireFinite("logitError", logitError);
        requireFinite("maxAbsValue", maxAbsValue);
        return maxAbsValue * (2 * (logitError + FLOAT_TRANSCENDENTAL_ERROR) + 2 * gamma(n + 4L));
    }

    /**
     * The Monte-Carlo agreement tolerance {@code z sqrt(s1^2 + s2^2)} with {@link #MONTE_CARLO_Z}.
     *
     * @param standardError1 first standard error, at least 0
     * @param standardError2 second standard error, at least 0
     * @return the tolerance
     */
    public static double monteCarlo(double standardError1, double standardError2) {
        requireFinite("standardError1", standardError1);
        requireFinite("standardError2", standardError2);
        return MONTE_CARLO_Z * Math.hypot(standardError1, standardError2);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    private static void requireFinite(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
    }
}
