package org.isentropic.kernels.spec;

/**
 * Argument checks shared by every kernel (so that each reports bad input the same way).
 *
 * <p>Internal: public only so that the kernels in the other sub-packages
 * (reference, fused, isentropic, decode) can share it; not part of the library's API, and it may change
 * without notice.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value}, or an IllegalArgumentException "name must be >= 1, got value". */
    public static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    public static void call(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
            AttentionOutput out) {
        call(spec, q, k, v, n, d, dv, out, true);
    }

    /**
     * The checks of a call; with {@code scanInputs} false, q, k and v are checked for their length only and the
     * caller scans them for NaN and infinity before any work, with {@link #finiteRow}'s message (the fused
     * kernel's preparation, which reads q and k anyway: one pass over them from memory instead of two at large n,
     * at its tiles' vector width).
     */
    public static void call(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
            AttentionOutput out, boolean scanInputs) {
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
        if (scanInputs) {
            array("q", q, (long) n * d);
            array("k", k, (long) n * d);
            array("v", v, (long) n * dv);
        } else {
            length("q", q, (long) n * d);
            length("k", k, (long) n * d);
            length("v", v, (long) n * dv);
        }
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        out.checkFits(n, dv);
    }

    /** Multi-head decode does not solve per-row isentropic temperatures (yet): refuse rather than ignore. */
    public static void noIsentropicTarget(java.util.List<AttentionSpec> specs, String where) {
        for (AttentionSpec s : specs) {
            if (s != null && s.isentropic() != null) {
                throw new IllegalArgumentException(where + " does not solve isentropic targets; run each head with "
                        + "its own DecodeStep");
            }
        }
    }

    public static void array(String name, float[] a, long length) {
        length(name, a, length);
        finite(name, a, (int) length);
    }

    private static void length(String name, float[] a, long length) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < length) {
            throw new IllegalArgumentException(name + " has " + a.length + " values, need " + length);
        }
    }

    /** Refuses a NaN or infinity among the first {@code length} values. */
    static void finite(String name, float[] a, int length) {
        finiteRow(name, a, 0, length);
    }

    /**
     * Refuses a NaN or infinity in a[from .. to), naming the first as {@code name[index]}. Only a failed scan
     * ({@link #allFinite}) looks for the first bad index.
     */
    public static void finiteRow(String name, float[] a, int from, int to) {
        if (allFinite(a, from, to)) {
            return;
        }
        for (int j = from; j < to; j++) {
            if (!Float.isFinite(a[j])) {
                throw new IllegalArgumentException(name + "[" + j + "] is " + a[j] + " (must be finite)");
            }
        }
    }

    /**
     * Whether a[from .. to) holds no NaN or infinity, by a branch-free scan: x * 0 is (+-)0 for finite x and NaN
     * otherwise, so sums of those products stay 0 exactly when every value is finite; eight independent sums keep
     * the loop's additions from waiting on each other (a compare and branch per value took about a sixth of a fused
     * call at n = 256; an integer OR of the exponent bits, tried instead, was not compiled to vector instructions
     * and ran slower).
     */
    public static boolean allFinite(float[] a, int from, int to) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            s0 += a[i] * 0f;
            s1 += a[i + 1] * 0f;
            s2 += a[i + 2] * 0f;
            s3 += a[i + 3] * 0f;
            s4 += a[i + 4] * 0f;
            s5 += a[i + 5] * 0f;
            s6 += a[i + 6] * 0f;
            s7 += a[i + 7] * 0f;
        }
        for (; i < to; i++) {
            s0 += a[i] * 0f;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) == 0f;
    }

    /**
     * After a call on finite inputs: every row with a visible key must have a finite logsumexp, a finite
     * entropy (when computed) and a finite output. Rows with no visible key keep their documented result
     * (o = 0, entropy 0, logsumexp -infinity) and are not checked. O(n dv), no allocation. A kernel that checks
     * its rows as it writes them (the fused kernel) calls this only when one failed, for the error.
     *
     * @throws FloatRangeException naming the first row that overflowed float32 and the input responsible
     */
    public static void finiteResults(AttentionSpec spec, int n, int dv, AttentionOutput out, boolean entropy) {
        Mask mask = spec.mask();
        float[] lse = out.logSumExp();
        float[] h = out.entropy();
        float[] o = out.o();
        for (int i = 0; i < n; i++) {
            if (finiteResultRow(out, i, dv, entropy)) {
                continue;
            }
            if (Float.isFinite(lse[i]) && (!entropy || Float.isFinite(h[i]))) {
                for (int c = i * dv; c < i * dv + dv; c++) {
                    if (!Float.isFinite(o[c])) {
                        throw new FloatRangeException(FloatRangeException.Source.VALUES, i, "row " + i + ": output "
                                + o[c] + " from finite inputs: the weighted sum of v overflows float32 (values near"
                                + " the float maximum 3.4e38); scale v down");
                    }
                }
            } else if (mask.visibleCount(i, n) > 0) {
                throw new FloatRangeException(FloatRangeException.Source.LOGITS, i, "row " + i + ": logsumexp "
                        + lse[i] + ", entropy " + h[i] + " from finite inputs: the logits overflow float32 (beyond"
                        + " 3.4e38); scale q and k (or the cosine scale) down");
            }
        }
    }

    /**
     * Whether row i of a call's results is finite: its logsumexp, its entropy (when computed) and its output (a
     * row with no visible key is not: its logsumexp is -infinity).
     */
    private static boolean finiteResultRow(AttentionOutput out, int i, int dv, boolean entropy) {
        return Float.isFinite(out.logSumExp()[i]) && (!entropy || Float.isFinite(out.entropy()[i]))
                && allFinite(out.o(), i * dv, i * dv + dv);
    }
}
