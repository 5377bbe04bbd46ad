package org.isentropic.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Base of the command tests: runs the {@code isentropic} command line in-process and keeps what the last run
 * printed on stdout ({@link #out}) and stderr ({@link #err}).
 */
abstract class InProcessCommandTest {

    protected StringWriter out = new StringWriter();
    protected StringWriter err = new StringWriter();

    /** Runs {@code isentropic args...} and returns its exit code; out and err hold only this run's output. */
    protected int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = IsentropicCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
