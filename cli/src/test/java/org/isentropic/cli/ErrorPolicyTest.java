package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.isentropic.base.UserInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The error policy: what the user typed wrong is exit 2 with one line naming the option; anything else that
 * escapes a command (an IllegalArgumentException from a library included) is a bug, exit 1
 * {@code internal error: <message>}; the stack trace only with {@code --debug} (or its alias
 * {@code --verbose}). A probe subcommand throws each kind, so that the mapping is tested apart from any
 * command's checks.
 */
class ErrorPolicyTest {

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--throw", required = true)
        String what;

        @Override
        public Integer call() {
            switch (what) {
                case "user": throw new UserInputException("--throw: user, a value the user typed");
                case "library": throw new IllegalArgumentException("n must be >= 1, got 0");
                case "state": throw new IllegalStateException("the tile count went negative");
                default: return 0;
            }
        }
    }

    private record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run run(String... args) {
        CommandLine cl = IsentropicCommand.commandLine();
        cl.addSubcommand("probe", new Probe());
        // the handlers and the inherited --debug reach subcommands present when they are set
        cl.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        cl.setParameterExceptionHandler(cl.getParameterExceptionHandler());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void userInputIsExitTwoInOneLineNamingTheOption() {
        Run r = run("probe", "--throw", "user");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("isentropic probe: --throw: user, a value the user typed"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void aUsageErrorPicocliFindsIsExitTwoNamingTheOption() {
        Run r = run("probe");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).contains("--throw"), r.err());
    }

    @Test
    void aLibrarysIllegalArgumentIsAnInternalErrorNotBadInput() {
        Run r = run("probe", "--throw", "library");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("isentropic probe: internal error: n must be >= 1, got 0"), line);
        assertTrue(line.contains("--debug"), line);
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anyOtherExceptionIsAnInternalError() {
        Run r = run("probe", "--throw", "state");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.errLines().get(0).startsWith("isentropic probe: internal error: the tile count went negative"),
                r.err());
        assertEquals(1, r.errLines().size(), r.err());
    }

    @Test
    void debugAndItsAliasVerboseAddTheStackTrace() {
        for (String flag : new String[] {"--debug", "--verbose"}) {
            Run r = run("probe", "--throw", "library", flag);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.errLines().get(0).startsWith("isentropic probe: internal error: "), r.err());
            assertTrue(r.err().contains("\tat org.isentropic.cli.ErrorPolicyTest$Probe.call"), flag + ": " + r.err());
            Run user = run("probe", "--throw", "user", flag);
            assertEquals(2, user.code(), user.err());
            assertTrue(user.err().contains("\tat "), flag + ": " + user.err());
        }
    }
}
