package org.isentropic.kernels.fused;

import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.Checks;

/**
 * The results of one multi-head call: an {@link AttentionOutput} per query head (o: n x dv, entropy and
 * logsumexp per row, probabilities on request), allocated once and overwritten by every call.
 */
public final class MultiHeadOutput {

    private final AttentionOutput[] perHead;

    private MultiHeadOutput(AttentionOutput[] perHead) {
        this.perHead = perHead;
    }

    /** Outputs for {@code heads} heads of n rows and dv values; n x n probabilities per head if withProbs. */
    public static MultiHeadOutput allocate(int heads, int n, int dv, boolean withProbs) {
        Checks.atLeastOne("heads", heads);
        AttentionOutput[] a = new AttentionOutput[heads];
        for (int h = 0; h < heads; h++) {
            a[h] = AttentionOutput.allocate(n, dv, withProbs);
        }
        return new MultiHeadOutput(a);
    }

    public int heads() {
        return perHead.length;
    }

    /** Head h's output (0 &lt;= h &lt; heads). */
    public AttentionOutput head(int h) {
        return perHead[h];
    }
}
