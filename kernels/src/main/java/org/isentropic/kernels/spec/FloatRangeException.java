package org.isentropic.kernels.spec;

/**
 * A call on finite inputs whose result does not fit in float32: the kernels compute logits and the
 * weighted sum of values in float, so logits beyond about 3.4e38 (q and k near 1e20, or a cosine scale
 * near the float maximum) or values near the float maximum summed over keys overflow. Rather than return
 * -Infinity, NaN or Infinity as if it were a result, the kernel throws this, naming the row and which
 * input overflowed.
 */
public final class FloatRangeException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** What overflowed. */
    public enum Source {
        /** The logits f_i (c g q.k + bias): the logsumexp or the entropy of a row is not finite. */
        LOGITS,
        /** The weighted sum of v: the output row is not finite although its logsumexp is. */
        VALUES
    }

    private final Source source;
    private final int row;

    FloatRangeException(Source source, int row, String message) {
        super(message);
        this.source = source;
        this.row = row;
    }

    public Source source() {
        return source;
    }

    /** The first row whose result is not finite. */
    public int row() {
        return row;
    }

    /** The same refusal for query head h of a multi-head call, its message starting "head h, ". */
    public FloatRangeException inHead(int h) {
        FloatRangeException e = new FloatRangeException(source, row, "head " + h + ", " + getMessage());
        e.initCause(this);
        return e;
    }
}
