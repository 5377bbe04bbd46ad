package org.isentropic.cli;

import picocli.CommandLine.Option;

/**
 * The training length N ({@code --train-length}): the length a temperature rule, a derived factor or a
 * position interpolation (pi, ntk, yarn) scales from; 64 by default, the training length of the
 * experiment's checkpoints.
 */
public final class TrainLengthOption {

    @Option(names = "--train-length", paramLabel = "N", defaultValue = "64",
            description = "Training length N: the length rules, derived factors and the pi, ntk, yarn positions"
                    + " scale from (default: ${DEFAULT-VALUE}).")
    int value;
}
