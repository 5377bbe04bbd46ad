package org.isentropic.benchmarks.attention;

import java.util.Locale;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;

/**
 * The check every benchmark runs in its setup before it measures: its output agrees with the reference
 * kernel's (double precision) on the same problem.
 *
 * <p>Tolerance, from float rounding (eps = 2^-23, one ulp at 1, which also covers exp implementations
 * accurate to 1 ulp), with Z the largest possible |logit|
 * ({@link AttentionCase#logitBound()}):
 * <ul>
 *   <li>a logit accumulated over d products in float is off by about {@code sqrt(d) eps Z} (rounding
 *       errors of a sum of d terms grow like sqrt(d) on random inputs); a probability then has relative
 *       error about twice that, plus a few eps for exp and the normalisation;</li>
 *   <li>the output adds the accumulation of n weighted values, about {@code sqrt(n) eps max|v|};</li>
 *   <li>the entropy {@code H = logsumexp - sum p z} adds the relative error of its sums times Z.</li>
 * </ul>
 * So {@code |o - o_ref| <= S eps max|v| (2 sqrt(d) Z + 4 + sqrt(n))} and
 * {@code |H - H_ref| <= S eps (2 sqrt(d) Z + (4 + sqrt(n)) max(1, Z))}, with the safety factor
 * {@link #SAFETY} = 8 for worst cases beyond the random-walk estimate. Z is the Cauchy-Schwarz bound,
 * not the largest logit that occurs, so the tolerance is a worst case: on the benchmark inputs the
 * errors of the fused kernel and of both baselines are 100 to 1000 times smaller (about 1e-6 for dot
 * logits at n = 512 and 2048). This is a gate that keeps a wrong result from being timed (a wrong mask,
 * scale or normalisation changes o and H by 1e-2 or more); the fine comparison of the kernels is the
 * job of the kernels' and verification's tests.
 */
public final class Agreement {

    /** Float machine epsilon, 2^-23. */
    public static final double FLOAT_EPS = Math.ulp(1.0f);

    /** Safety factor over the random-walk error estimate (see the class comment). */
    public static final double SAFETY = 8;

    private Agreement() {
    }

    /** Tolerance for |o - o_ref| (see the class comment). */
    public static double outputTolerance(AttentionCase c) {
        return SAFETY * FLOAT_EPS * maxAbs(c.v()) * (2 * Math.sqrt(c.d()) * c.logitBound() + 4 + Math.sqrt(c.n()));
    }

    /** Tolerance for |H - H_ref| in nats (see the class comment). */
    public static double entropyTolerance(AttentionCase c) {
        double z = c.logitBound();
        return SAFETY * FLOAT_EPS * (2 * Math.sqrt(c.d()) * z + (4 + Math.sqrt(c.n())) * Math.max(1, z));
    }

    /**
     * Throws unless {@code o} (and {@code entropy}, when not null) agree with the reference kernel on
     * the case.
     *
     * @param what    the implementation, for the message
     * @param o       n x dv output
     * @param entropy per-row entropies, or null when the implementation did not compute them
     * @throws IllegalStateException naming the first element outside the tolerance
     */
    public static void check(String what, AttentionCase c, float[] o, float[] entropy) {
        check(what, c, c.reference(), o, entropy);
    }

    /** One call of an implementation that writes its output (n x dv) and row entropies into given arrays. */
    @FunctionalInterface
    public interface Call {
        void attend(AttentionCase c, float[] o, float[] entropy);
    }

    /** Runs {@code call} on the case into fresh arrays and checks its output and entropies. */
    public static void check(String what, AttentionCase c, Call call) {
        float[] o = new float[c.n() * c.dv()];
        float[] entropy = new float[c.n()];
        call.attend(c, o, entropy);
        check(what, c, o, entropy);
    }

    /**
     * Runs the kernel on the case and checks its output, and its entropies when {@code withEntropy} (a kernel
     * configured without the entropy reports NaN there).
     */
    public static void check(AttentionKernel kernel, AttentionCase c, boolean withEntropy) {
        AttentionOutput out = AttentionOutput.allocate(c.n(), c.dv(), false);
        kernel.attend(c.spec(), c.q(), c.k(), c.v(), c.n(), c.d(), c.dv(), out);
        check(kernel.name(), c, out.o(), withEntropy ? out.entropy() : null);
    }

    /** As {@link #check(String, AttentionCase, float[], float[])} with a reference output computed before. */
    public static void check(String what, AttentionCase c, AttentionOutput ref, float[] o, float[] entropy) {
        compare(what + " output", c, ref.o(), o, c.n() * c.dv(), outputTolerance(c));
        if (entropy != null) {
            compare(what + " entropy", c, ref.entropy(), entropy, c.n(), entropyTolerance(c));
        }
    }

    /**
     * Throws unless one output row ({@code dv} values) and its entropy agree with row {@code row} of the
     * reference kernel's result on the case (same tolerances).
     */
    public static void checkRow(String what, AttentionCase c, AttentionOutput ref, int row, float[] o,
                                float entropy) {
        compare(what + " output row " + row, c, ref.o(), row * c.dv(), o, 0, c.dv(), outputTolerance(c));
        compare(what + " entropy of row " + row, c, ref.entropy(), row, new float[] {entropy}, 0, 1,
                entropyTolerance(c));
    }

    private static void compare(String what, AttentionCase c, float[] expected, float[] actual, int count,
                                double tol) {
        compare(what, c, expected, 0, actual, 0, count, tol);
    }

    private static void compare(String what, AttentionCase c, float[] expected, int expectedOffset, float[] actual,
                                int actualOffset, int count, double tol) {
        if (actual.length < actualOffset + count) {
            throw new IllegalStateException(what + ": expected " + count + " values, got " + actual.length);
        }
        for (int i = 0; i < count; i++) {
            double err = Math.abs((double) actual[actualOffset + i] - expected[expectedOffset + i]);
            if (!(err <= tol)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s disagrees with the reference kernel at index %d (%s): %.8g vs %.8g, |error| %.3g > "
                                + "tolerance %.3g", what, i, c, actual[actualOffset + i], expected[expectedOffset + i],
                        err, tol));
            }
        }
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
