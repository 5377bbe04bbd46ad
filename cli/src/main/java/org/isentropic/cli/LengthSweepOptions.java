package org.isentropic.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training length N and the lengths n a rule or a derived factor is evaluated at, shared by
 * {@code isentropic scales} and {@code isentropic derive} so that both sweep the same lengths by default.
 */
public final class LengthSweepOptions {

    @Mixin
    TrainLengthOption train;

    @Option(names = "--lengths", paramLabel = "N1,N2,...", split = ",", converter = PositiveIntConverter.class,
            defaultValue = "64,128,256,512,1024,2048,4096",
            description = "Lengths n, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] lengths;
}
