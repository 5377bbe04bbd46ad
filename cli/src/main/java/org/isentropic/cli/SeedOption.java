package org.isentropic.cli;

import picocli.CommandLine.Option;

/** The {@code --seed} option shared by every command that draws random numbers. */
public final class SeedOption {

    /** The default seed: fixed, so that two runs of the same command print the same numbers. */
    public static final long DEFAULT_SEED = 20250115L;

    @Option(names = "--seed", defaultValue = "20250115",
            description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    public long seed = DEFAULT_SEED;
}
