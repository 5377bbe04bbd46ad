package org.isentropic.kernels.spec;

/**
 * Computes attention with the row entropy: for every query row i, the softmax over visible keys of the
 * logits the {@link AttentionSpec} defines, the weighted sum of values, H_i and logsumexp_i.
 *
 * <p>Layout: {@code q[i*d + c]} (n x d), {@code k[j*d + c]} (n x d), {@code v[j*dv + c]} (n x dv); the
 * results go to {@code out} (allocated for n and dv). Inputs are never modified.
 */
public interface AttentionKernel {

    /**
     * @throws IllegalArgumentException on NaN/Inf in q, k or v (naming the array and index), on arrays
     *                                  shorter than the sizes say, n, d or dv &lt; 1, d odd under rotary
     *                                  positions, or an output of other sizes
     * @throws FloatRangeException      when finite inputs give a result that does not fit in float32 (logits
     *                                  or the weighted sum of values overflow): never a silent -inf, NaN or inf
     */
    void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out);

    /** A short name for logs and benchmark tables. */
    String name();
}
