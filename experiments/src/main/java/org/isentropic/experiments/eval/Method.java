package org.isentropic.experiments.eval;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.Mask;
import org.isentropic.kernels.Positions;

/**
 * The length-extrapolation methods (digest section 5), as changes to the spec a checkpoint was trained
 * with, for training length N. Rows whose id ends in {@code -reference} reproduce the reference
 * implementation's arithmetic (digest section 5, "Quirks"), which is <em>not</em> the method its name says;
 * they are labelled so. The reference's LM-Infinite branch never runs (a misspelled name selects plain
 * RoPE), so its number is the {@link #ROPE} row; the report says so instead of recomputing it.
 */
public enum Method {
    ROPE("RoPE", false),
    /** Position interpolation: positions divided by n/N. */
    PI("PI", false),
    /** The reference code's PI: angles multiplied by n/N (not PI). */
    PI_REFERENCE("PI as the reference code computes it (angles x n/N)", false),
    NTK("NTK", false),
    /** YaRN: NTK-by-parts frequencies and its own logit factor (0.1 ln(n/N) + 1)^2. */
    YARN("YaRN", false),
    /** ReRoPE, window N/2. */
    REROPE_HALF("ReRoPE w=N/2", false),
    /** ReRoPE, window N. */
    REROPE("ReRoPE w=N", false),
    /** The reference code's ReRoPE with its default window 64 (halves-vs-interleaved product outside). */
    REROPE_REFERENCE("ReRoPE as the reference code computes it, w=64", false),
    /** The same with w = N/2. */
    REROPE_REFERENCE_HALF("ReRoPE as the reference code computes it, w=N/2", false),
    /** StreamingLLM: |i - j| <= N - 1 plus 4 sink tokens. */
    STREAMING("StreamingLLM", true),
    /** LM-Infinite: Lambda mask (5 sinks + window N) and relative distances capped at N - 1. */
    LM_INFINITE("LM-Infinite", true),
    /** Windowed attention: |i - j| <= N/2. */
    WINDOW("Windowed w=N/2", true),
    /** ALiBi on the RoPE-trained checkpoint, as the paper does (no ALiBi-trained model). */
    ALIBI("ALiBi (on a RoPE-trained model)", false);

    /** The reference code's default ReRoPE window. */
    public static final int REFERENCE_REROPE_WINDOW = 64;

    private final String label;
    private final boolean masking;

    Method(String label, boolean masking) {
        this.label = label;
        this.masking = masking;
    }

    public String label() {
        return label;
    }

    /** True when the method masks keys, so that a temperature's n-mode {@code visible} differs. */
    public boolean masking() {
        return masking;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Method of(String id) {
        for (Method m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Method m : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(m.id());
        }
        throw new IllegalArgumentException("method must be one of " + known + "; got " + id);
    }

    /** The spec change for training length N, RoPE base and query/key width d. */
    public UnaryOperator<AttentionSpec> apply(int trainLength, double base, int d) {
        return switch (this) {
            case ROPE -> s -> s;
            case PI -> s -> s.withPositions(Positions.pi(base, trainLength));
            case PI_REFERENCE -> s -> s.withPositions(Positions.piReference(base, trainLength));
            case NTK -> s -> s.withPositions(Positions.ntk(base, trainLength));
            case YARN -> s -> s.withPositions(Positions.yarn(base, trainLength));
            case REROPE_HALF -> s -> s.withPositions(Positions.rerope(base, trainLength / 2));
            case REROPE -> s -> s.withPositions(Positions.rerope(base, trainLength));
            case REROPE_REFERENCE -> s -> s.withPositions(Positions.reropeReference(base, REFERENCE_REROPE_WINDOW));
            case REROPE_REFERENCE_HALF -> s -> s.withPositions(Positions.reropeReference(base, trainLength / 2));
            case STREAMING -> s -> s.withMask(Mask.streaming(4, trainLength));
            case LM_INFINITE -> s -> s.withMask(Mask.lambda(5, trainLength));
            case WINDOW -> s -> s.withMask(Mask.window(trainLength / 2));
            case ALIBI -> s -> s.withPositions(Positions.alibi(1.0 / 256 / Math.sqrt(d)));
        };
    }
}
