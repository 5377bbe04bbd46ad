package org.isentropic.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import org.isentropic.base.UserInputException;

/**
 * The {@code isentropic} command: entropy-invariant attention scaling (InfoScale, CosScale) from theory
 * to figures. Data goes to stdout, logs and progress to stderr. Every error ends here, in one line on
 * stderr: exit 2 for bad input, that is a usage error picocli finds or a {@link UserInputException} from the
 * checks a command runs before any work, naming the option as typed; exit 1 for a failure while running (I/O,
 * a result that overflows); and exit 1 with {@code internal error: <message>} for anything else, an
 * {@link IllegalArgumentException} that escaped a library included (a bug, not the user's mistake). The stack
 * trace is printed only with {@code --debug} (alias {@code --verbose}) or the environment variable
 * {@value #DEBUG_ENV} (or {@value #VERBOSE_ENV}) set to a non-empty value.
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
            ConformCommand.class,
        })
public final class IsentropicCommand implements Runnable {

    /** The environment variable that turns on stack traces like {@code --debug}. */
    public static final String DEBUG_ENV = "ISENTROPIC_DEBUG";
    /** The older name of {@link #DEBUG_ENV}, still read. */
    public static final String VERBOSE_ENV = "ISENTROPIC_VERBOSE";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--debug", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (also: environment variable " + DEBUG_ENV + "=1);"
                    + " bench also shows JMH's own log. --verbose is an alias.")
    boolean verbose;

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
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // Commands refuse requests that do not fit before allocating; this is the last resort.
            System.err.println("isentropic: out of memory (" + MemoryLimit.size(Runtime.getRuntime().maxMemory())
                    + " heap); raise the limit, e.g. ISENTROPIC_JAVA_OPTS=-Xmx8g");
            code = CommandLine.ExitCode.SOFTWARE;
        }
        System.exit(code);
    }

    /** Whether the command line that {@code cl} belongs to asked for stack traces ({@code --debug}). */
    static boolean verbose(CommandLine cl) {
        for (String name : new String[] {DEBUG_ENV, VERBOSE_ENV}) {
            String env = System.getenv(name);
            if (env != null && !env.isEmpty()) {
                return true;
            }
        }
        CommandLine root = cl;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof IsentropicCommand && ((IsentropicCommand) root.getCommand()).verbose;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(prefix(cl) + oneLine(e.getMessage()) + " (see '" + cl.getCommandSpec().qualifiedName()
                + " --help')");
        if (verbose(cl)) {
            e.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static int executionError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof UserInputException) {
            // Bad input found by a command's checks or while reading an input (a malformed file, a NaN).
            err.println(prefix(cl) + oneLine(e.getMessage()));
            code = CommandLine.ExitCode.USAGE;
        } else if (e instanceof UncheckedIOException || e instanceof java.io.IOException
                || e instanceof ArithmeticException) {
            // A failure while running: a file that cannot be written, a result that overflows float.
            err.println(prefix(cl) + "failed: " + oneLine(e.getMessage()));
            code = CommandLine.ExitCode.SOFTWARE;
        } else {
            // Anything else is a bug (an IllegalArgumentException from a library included), never bad input.
            err.println(prefix(cl) + "internal error: " + oneLine(e.getMessage()) + " (" + e.getClass().getSimpleName()
                    + (verbose(cl) ? ")" : "; --debug prints the stack trace)"));
            code = CommandLine.ExitCode.SOFTWARE;
        }
        if (verbose(cl)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String prefix(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName() + ": ";
    }

    /** A message as one line (a library message with a newline would break the one-line promise). */
    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
