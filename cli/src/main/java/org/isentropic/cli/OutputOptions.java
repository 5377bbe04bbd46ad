package org.isentropic.cli;

import org.isentropic.figures.output.OutputFiles;
import org.isentropic.figures.output.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Shared options of every command that prints data: {@code --format} and {@code --out}. */
public final class OutputOptions {

    @Option(names = "--format", defaultValue = "csv",
            description = "Format of the data on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public OutputFormat format = OutputFormat.csv;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for files this command writes (created if missing, after every check passed).")
    public Path out;

    /**
     * With {@code --out DIR}: checks, before any work, that DIR/NAME.EXT (EXT the format) can be written
     * under the output policy ({@link OutputFiles}); nothing is created yet.
     *
     * @return the file to write, or null without {@code --out}
     */
    public Path tableFile(OutputFiles files, String name) {
        if (out == null) {
            return null;
        }
        return files.fileIn("--out", files.directory("--out", out), name + "." + format.name());
    }

    /**
     * Writes the rendered table to the file {@link #tableFile} checked (when not null, through a temporary
     * file), then prints it on stdout.
     */
    public void emit(String rendered, Path file, PrintWriter stdout) {
        if (file != null) {
            OutputFiles.writeString(file, rendered);
            System.err.println("wrote " + file);
        }
        stdout.print(rendered);
        stdout.flush();
    }
}
