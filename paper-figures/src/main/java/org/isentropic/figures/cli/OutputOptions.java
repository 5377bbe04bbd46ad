package org.isentropic.figures.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Shared options of every command that prints data: {@code --format} and {@code --out}. */
public final class OutputOptions {

    @Option(names = "--format", defaultValue = "csv",
            description = "Format of the data on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public OutputFormat format = OutputFormat.csv;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for files this command writes (created if missing).")
    public Path out;
}
