package org.isentropic.verification;

import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.reference.EjmlAttention;

/**
 * Compares attention kernels with the independent double-precision {@link EjmlAttention} and with each
 * other on one {@link AttentionCase}: outputs, row entropies, log-sum-exps and (when requested)
 * probabilities, each within its bound from {@link Tolerances}, computed from the case's own
 * magnitudes: {@code L_i = f_i (c |q_i| max_j |k_j| + slope (n - 1))} bounds the logits of row i
 * ({@code c = 1/sqrt(d)} for dot; for cosine {@code c = s} with unit vectors; {@code f_i} the row's
 * temperature).
 */
public final class KernelAgreement {

    private KernelAgreement() {
    }

    /**
     * Per-row error bounds of one float kernel against the exact result of the same float inputs.
     *
     * @param entropy bound on |H_i error| (nats)
     * @param logSumExp bound on |logsumexp_i error|
     * @param output bound on each |o_ic error|
     * @param prob bound on each |p_ij error|
     */
    public record Bounds(double[] entropy, double[] logSumExp, double[] output, double[] prob) {
        /**
         * @param factor multiplier (2 for two float kernels compared with each other)
         * @return these bounds times factor
         */
        public Bounds times(double factor) {
            return new Bounds(scale(entropy, factor), scale(logSumExp, factor), scale(output, factor),
                    scale(prob, factor));
        }

        private static double[] scale(double[] x, double f) {
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] *= f;
            }
            return y;
        }
    }

    /**
     * The bounds of a case (see the class comment and {@link Tolerances}).
     *
     * @param c the case
     * @return per-row bounds
     */
    public static Bounds bounds(AttentionCase c) {
        AttentionInputs in = c.inputs();
        int n = in.n();
        int d = in.d();
        boolean cosine = c.reference().kind() == EjmlAttention.Kind.COSINE;
        double maxK = cosine ? 1.0 : rowNormMax(in.k(), n, d);
        double maxV = in.maxAbsValue();
        double u = Tolerances.FLOAT_UNIT_ROUNDOFF;
        double[] h = new double[n];
        double[] lse = new double[n];
        double[] o = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            double f = c.spec().rowFactor(i, n);
            double qn = cosine ? 1.0 : rowNorm(in.q(), i, d);
            double content = cosine ? c.reference().scale() : 1.0 / Math.sqrt(d);
            double magnitude = f * (content * qn * maxK + c.reference().alibiSlope() * (n - 1));
            double dz = Tolerances.logit(d, c.maxPosition(), magnitude);
            h[i] = Tolerances.entropy(n, dz, magnitude) + u * Math.log(n) + u;
            lse[i] = dz + Tolerances.gamma(n + 4L) + 2 * u * (magnitude + Math.log(n)) + u;
            o[i] = Tolerances.output(n, dz, maxV) + u * maxV;
            p[i] = 2 * (dz + Tolerances.FLOAT_TRANSCENDENTAL_ERROR) + Tolerances.gamma(n + 4L) + u;
        }
        return new Bounds(h, lse, o, p);
    }

    /**
     * Run a kernel on a case.
     *
     * @param kernel the kernel
     * @param c the case
     * @param withProbs whether to return probabilities
     * @return the output
     */
    public static AttentionOutput run(AttentionKernel kernel, AttentionCase c, boolean withProbs) {
        AttentionInputs in = c.inputs();
        AttentionOutput out = AttentionOutput.allocate(in.n(), in.dv(), withProbs);
        kernel.attend(c.spec(), in.q(), in.k(), in.v(), in.n(), in.d(), in.dv(), out);
        return out;
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
        AttentionOutput out = run(kernel, c, withProbs);
        EjmlAttention.Result ref = EjmlAttention.attend(c.reference(), in.q(), in.k(), in.v(), in.n(), in.d(),
                in.dv());
        Bounds b = bounds(c);
        String who = "kernel " + kernel.name() + " vs the EJML double-precision reference";
        int n = in.n();
        int dv = in.dv();
        for (int i = 0; i < n; i++) {
            compare(who, c, i, "entropy", out.entropy()[i], ref.entropy()[i], b.entropy()[i]);
            compare(who, c, i, "logSumExp", out.logSumExp()[i], ref.logSumExp()[i], b.logSumExp()[i]);
            for (int col = 0; col < dv; col++) {
                compare(who, c, i, "o[" + col + "]", out.o()[i * dv + col], ref.o()[i * dv + col], b.output()[i]);
            }
            if (withProbs) {
                for (int j = 0; j < n; j++) {
                    compare(who, c, i, "p[" + j + "]", out.probs()[i * n + j], ref.probs()[i * n + j], b.prob()[i]);
                }
            }
        }
        return out;
    }

    /**
     * Compare two kernels on a case, each held to the float bounds (so twice the bound between them).
     *
     * @param a first kernel
     * @param b second kernel
     * @param c the case
     * @throws AssertionError naming the first row and quantity out of tolerance
     */
    public static void assertKernelsAgree(AttentionKernel a, AttentionKernel b, AttentionCase c) {
        AttentionOutput x = run(a, c, true);
        AttentionOutput y = run(b, c, true);
        assertOutputsClose("kernel " + a.name() + " vs kernel " + b.name(), c, x, y, bounds(c).times(2));
    }

    /**
     * Compare two outputs row by row.
     *
     * @param who what is compared (for the message)
     * @param c the case (for the message and the sizes)
     * @param x first output
     * @param y second output
     * @param b bounds on the difference
     * @throws AssertionError naming the first row and quantity out of tolerance
     */
    public static void assertOutputsClose(String who, AttentionCase c, AttentionOutput x, AttentionOutput y,
            Bounds b) {
        int n = c.inputs().n();
        int dv = c.inputs().dv();
        for (int i = 0; i < n; i++) {
            compare(who, c, i, "entropy", x.entropy()[i], y.entropy()[i], b.entropy()[i]);
            compare(who, c, i, "logSumExp", x.logSumExp()[i], y.logSumExp()[i], b.logSumExp()[i]);
            for (int col = 0; col < dv; col++) {
                compare(who, c, i, "o[" + col + "]", x.o()[i * dv + col], y.o()[i * dv + col], b.output()[i]);
            }
            if (x.probs() != null && y.probs() != null) {
                for (int j = 0; j < n; j++) {
                    compare(who, c, i, "p[" + j + "]", x.probs()[i * n + j], y.probs()[i * n + j], b.prob()[i]);
                }
            }
        }
    }

    /**
     * Fail unless {@code |got - expected| <= tol} (equal infinities pass; NaN never does).
     *
     * @param who what is compared
     * @param c the case
     * @param row the row
     * @param what the quantity
     * @param got first value
     * @param expected second value
     * @param tol tolerance
     */
    public static void compare(String who, Object c, int row, String what, double got, double expected,
            double tol) {
        boolean same = got == expected || Math.abs(got - expected) <= tol;
        if (!same) {
            throw new AssertionError(String.format(
                    "%s: row %d, %s: %.9g vs %.9g, |difference| %.3g > tolerance %.3g; case: %s",
                    who, row, what, got, expected, Math.abs(got - expected), tol, c));
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

    private static double rowNormMax(float[] x, int n, int d) {
        double m = 0;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, rowNorm(x, j, d));
        }
        return m;
    }
}
