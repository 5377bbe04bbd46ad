package org.isentropic.kernels.spec;

/**
 * Which n a length-dependent temperature rule sees for query row i (0-based) of a sequence of n tokens.
 * The paper's reference implementation uses the sequence length for every row, even under sliding-window
 * masks (docs/method.md, the reference code's quirks); the other two choices are the ones a careful reader would consider.
 */
public enum NMode {
    /** n = the sequence length (number of keys), the same for every row: the reference implementation. */
    SEQUENCE,
    /** n = the number of keys row i can see under the mask (i + 1 when causal, about 2w + 1 in a window). */
    VISIBLE,
    /** n = i + 1, the 1-based position of the query (Qwen's logn, Llama 4 style). */
    POSITION
}
