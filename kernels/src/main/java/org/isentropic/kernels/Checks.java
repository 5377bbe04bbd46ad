package org.isentropic.kernels;

/** Argument checks shared by every kernel (so that each reports bad input the same way). */
final class Checks {

    private Checks() {
    }

    static void call(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        spec.check(n, d);
        if (spec.isentropic() != null) {
            throw new IllegalArgumentException("the spec has an isentropic target: run it with "
                    + "AttentionKernels.isentropic(kernel)");
        }
        if (dv < 1) {
            throw new IllegalArgumentException("dv must be >= 1, got " + dv);
        }
        array("q", q, (long) n * d);
        array("k", k, (long) n * d);
        array("v", v, (long) n * dv);
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        out.checkFits(n, dv);
    }

    static void array(String name, float[] a, long length) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < length) {
            throw new IllegalArgumentException(name + " has " + a.length + " values, need " + length);
        }
        finite(name, a, (int) length);
    }

    static void finite(String name, float[] a, int length) {
        for (int i = 0; i < length; i++) {
            float x = a[i];
            if (x != x || Float.isInfinite(x)) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + x + " (must be finite)");
            }
        }
    }
}
