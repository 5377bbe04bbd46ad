package org.isentropic.cli;

import java.util.Locale;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.spec.AttentionSpec;
import picocli.CommandLine.Option;

/**
 * The logits of attention ({@code --logits}, {@code --cos-scale}): dot products {@code q.k/sqrt(d)} or
 * CosScale's {@code s cos(q, k)} (docs/method.md), with the paper's {@code s = 128} by default.
 */
public final class LogitOptions {

    /** CosScale's s when {@code --cos-scale} is not given: the scale of the paper's trained models. */
    static final double DEFAULT_COS_SCALE = 128;

    @Option(names = "--logits", defaultValue = "dot", paramLabel = "KIND",
            description = "dot (q.k/sqrt(d)) or cosine (s cos(q, k), CosScale) (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--cos-scale", paramLabel = "S",
            description = "CosScale's s for --logits cosine, finite and > 0 (default: 128).")
    Double cosScale;

    /** The spec of these logits (no positions, no mask, no rule). */
    AttentionSpec spec() {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "dot":
                if (cosScale != null) {
                    throw new UserInputException("--cos-scale: only with --logits cosine");
                }
                return AttentionSpec.dot();
            case "cosine":
                return AttentionSpec.cosine(OptionChecks.positive("--cos-scale",
                        cosScale == null ? DEFAULT_COS_SCALE : cosScale));
            default:
                throw new UserInputException("--logits: unknown value '" + kind + "' (known: dot, cosine)");
        }
    }
}
