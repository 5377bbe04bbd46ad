package org.isentropic.kernels;

import org.isentropic.kernels.fused.VectorExp2;

/**
 * Named error bounds for the per-operation tests of {@code TileOps} (fused), {@code DecodeOps} (decode) and
 * {@link VectorExp2} against their scalar twins. Each bound is derived from the operation it covers and is never
 * loosened to make a test pass (the habit of verification's Tolerances, which the kernels' tests cannot depend on).
 *
 * <p><b>Rounding.</b> With the unit roundoff u = 2^-24 of float, a chain of k roundings moves a result by at
 * most gamma(k) = k u / (1 - k u) relative to the sum of the magnitudes of its terms (Higham, <i>Accuracy and
 * Stability of Numerical Algorithms</i>, 2nd ed., Lemma 3.1; eq. 3.5 for dot products; section 4.2 for a sum in
 * any order of m terms, gamma(m - 1)). A fused multiply-add rounds once. A result in the subnormal range is
 * rounded to a multiple of 2^-149, an absolute error of at most {@link #UNDERFLOW} per rounding, which the
 * relative model does not cover, so bounds over subnormal data add it once per rounding.
 *
 * <p><b>exp2.</b> {@link VectorExp2} writes x = n + f, |f| &lt;= 1/2 (f = x - n is exact: n is the integer
 * nearest x, so f keeps a subset of x's fraction bits), evaluates the Taylor polynomial of degree 6 of 2^f
 * with float coefficients by Horner's rule in fused multiply-adds, and adds n to the exponent field (exact,
 * as long as the result is normal, which x &gt;= -126 ensures). Its relative error is at most
 * {@link #EXP2_POLYNOMIAL}, the product of three factors:
 * <ul>
 *   <li>truncation ({@link #EXP2_TRUNCATION}): the Lagrange remainder (f ln2)^7 / 7! e^xi, xi between 0 and
 *       f ln2, relative to 2^f: at most (ln2 / 2)^7 / 7! for f &gt; 0 and that times 2^(1/2) for f &lt; 0;</li>
 *   <li>the coefficients rounded to float ({@link #EXP2_COEFFICIENTS}): each c_k (k &gt;= 1) off by at most
 *       u c_k, so sum_k u c_k |f|^k &lt;= u (2^(1/2) - 1), relative to 2^f &gt;= 2^(-1/2): (2 - 2^(1/2)) u;</li>
 *   <li>Horner's rule with one rounding per fused multiply-add ({@link #EXP2_HORNER}): six FMAs give at most
 *       gamma(6) sum_k c_k |f|^k = gamma(6) 2^|f|, relative to 2^f at most 2 gamma(6).</li>
 * </ul>
 * The scalar providers compute 2^x as {@code (float) Math.exp(x ln2)} instead: {@code ScalarTiles} with ln2
 * rounded to float (an exponent error of |x| |ln2 - fl(ln2)|), {@code ScalarDecodeOps} with ln2 in double;
 * {@code Math.exp} is within 1 ulp of double, then one rounding to float. {@link #exp2Relative(double)} is the
 * larger of the two providers' bounds (plus the twin's own error, {@code Math.pow} within 1 ulp of double).
 *
 * <p><b>Floor.</b> Callers clamp the exponent to {@link VectorExp2#FLOOR} = -126, so where 2^x &lt; 2^-126 the
 * vector path returns about 2^-126 and the scalar path the subnormal (or 0): both are within
 * {@link #EXP2_FLOOR_ABSOLUTE} of 2^x. A weighted logit p (t - m) there is off by at most
 * {@link #ENTROPY_FLOOR_TERM}: the vector path's 126 |p| plus the exact term's |x| 2^x &lt;= 126 2^-126
 * (|x| 2^x decreases for x &lt; -1 / ln2).
 */
public final class OpErrorBounds {

    /** Unit roundoff of float: 2^-24. */
    public static final double U = 0x1.0p-24;
    /** Unit roundoff of double: 2^-53 (the twins compute in double). */
    public static final double U_DOUBLE = 0x1.0p-53;
    /** Absolute error of one rounding to a subnormal float: half the spacing 2^-149. */
    public static final double UNDERFLOW = 0x1.0p-150;
    /** The smallest normal float, 2^-126: the value of 2^{@link VectorExp2#FLOOR}. */
    public static final double MIN_NORMAL = 0x1.0p-126;

    private static final double LN2 = Math.log(2);

    /** Taylor truncation of VectorExp2's degree-6 polynomial, relative: (ln2 / 2)^7 / 7! x 2^(1/2). */
    public static final double EXP2_TRUNCATION = Math.pow(LN2 / 2, 7) / 5040 * Math.sqrt(2);
    /** The polynomial's float coefficients, relative: (2 - 2^(1/2)) u. */
    public static final double EXP2_COEFFICIENTS = (2 - Math.sqrt(2)) * U;
    /** Horner's rule in six fused multiply-adds, relative: 2 gamma(6). */
    public static final double EXP2_HORNER = 2 * gamma(6);
    /** VectorExp2's relative error on [FLOOR, 0]: the three factors above combined. */
    public static final double EXP2_POLYNOMIAL =
            (1 + EXP2_TRUNCATION) * (1 + EXP2_COEFFICIENTS) * (1 + EXP2_HORNER) - 1;
    /** |ln2 - fl(ln2)|: ScalarTiles multiplies the exponent by ln2 rounded to float. */
    public static final double LN2_AS_FLOAT_ERROR = Math.abs(LN2 - (double) (float) LN2);
    /** |2^x computed - 2^x| where 2^x &lt; 2^-126 (the clamp of the vector path, the subnormals of the scalar one). */
    public static final double EXP2_FLOOR_ABSOLUTE = MIN_NORMAL * (1 + EXP2_POLYNOMIAL);
    /** |p x computed - p x| of one weighted logit where 2^x &lt; 2^-126 (see the class comment). */
    public static final double ENTROPY_FLOOR_TERM = 126 * (EXP2_FLOOR_ABSOLUTE + MIN_NORMAL);

    private OpErrorBounds() {
    }

    /** Higham's gamma(k) = k u / (1 - k u) for float. */
    public static double gamma(int k) {
        if (k < 0 || k * U >= 1) {
            throw new IllegalArgumentException("k out of range: " + k);
        }
        return k * U / (1 - k * U);
    }

    /** Higham's gamma(k) for double: the twins' own rounding. */
    public static double gammaDouble(int k) {
        return k * U_DOUBLE / (1 - k * U_DOUBLE);
    }

    /**
     * Relative error bound of a provider's 2^x for x in [FLOOR, 0] (and of the scalar path's exp of x ln2 at
     * any x &lt;= 0): the larger of VectorExp2's bound and the scalar path's: an exponent off by
     * |x| (|ln2 - fl(ln2)| + ln2 u_double) (ln2 as float, the product rounded in double), {@code Math.exp}
     * within 2 u_double, one rounding to float; plus the twin's 2 u_double.
     */
    public static double exp2Relative(double x) {
        double exponentError = Math.abs(x) * (LN2_AS_FLOAT_ERROR + LN2 * U_DOUBLE);
        double scalarPath = (1 + Math.expm1(exponentError)) * (1 + 2 * U_DOUBLE) * (1 + U) - 1;
        return Math.max(EXP2_POLYNOMIAL, scalarPath) + 2 * U_DOUBLE;
    }

    /**
     * Bound on |p computed - 2^x| for one weight p = 2^x (x a float, x &lt;= 0): relative where 2^x &gt;= 2^-126,
     * {@link #EXP2_FLOOR_ABSOLUTE} below.
     */
    public static double weight(float x) {
        if (x < VectorExp2.FLOOR) {
            return EXP2_FLOOR_ABSOLUTE;
        }
        return exp2Relative(x) * Math.pow(2, x);
    }

    /** Bound on |p x computed - 2^x x| for one weighted logit (x a float, x &lt;= 0). */
    public static double weightedLogit(float x) {
        if (x < VectorExp2.FLOOR) {
            return ENTROPY_FLOOR_TERM;
        }
        return weight(x) * Math.abs(x);
    }
}
