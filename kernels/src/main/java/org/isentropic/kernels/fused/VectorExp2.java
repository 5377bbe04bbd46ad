package org.isentropic.kernels.fused;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 2^x on float vectors from adds, fused multiply-adds and integer ops only, so that it gives the same bits
 * whether the Vector API runs compiled or interpreted ({@code lanewise(EXP)} calls a vendor library when
 * compiled and {@code Math.exp} per lane otherwise, which can differ in the last bit; split-K decode promises
 * the same bits for every thread count, docs/performance.md). x = n + f with n the nearest integer, 2^f by
 * its Taylor polynomial of degree 6 (relative error about 1.2e-7 at f = +-0.5), 2^n added to the exponent
 * field. Loaded only with jdk.incubator.vector.
 *
 * <p>Internal: public only so that the decode kernel's SIMD path (the decode package) shares
 * it; not part of the library's API, and it may change without notice.
 */
public final class VectorExp2 {

    // Taylor coefficients ln2^k / k! of 2^f.
    private static final float C1 = 0.6931471805599453f;
    private static final float C2 = 0.2402265069591007f;
    private static final float C3 = 0.05550410866482158f;
    private static final float C4 = 0.009618129107628477f;
    private static final float C5 = 0.0013333558146428443f;
    private static final float C6 = 1.5403530393381606e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer (in its low mantissa bits). */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;

    /** The smallest argument: callers clamp x to [FLOOR, 0] so that 2^n stays a normal float. */
    public static final float FLOOR = -126f;

    private VectorExp2() {
    }

    /** 2^x for every lane, x in [{@link #FLOOR}, 0]. */
    public static FloatVector exp2(FloatVector x) {
        FloatVector t = x.add(ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector f = x.sub(n);
        FloatVector p = f.fma(C6, C5).fma(f, x.broadcast(C4)).fma(f, x.broadcast(C3)).fma(f, x.broadcast(C2))
                .fma(f, x.broadcast(C1)).fma(f, x.broadcast(1f));
        IntVector e = t.reinterpretAsInts().sub(ROUND_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(e).reinterpretAsFloats();
    }
}
