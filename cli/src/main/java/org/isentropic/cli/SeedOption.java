package org.isentropic.cli;

import picocli.CommandLine.Option;
import org.isentropic.base.Seeds;

/**
 * The {@code --seed} option shared by every command that draws random numbers; its default is the
 * project's fixed seed ({@link Seeds#DEFAULT_SEED}), so that two runs of a command print the same numbers.
 */
public final class SeedOption {

    @Option(names = "--seed", defaultValue = "" + Seeds.DEFAULT_SEED,
            description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    public long seed = Seeds.DEFAULT_SEED;
}
