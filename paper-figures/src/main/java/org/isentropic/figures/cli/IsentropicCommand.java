package org.isentropic.figures.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code isentropic} command: entropy-invariant attention scaling (InfoScale, CosScale) from theory
 * to figures. Data goes to stdout, logs and progress to stderr; exit code 0 on success, 2 on a usage
 * error (one line naming the bad option), 1 on a failure while running.
 */
@Command(
        name = "isentropic",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Entropy-invariant attention scaling (InfoScale, CosScale): theory, kernels, figures.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ScalesCommand.class, DeriveCommand.class, CosscaleCommand.class,
            BenchCommand.class, AttendCommand.class,
            FiguresCommand.class,
            ReproduceCommand.class, ExperimentCommand.class, CalibrateCommand.class,
        })
public final class IsentropicCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's error conventions; used by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IsentropicCommand());
        cl.setParameterExceptionHandler(IsentropicCommand::usageError);
        cl.setExecutionExceptionHandler(IsentropicCommand::executionError);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("isentropic: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return CommandLine.ExitCode.USAGE;
    }

    private static int executionError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof IllegalArgumentException) {
            // Bad input discovered while running (a malformed file, a NaN in a tensor): a usage error.
            err.println("isentropic: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        err.println("isentropic: failed: " + e);
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }
}
