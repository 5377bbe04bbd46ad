package org.isentropic.cli;

import picocli.CommandLine.Option;

/**
 * The head dimension d ({@code --head-dim}): the dimension of queries and keys, the d of InfoScale. A
 * command with tensors defaults to their d; a command without defaults to 128, the head dimension of the
 * experiment's d128 checkpoints.
 */
public final class HeadDimOption {

    /** d when neither the option nor tensors give it. */
    static final int DEFAULT = 128;

    @Option(names = "--head-dim", paramLabel = "D",
            description = "Head dimension d of queries and keys, the d of InfoScale; the reference's DNA/T5 ports"
                    + " use the full width (default: the d of --q where the command reads tensors, else 128).")
    Integer value;

    /** The given d, else {@link #DEFAULT}. */
    int value() {
        return value == null ? DEFAULT : value;
    }

    /** The given d, else the tensors' d. */
    int orTensors(int d) {
        return value == null ? d : value;
    }
}
