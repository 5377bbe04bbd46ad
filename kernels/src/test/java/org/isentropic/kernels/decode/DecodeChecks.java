package org.isentropic.kernels.decode;

import org.isentropic.kernels.Agreement;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;

/** Checks of a decode step's row against the reference kernel's last row, with {@link Agreement}'s float tolerances. */
final class DecodeChecks {

    private DecodeChecks() {
    }

    /**
     * The row (o from oOff, entropy h, logsumexp lse) of a step over n tokens agrees with row n - 1 of the
     * reference over the first n rows of q, k, v under {@code spec} (per-row temperatures of length n). The
     * tolerance is {@link Agreement}'s with the splits as its tiles: float logits, per-split float sums merged
     * in double.
     */
    static void lastRow(String label, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
                        float[] o, int oOff, float h, double lse) {
        AttentionOutput expect = AttentionOutput.allocate(n, dv, false);
        AttentionKernels.reference().attend(spec, q, k, v, n, d, dv, expect);
        AttentionOutput actual = AttentionOutput.allocate(n, dv, false);
        System.arraycopy(o, oOff, actual.o(), (n - 1) * dv, dv);
        actual.entropy()[n - 1] = h;
        actual.logSumExp()[n - 1] = (float) lse;
        Agreement.check(label, spec, q, k, v, n, d, dv, expect, actual, DecodeStep.SPLIT_KEYS, n - 1);
    }

    /** As above over the whole of a single-head problem, the row (o, h, lse) a step gave for its last query. */
    static void lastRow(String label, AttentionSpec spec, RandomProblem p, float[] o, float h, double lse) {
        lastRow(label, spec, p.q(), p.k(), p.v(), p.n(), p.d(), p.dv(), o, 0, h, lse);
    }

    /** Appends every key and value of a single-head problem to the step's cache, in order. */
    static void appendAll(DecodeStep step, RandomProblem p) {
        for (int j = 0; j < p.n(); j++) {
            step.append(p.k(), j * p.d(), p.v(), j * p.dv());
        }
    }
}
