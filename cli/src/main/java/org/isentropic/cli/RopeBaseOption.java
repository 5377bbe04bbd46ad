package org.isentropic.cli;

import picocli.CommandLine.Option;

/** The rotary base B ({@code --rope-base}) of the rotary positions, {@code theta_m = B^(-2m/d)}. */
public final class RopeBaseOption {

    @Option(names = "--rope-base", defaultValue = "10000", paramLabel = "B",
            description = "Rotary base B > 1 of the rotary positions, theta_m = B^(-2m/d) (default: ${DEFAULT-VALUE}).")
    double value;
}
