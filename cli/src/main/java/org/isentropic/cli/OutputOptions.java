package org.isentropic.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.OutputFormat;
import org.isentropic.base.Table;

/**
 * Shared options of every command that prints data: {@code --format} and {@code --out}, and the one
 * sequence by which a command's table reaches its file and stdout ({@link #tableFile}, then {@link #emit}).
 */
public final class OutputOptions {

    @Option(names = "--format", defaultValue = "csv",
            description = "Format of the data on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    public OutputFormat format = OutputFormat.csv;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for files this command writes (created if missing, after every check passed).")
    public Path out;

    /** The command these options are mixed into: its stdout and the arguments as typed. */
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

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
     * Renders the table in {@code --format}, writes it to the file {@link #tableFile} checked (when not
     * null, through a temporary file), then prints it on the command's stdout.
     */
    public void emit(Table table, Path file) {
        emit(table.render(format), file);
    }

    /** As {@link #emit(Table, Path)} for a table already rendered. */
    public void emit(String rendered, Path file) {
        emit(rendered, file, out());
    }

    /**
     * Writes the rendered table to the file {@link #tableFile} checked (when not null, through a temporary
     * file), then prints it on stdout.
     */
    public void emit(String rendered, Path file, PrintWriter stdout) {
        if (file != null) {
            OutputFiles.writeString(file, rendered);
            err().println("wrote " + file);
        }
        stdout.print(rendered);
        stdout.flush();
    }

    /** The command's stdout (picocli's writer: a test or a caller can capture it). */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The command's stderr, for its log lines (picocli's writer). */
    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** The command as typed (shell-quoted where needed), for the provenance of what it writes. */
    public String typedCommand() {
        return typedCommand(command);
    }

    static String typedCommand(CommandLine.Model.CommandSpec spec) {
        StringBuilder sb = new StringBuilder("isentropic");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
