package org.isentropic.verification;

import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.generators.AttentionInputs;
import org.isentropic.verification.reference.EjmlAttention;

/**
 * Compares an attention kernel with the independent double-precision {@link EjmlAttention} on one
 * {@link AttentionCase}: outputs, row entropies, log-sum-exps and (when requested) probabilities, each
 * within its bound from {@link Tolerances}, computed from the case's own magnitudes:
 * {@code L_i = f_i (c |q_i| max_j |k_j| + slope (n - 1))} bounds the logits of row i ({@code c = 1/sqrt(d)}
 * for dot, {@code s} for cosine with unit vectors; {@code f_i} the row's temperature).
 */
public final class KernelAgreement {

    private KernelAgreement() {
    }

    /**
     * Run the kernel and the reference on the case and compare.
     *
     * @param kernel the kernel under test
     * @param c the case
     * @param withProbs whether to also compare the probability matrix
     * @return the kernel's output (for further checks)
     * @throws AssertionError naming the first row and quantity out of tolerance
     */
    public static AttentionOutput assertAgrees(AttentionKernel kernel, AttentionCase c, boolean withProbs) {
        AttentionInputs in = c.inputs();
        int n = in.n();
        int d = in.d();
        int dv = in.dv();
        AttentionOutput out = AttentionOutput.allocate(n, dv, withProbs);
        kernel.attend(c.spec(), in.q(), in.k(), in.v(), n, d, dv, out);
        EjmlAttention.Result ref = EjmlAttention.attend(c.reference(), in.q(), in.k(), in.v(), n, d, dv);
        double maxV = in.maxAbsValue();
        double maxK = rowNormMax(in.k(), n, d, c.reference().kind() == EjmlAttention.Kind.COSINE);
        double u = Tolerances.FLOAT_UNIT_ROUNDOFF;
        for (int i = 0; i < n; i++) {
            double f = c.spec().rowFactor(i, n);
            double qn = c.reference().kind() == EjmlAttention.Kind.COSINE ? 1.0 : rowNorm(in.q(), i, d);
            double content = c.reference().kind() == EjmlAttention.Kind.COSINE ? c.reference().scale()
                    : 1.0 / Math.sqrt(d);
            double magnitude = f * (content * qn * maxK + c.reference().alibiSlope() * (n - 1));
            double dz = Tolerances.logit(d, c.maxPosition(), magnitude);
            double hTol = Tolerances.entropy(n, dz, magnitude) + u * Math.log(n) + u;
            double hRef = ref.entropy()[i];
            compare(kernel, c, i, "entropy", out.entropy()[i], hRef, hTol);
            double lseRef = ref.logSumExp()[i];
            double lseTol = dz + Tolerances.gamma(n + 4L) + 2 * u * Math.abs(lseRef) + u;
            compare(kernel, c, i, "logSumExp", out.logSumExp()[i], lseRef, lseTol);
            double oTol = Tolerances.output(n, dz, maxV) + u * maxV;
            for (int col = 0; col < dv; col++) {
                compare(kernel, c, i, "o[" + col + "]", out.o()[i * dv + col], ref.o()[i * dv + col], oTol);
            }
            if (withProbs) {
                double pTol = 2 * (dz + Tolerances.FLOAT_TRANSCENDENTAL_ERROR) + Tolerances.gamma(n + 4L) + u;
                for (int j = 0; j < n; j++) {
                    compare(kernel, c, i, "p[" + j + "]", out.probs()[i * n + j], ref.probs()[i * n + j], pTol);
                }
            }
        }
        return out;
    }

    private static void compare(AttentionKernel kernel, AttentionCase c, int row, String what, double got,
            double expected, double tol) {
        boolean same = got == expected || Math.abs(got - expected) <= tol;
        if (!same) {
            throw new AssertionError(String.format(
                    "kernel %s disagrees with the EJML double-precision reference at row %d, %s: kernel %.9g,"
                            + " reference %.9g, |difference| %.3g > tolerance %.3g; case: %s",
                    kernel.name(), row, what, got, expected, Math.abs(got - expected), tol, c));
        }
    }

    private static double rowNorm(float[] x, int row, int d) {
        double ss = 0;
        for (int c = 0; c < d; c++) {
            double a = x[row * d + c];
            ss += a * a;
        }
        return Math.sqrt(ss);
    }

    private static double rowNormMax(float[] x, int n, int d, boolean unit) {
        if (unit) {
            return 1.0;
        }
        double m = 0;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, rowNorm(x, j, d));
        }
        return m;
    }
}
