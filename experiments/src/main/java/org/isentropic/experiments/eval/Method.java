package org.isentropic.experiments.eval;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.Positions;

/**
 * The length-extrapolation methods (docs/method.md), as changes to the spec a checkpoint was trained
 * with, for training length N, built by name from the kernels' registries ({@link Positions#parse},
 * {@link Mask#parse}; parameters as {@code isentropic attend} spells them). Rows whose id ends in
 * {@code -reference} reproduce the reference implementation's arithmetic (docs/method.md, the reference
 * code's quirks), which is <em>not</em> the method its name says;
 * they are labelled so. The reference's LM-Infinite branch never runs (a misspelled name selects plain
 * RoPE), so its number is the {@link #ROPE} row; the report says so instead of recomputing it.
 */
public enum Method {
    ROPE("RoPE"),
    /** Position interpolation: positions divided by n/N. */
    PI("PI"),
    /** The reference code's PI: angles multiplied by n/N (not PI). */
    PI_REFERENCE("PI as the reference code computes it (angles x n/N)"),
    NTK("NTK"),
    /** YaRN: NTK-by-parts frequencies and its own logit factor (0.1 ln(n/N) + 1)^2. */
    YARN("YaRN"),
    /** ReRoPE, window N/2. */
    REROPE_HALF("ReRoPE w=N/2"),
    /** ReRoPE, window N. */
    REROPE("ReRoPE w=N"),
    /** The reference code's ReRoPE with its default window 64 (halves-vs-interleaved product outside). */
    REROPE_REFERENCE("ReRoPE as the reference code computes it, w=64"),
    /** The same with w = N/2. */
    REROPE_REFERENCE_HALF("ReRoPE as the reference code computes it, w=N/2"),
    /** StreamingLLM: window N (keys with |i - j| &lt; N) plus 4 sink tokens. */
    STREAMING("StreamingLLM"),
    /** LM-Infinite: Lambda mask (5 sinks + window N: |i - j| &lt; N) and relative distances capped at N - 1. */
    LM_INFINITE("LM-Infinite"),
    /** Windowed attention: half-width N/2 (keys with |i - j| &lt;= N/2). */
    WINDOW("Windowed w=N/2"),
    /** ALiBi on the RoPE-trained checkpoint, as the paper does (no ALiBi-trained model). */
    ALIBI("ALiBi (on a RoPE-trained model)");

    /** The reference code's default ReRoPE window. */
    public static final int REFERENCE_REROPE_WINDOW = 64;

    private final String label;

    Method(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True when the method masks keys, so that a temperature's n-mode {@code visible} differs. */
    public boolean masking() {
        return switch (this) {
            case STREAMING, LM_INFINITE, WINDOW -> true;
            case ROPE, PI, PI_REFERENCE, NTK, YARN, REROPE_HALF, REROPE, REROPE_REFERENCE, REROPE_REFERENCE_HALF,
                    ALIBI -> false;
        };
    }

    /** The method whose {@link #id} is {@code id}. */
    public static Method parse(String id) {
        for (Method v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; one of " + java.util.Arrays.stream(values())
                .map(Method::id).toList());
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The spec change for training length N, RoPE base and query/key width d. */
    public UnaryOperator<AttentionSpec> apply(int trainLength, double base, int d) {
        return switch (this) {
            case ROPE -> s -> s;
            case PI -> positions("pi", Map.of("rope-base", base, "train-length", trainLength));
            case PI_REFERENCE -> positions("pi-reference", Map.of("rope-base", base, "train-length", trainLength));
            case NTK -> positions("ntk", Map.of("rope-base", base, "train-length", trainLength));
            case YARN -> positions("yarn", Map.of("rope-base", base, "train-length", trainLength));
            case REROPE_HALF -> positions("rerope", Map.of("rope-base", base, "window", trainLength / 2));
            case REROPE -> positions("rerope", Map.of("rope-base", base, "window", trainLength));
            case REROPE_REFERENCE ->
                    positions("rerope-reference", Map.of("rope-base", base, "window", REFERENCE_REROPE_WINDOW));
            case REROPE_REFERENCE_HALF ->
                    positions("rerope-reference", Map.of("rope-base", base, "window", trainLength / 2));
            case STREAMING -> mask("streaming", Map.of("sinks", 4, "window", trainLength));
            case LM_INFINITE -> mask("lambda", Map.of("sinks", 5, "window", trainLength));
            case WINDOW -> mask("window", Map.of("half-width", trainLength / 2));
            case ALIBI -> positions("alibi", Map.of("slope", 1.0 / 256 / Math.sqrt(d)));
        };
    }

    private static UnaryOperator<AttentionSpec> positions(String scheme, Map<String, Number> parameters) {
        return s -> s.withPositions(Positions.parse(scheme, parameters::get));
    }

    private static UnaryOperator<AttentionSpec> mask(String name, Map<String, Number> parameters) {
        return s -> s.withMask(Mask.parse(name, parameters::get));
    }
}
