package org.isentropic.experiments.eval;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.Mask;
import org.isentropic.kernels.Positions;

/**
 * The length-extrapolation methods of the paper's comparison (digest section 5), as changes to the spec a
 * layer was trained with (dot or cosine, RoPE(base), full bidirectional mask). N is the training length,
 * d the query/key width.
 */
public enum Method {
    /** Plain RoPE, nothing changed. */
    ROPE("RoPE"),
    /** Position interpolation: positions divided by n/N. */
    PI("PI"),
    /** NTK-aware: base multiplied by (n/N)^(d/(d-2)). */
    NTK("NTK"),
    /** YaRN: NTK-by-parts frequencies and its own logit factor (0.1 ln(n/N) + 1)^2. */
    YARN("YaRN"),
    /** ReRoPE with window w = N/2: relative positions |i-j| >= w use w - 1. */
    REROPE("ReRoPE"),
    /** StreamingLLM: |i - j| <= N - 1 plus 4 sink tokens. */
    STREAMING("StreamingLLM"),
    /** LM-Infinite: Lambda mask (5 sinks + window N) and relative distances capped at N - 1. */
    LM_INFINITE("LM-Infinite"),
    /** Windowed attention: |i - j| <= N/2 (about N keys per row, the count seen in training). */
    WINDOW("Windowed"),
    /**
     * ALiBi applied to the RoPE-trained checkpoint, as the paper does: RoPE removed, bias -m |i-j| with the
     * reference's one-head m = 1/256 added before the 1/sqrt(d) (kernel slope m / sqrt(d)).
     */
    ALIBI("ALiBi");

    private final String label;

    Method(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses an id (rope, pi, ntk, yarn, rerope, streaming, lm-infinite, window, alibi). */
    public static Method of(String id) {
        for (Method m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("method must be one of rope, pi, ntk, yarn, rerope, streaming, "
                + "lm-infinite, window, alibi; got " + id);
    }

    /** The spec change for training length N, RoPE base and query/key width d. */
    public UnaryOperator<AttentionSpec> apply(int trainLength, double base, int d) {
        return switch (this) {
            case ROPE -> s -> s;
            case PI -> s -> s.withPositions(Positions.pi(base, trainLength));
            case NTK -> s -> s.withPositions(Positions.ntk(base, trainLength));
            case YARN -> s -> s.withPositions(Positions.yarn(base, trainLength));
            case REROPE -> s -> s.withPositions(Positions.rerope(base, trainLength / 2));
            case STREAMING -> s -> s.withMask(Mask.streaming(4, trainLength));
            case LM_INFINITE -> s -> s.withMask(Mask.lambda(5, trainLength));
            case WINDOW -> s -> s.withMask(Mask.window(trainLength / 2));
            case ALIBI -> s -> s.withPositions(Positions.alibi(1.0 / 256 / Math.sqrt(d)));
        };
    }
}
