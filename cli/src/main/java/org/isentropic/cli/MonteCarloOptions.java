package org.isentropic.cli;

import picocli.CommandLine.Option;

/**
 * The Monte-Carlo sample size ({@code --samples}): rows drawn per length. Each command chooses its
 * default by constructing this mixin (cosscale's estimates are slower per row, so it draws fewer).
 */
public final class MonteCarloOptions {

    @Option(names = "--samples", paramLabel = "S",
            description = "Monte-Carlo rows per length, >= 2 (default: ${DEFAULT-VALUE}).")
    int samples;

    MonteCarloOptions(int defaultSamples) {
        this.samples = defaultSamples;
    }

    /** The sample size, checked (at least 2 rows, for a standard error). */
    int checked() {
        return OptionChecks.atLeast("--samples", samples, 2);
    }
}
