package org.isentropic.cli.conform;

import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.verification.KernelAgreement;
import org.isentropic.verification.Tolerances;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;

/**
 * The expected output of a case and the bound within which a float32 kernel must reproduce it.
 *
 * <p><b>Expected:</b> the kernels' reference kernel ({@code AttentionKernels.reference()}: every logit
 * formed as {@link AttentionSpec} defines it, double accumulators, a two-pass softmax) under the declared
 * {@link ConformSpec}, its output rounded to float.
 *
 * <p><b>Bound</b> on {@code |o_ic(kernel) - o_ic(expected)|} for row i: the bound of the verification
 * library for a float kernel against the exact result of the same float inputs,
 * {@code KernelAgreement.bounds(case).output()[i]} (from {@code Tolerances.logit} and
 * {@code Tolerances.output}: the logit error {@code gamma(2d + 8) L_i} of a d-term dot product and the
 * scale and temperature multiplies, with {@code L_i = f_i c |q_i| max_j |k_j|}, pushed through softmax,
 * plus {@code gamma(n + 4)} for the sums and the final rounding to float, all times {@code max |v|}), plus
 * the reference's own error: it computes in double, whose unit roundoff is 2^-29 of float's, and every
 * term of the float bound is linear in the unit roundoff to first order, so its arithmetic contributes at
 * most {@value #REFERENCE_RELATIVE_TEXT} times the float bound; its final rounding to float contributes
 * {@code u max|v|} (u = 2^-24). The bound is a worst case, not an estimate: a correct float32 kernel
 * stays far inside it, and it is never widened to let a kernel pass.
 */
public final class ConformCheck {

    /** 2 x 2^-29: the reference's arithmetic relative to the float bound (a factor 2 for the gamma terms). */
    static final double REFERENCE_RELATIVE = 2 * Tolerances.DOUBLE_UNIT_ROUNDOFF / Tolerances.FLOAT_UNIT_ROUNDOFF;
    static final String REFERENCE_RELATIVE_TEXT = "2^-28";

    private ConformCheck() {
    }

    /**
     * The expected output and its per-row bounds for one case.
     *
     * @param expected n x dv, row-major
     * @param bounds   per row
     * @param attentionCase the case as the verification library describes it
     */
    public record Expected(float[] expected, double[] bounds, AttentionCase attentionCase) {
    }

    /**
     * The comparison of a kernel's output with the expected one.
     *
     * @param pass     every element within its row's bound
     * @param maxError the largest |difference|
     * @param row      the element whose difference is the largest multiple of its bound (-1 without one)
     * @param column   its column
     * @param actual   the kernel's value there
     * @param expected the expected value there
     * @param bound    its bound
     * @param worstRatio |difference| / bound there
     */
    public record Comparison(boolean pass, double maxError, int row, int column, double actual, double expected,
            double bound, double worstRatio) {

        /** The worst element in one sentence. */
        public String describe() {
            return String.format(java.util.Locale.ROOT, "row %d, column %d: got %.9g, expected %.9g, |difference| %.3e %s"
                    + " bound %.3e", row, column, actual, expected, Math.abs(actual - expected), pass ? "<=" : ">", bound);
        }
    }

    /** Runs the reference kernel on the case and derives the bounds. */
    public static Expected expected(ConformSpec declared, AttentionInputs in) {
        AttentionCase c = declared.attentionCase(in);
        AttentionOutput out = AttentionOutput.allocate(in.n(), in.dv(), false);
        AttentionKernels.reference().attend(c.spec(), in.q(), in.k(), in.v(), in.n(), in.d(), in.dv(), out);
        double[] b = KernelAgreement.bounds(c).output();
        double referenceRounding = Tolerances.FLOAT_UNIT_ROUNDOFF * in.maxAbsValue();
        for (int i = 0; i < b.length; i++) {
            b[i] = b[i] * (1 + REFERENCE_RELATIVE) + referenceRounding;
        }
        return new Expected(out.o(), b, c);
    }

    /** Compares a kernel's finite output (n x dv) with the expected one. */
    public static Comparison compare(Expected e, float[] actual, int dv) {
        float[] x = e.expected();
        double maxError = 0;
        double worst = -1;
        int worstAt = -1;
        for (int idx = 0; idx < x.length; idx++) {
            double diff = Math.abs((double) actual[idx] - x[idx]);
            maxError = Math.max(maxError, diff);
            double bound = e.bounds()[idx / dv];
            double ratio = diff == 0 ? 0 : bound > 0 ? diff / bound : Double.POSITIVE_INFINITY;
            if (ratio > worst) {
                worst = ratio;
                worstAt = idx;
            }
        }
        int row = worstAt / dv;
        return new Comparison(worst <= 1, maxError, row, worstAt % dv, actual[worstAt], x[worstAt], e.bounds()[row],
                worst);
    }
}
