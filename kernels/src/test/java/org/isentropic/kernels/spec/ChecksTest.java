package org.isentropic.kernels.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Checks#finite}'s branch-free scan ({@link Checks#allFinite}): every bad value at every place is found and
 * named, nothing else.
 */
class ChecksTest {

    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private static final float[] EXTREME = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 1e-40f};

    @Test
    void aBadValueAnywhereIsNamedWithItsIndex() {
        for (int length = 1; length <= 41; length++) {
            for (int at = 0; at < length; at++) {
                for (float bad : BAD) {
                    float[] a = values(length);
                    a[at] = bad;
                    int index = at;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> Checks.finite("q", a, a.length), "length " + length + ", " + bad + " at " + at);
                    assertEquals("q[" + index + "] is " + bad + " (must be finite)", e.getMessage());
                }
            }
        }
    }

    @Test
    void theFirstOfSeveralBadValuesIsNamed() {
        float[] a = values(100);
        a[70] = Float.NaN;
        a[13] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checks.finite("k", a, 100));
        assertEquals("k[13] is Infinity (must be finite)", e.getMessage());
    }

    @Test
    void finiteExtremesPassAndValuesBeyondTheLengthAreNotRead() {
        for (int length = 0; length <= 41; length++) {
            float[] a = values(length + 3);
            for (int i = 0; i < length; i++) {
                a[i] = EXTREME[i % EXTREME.length];
            }
            Arrays.fill(a, length, a.length, Float.NaN);
            Checks.finite("v", a, length);
        }
    }

    @Test
    void aRangeScanSeesEveryNonFiniteBitPatternInsideItAndNothingOutside() {
        int[] badBits = {0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff,
            0xffffffff};
        for (int from = 0; from <= 5; from++) {
            for (int to = from; to <= from + 37; to++) {
                float[] a = values(to + 4);
                Arrays.fill(a, 0, from, Float.NaN);
                Arrays.fill(a, to, a.length, Float.POSITIVE_INFINITY);
                assertEquals(true, Checks.allFinite(a, from, to), "clean range " + from + ".." + to);
                for (int at = from; at < to; at++) {
                    for (int bits : badBits) {
                        float[] b = a.clone();
                        b[at] = Float.intBitsToFloat(bits);
                        assertEquals(false, Checks.allFinite(b, from, to),
                                Integer.toHexString(bits) + " at " + at + " in " + from + ".." + to);
                    }
                }
            }
        }
    }

    private static float[] values(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) Math.sin(i) * 3f;
        }
        return a;
    }
}
