package org.isentropic.kernels.fused;

import static org.isentropic.kernels.OpInputs.failure;
import static org.isentropic.kernels.OpInputs.sameBits;
import static org.isentropic.kernels.OpInputs.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isentropic.kernels.OpErrorBounds;
import org.isentropic.kernels.OpInputs;

/**
 * {@link VectorExp2} lane by lane against two scalar twins: {@code Math.pow(2, x)} within the polynomial's
 * derived bound ({@link OpErrorBounds#EXP2_POLYNOMIAL}), and {@link #sameAlgorithm}, the same steps in scalar
 * float arithmetic (coefficients computed here from ln2^k / k!), which the vector code must match bit for bit
 * (every step is an IEEE add, fused multiply-add or integer op, so the lane width cannot change a bit); and
 * exactly 2^x at the integers. Arguments cover the domain [FLOOR, 0]: the integers, the halves (|f| = 1/2,
 * where the truncation is largest), random values, values near 0 (subnormal, -0, 0) and near the floor; and
 * arrays whose lengths are not multiples of the vector width.
 */
public final class Exp2Checks {

    /** 2^x lane by lane for every x of the array (x in [FLOOR, 0]). */
    public interface Exp2Op {
        void apply(float[] x, float[] out);
    }

    private static final double LN2 = Math.log(2);
    private static final float C1 = coefficient(1);
    private static final float C2 = coefficient(2);
    private static final float C3 = coefficient(3);
    private static final float C4 = coefficient(4);
    private static final float C5 = coefficient(5);
    private static final float C6 = coefficient(6);
    /** 1.5 x 2^23: adding it rounds a float below 2^22 in magnitude to an integer. */
    private static final float ROUND = 0x1.8p23f;

    private Exp2Checks() {
    }

    /** The Taylor coefficient ln2^k / k! of 2^f, rounded to float. */
    static float coefficient(int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c *= LN2 / i;
        }
        return (float) c;
    }

    /**
     * VectorExp2's algorithm on one float: n = x rounded to the nearest integer (by adding and subtracting
     * 1.5 x 2^23), f = x - n, 2^f by Horner's rule in fused multiply-adds, n added to the exponent field.
     */
    static float sameAlgorithm(float x) {
        float t = x + ROUND;
        float n = t - ROUND;
        float f = x - n;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, C6, C5), f, C4), f, C3), f, C2), f, C1),
                f, 1f);
        int exponent = (Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND)) << 23;
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + exponent);
    }

    /** The twin as an operation. */
    static final Exp2Op SAME_ALGORITHM = (x, out) -> {
        for (int i = 0; i < x.length; i++) {
            out[i] = sameAlgorithm(x[i]);
        }
    };

    /** The arguments: an odd count, so no vector width divides it. */
    static float[] arguments() {
        SplittableRandom r = OpInputs.rng("VectorExp2.arguments");
        float[] x = new float[2 * 127 + 2048 + 256 + 13];
        int i = 0;
        for (int n = 0; n >= -126; n--) {
            x[i++] = n;
        }
        for (int n = 0; n < 126; n++) {
            x[i++] = -0.5f - n; // f = +-1/2
        }
        x[i++] = -125.5f;
        for (int k = 0; k < 2048; k++) {
            x[i++] = (float) (-126 * r.nextDouble());
        }
        for (int k = 0; k < 256; k++) {
            x[i++] = (float) (-r.nextDouble() * Math.pow(10, -1 - 6 * r.nextDouble())); // near 0
        }
        float[] edges = {-0f, 0f, -Float.MIN_VALUE, -1e-40f, -Float.MIN_NORMAL, Math.nextDown(0f), VectorExp2.FLOOR,
            Math.nextUp(VectorExp2.FLOOR), -125.99999f, -0.49999997f, -0.50000006f, -1.4999999f, -64.5f};
        for (float e : edges) {
            x[i++] = e;
        }
        if (i != x.length) {
            throw new IllegalStateException("arguments: " + i + " of " + x.length);
        }
        return x;
    }

    private static float[] applied(Exp2Op op, float[] x) {
        float[] out = new float[x.length];
        Arrays.fill(out, OpInputs.SENTINEL);
        op.apply(x, out);
        return out;
    }

    /** |p - 2^x| &lt;= (EXP2_POLYNOMIAL + 2 u_double) 2^x for every argument, and p a normal float. */
    static void withinBound(Exp2Op op) {
        float[] x = arguments();
        float[] p = applied(op, x);
        for (int i = 0; i < x.length; i++) {
            double exact = Math.pow(2, x[i]);
            within("VectorExp2 2^" + x[i], p[i], exact,
                    (OpErrorBounds.EXP2_POLYNOMIAL + 2 * OpErrorBounds.U_DOUBLE) * exact);
            if (!(Math.abs(p[i]) >= Float.MIN_NORMAL) || Float.isInfinite(p[i])) {
                throw failure("VectorExp2 2^" + x[i] + " = " + p[i] + " is not a normal float");
            }
        }
    }

    /**
     * Bit for bit the scalar steps of the same algorithm, on the arguments and on arrays of lengths 0, 1, 3, 17
     * and 33 (partial vectors at every width).
     */
    static void sameBitsAsScalarSteps(Exp2Op op) {
        float[] all = arguments();
        for (int length : new int[] {all.length, 0, 1, 3, 17, 33}) {
            float[] x = length == all.length ? all : Arrays.copyOfRange(all, all.length - length, all.length);
            float[] p = applied(op, x);
            for (int i = 0; i < x.length; i++) {
                sameBits("VectorExp2 2^" + x[i] + " (array of " + length + ")", p[i], sameAlgorithm(x[i]));
            }
        }
    }

    /** At an integer x, f = 0 and every step is exact: 2^x exactly. */
    static void exactAtIntegers(Exp2Op op) {
        float[] x = new float[127];
        for (int n = 0; n < x.length; n++) {
            x[n] = -n;
        }
        float[] p = applied(op, x);
        for (int n = 0; n < x.length; n++) {
            if (p[n] != Math.scalb(1f, -n)) {
                throw failure("VectorExp2 2^" + (-n) + " = " + p[n] + ", expected exactly " + Math.scalb(1f, -n));
            }
        }
    }
}
