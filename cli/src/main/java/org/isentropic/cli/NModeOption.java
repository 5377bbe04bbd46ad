package org.isentropic.cli;

import java.util.List;
import java.util.Locale;
import org.isentropic.kernels.spec.NMode;
import picocli.CommandLine.Option;

/**
 * The n a temperature rule sees ({@code --n-mode}), shared by the commands that apply a rule ({@code attend},
 * {@code conform}): the sequence length for every row, the keys the row sees, or the row's 1-based position.
 */
public final class NModeOption {

    private static final List<String> KNOWN = List.of("sequence", "visible", "position");

    @Option(names = "--n-mode", paramLabel = "MODE",
            description = "The n the rule sees: sequence (n for every row, the reference implementation), visible"
                    + " (the keys the row sees: i + 1 under causal) or position (i + 1) (default: position for"
                    + " per-position rules, qwen_logn and llama4, else sequence).")
    String value;

    /** Whether {@code --n-mode} was given. */
    boolean given() {
        return value != null;
    }

    /** The mode given, checked, or null when {@code --n-mode} was not given. */
    NMode orNull() {
        return value == null ? null
                : NMode.valueOf(OptionChecks.oneOf("--n-mode", value, KNOWN).toUpperCase(Locale.ROOT));
    }

    /** The mode given, else the rule's own: position for a per-position rule, sequence for the others. */
    NMode orDefault(boolean perPosition) {
        NMode mode = orNull();
        return mode != null ? mode : perPosition ? NMode.POSITION : NMode.SEQUENCE;
    }
}
