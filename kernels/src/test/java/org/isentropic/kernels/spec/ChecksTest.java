package org.isentropic.kernels.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Checks#finite}'s branch-free scan: every bad value at every place is found and named, nothing else. */
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

    private static float[] values(int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) Math.sin(i) * 3f;
        }
        return a;
    }
}
