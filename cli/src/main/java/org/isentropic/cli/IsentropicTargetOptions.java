package org.isentropic.cli;

import java.util.Locale;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.spec.IsentropicTarget;
import picocli.CommandLine.Option;

/**
 * The target of {@code --rule isentropic} ({@code --reference}, {@code --target-entropy},
 * {@code --tolerance}): the entropy each row keeps, solved for a temperature per row.
 */
public final class IsentropicTargetOptions {

    @Option(names = "--reference", paramLabel = "SET",
            description = "With --rule isentropic, row i's target entropy: window (its entropy at factor 1 over the"
                    + " N = --train-length keys [i - N/2, i + N/2), clipped to the sequence), causal-window (over the"
                    + " last N keys up to i) or value (--target-entropy for every row). Default: causal-window under"
                    + " --mask causal or --causal, else window.")
    String reference;

    @Option(names = "--target-entropy", paramLabel = "H",
            description = "With --reference value: the target entropy in nats, >= 0.")
    Double targetEntropy;

    @Option(names = "--tolerance", paramLabel = "NATS",
            description = "With --rule isentropic: |H_i - target_i| allowed (default: 1e-3).")
    Double tolerance;

    /** Refuses these options when no isentropic rule reads them. */
    void requireUnused() {
        if (reference != null || targetEntropy != null || tolerance != null) {
            throw new UserInputException((reference != null ? "--reference" : targetEntropy != null
                    ? "--target-entropy" : "--tolerance") + ": only with --rule isentropic");
        }
    }

    /** The target the options describe, over windows of {@code trainLength} keys; causal for a causal mask. */
    IsentropicTarget target(boolean causal, int trainLength) {
        String ref = reference == null ? (causal ? "causal-window" : "window") : reference.toLowerCase(Locale.ROOT);
        IsentropicTarget t;
        switch (ref) {
            case "window":
            case "causal-window":
                if (targetEntropy != null) {
                    throw new UserInputException("--target-entropy: only with --reference value");
                }
                OptionChecks.inRange("--train-length", trainLength, 1, Integer.MAX_VALUE);
                t = ref.equals("window") ? IsentropicTarget.window(trainLength) : IsentropicTarget.causalWindow(trainLength);
                break;
            case "value":
                if (targetEntropy == null) {
                    throw new UserInputException("--reference: value needs --target-entropy H");
                }
                t = IsentropicTarget.value(OptionChecks.nonNegative("--target-entropy", targetEntropy));
                break;
            default:
                throw new UserInputException("--reference: unknown value '" + reference
                        + "' (known: window, causal-window, value)");
        }
        if (tolerance != null) {
            t = t.withTolerance(OptionChecks.positive("--tolerance", tolerance));
        }
        return t;
    }
}
