package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench command's options and plan listing (running JMH itself is left to {@code isentropic bench}). */
class BenchCommandTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();
    private PrintStream savedOut;

    @BeforeEach
    void captureStdout() {
        savedOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(savedOut);
    }

    private int run(String... args) {
        CommandLine cl = IsentropicCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quickListShowsEveryKindOfBenchmark() {
        assertEquals(0, run("bench", "--quick", "--list"));
        for (String id : new String[] {"peak/1t", "peak/all", "fused/n1024/d128/full/t1",
                "fused/n1024/d128/full/t2", "fused/n1024/d128/causal/t1",
                "fused/n1024/d128/full/t1/no-entropy", "fused/n1024/d128/full/t1/cosine",
                "fused/n1024/d128/full/t1/infoscale", "reference/n256", "row-at-a-time/n1024",
                "ejml/n1024", "decode/n4096"}) {
            assertTrue(out().contains(id), "quick plan lacks " + id + ":\n" + out());
        }
    }

    @Test
    void fullListHasTheAnchorAndItsComparisons() {
        assertEquals(0, run("bench", "--list", "--format", "md"));
        for (String id : new String[] {"fused/n4096/d128/full/t1 ", "fused/n4096/d128/full/t2",
                "fused/n16384/d128/window256/t1", "row-at-a-time/n4096/d128/full/t1",
                "ejml/n4096/d128/full/t1", "decode/n65536"}) {
            assertTrue(out().contains(id), "full plan lacks " + id);
        }
    }

    @Test
    void listShowsEachCasesForksWithThreeTimesAsManyForTheEntropyCostPair() {
        assertEquals(0, run("bench", "--list"));
        for (String line : out().lines().skip(1).toList()) {
            String id = line.substring(0, line.indexOf(','));
            boolean pair = id.equals("fused/n4096/d128/full/t1") || id.equals("fused/n4096/d128/full/t1/no-entropy");
            assertTrue(line.endsWith("," + (pair ? 6 : 2) + ",5x1000ms,5x1000ms"), line);
        }
        assertTrue(out().contains("fused/n4096/d128/full/t1/no-entropy,"), out());
        assertFalse(out().contains("entropy-paired"), out());
    }

    @Test
    void onlyFiltersTheCases() {
        assertEquals(0, run("bench", "--quick", "--list", "--only", "peak"));
        assertTrue(out().contains("peak/1t"));
        assertFalse(out().contains("fused/"), out());
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        assertEquals(2, run("bench", "--quick", "--only", "no-such-case", "--out", dir.toString()));
        assertTrue(err.toString().contains("no-such-case"), err.toString());
        assertEquals(2, run("bench", "--quick", "--table", "everything", "--out", dir.toString()));
        assertTrue(err.toString().contains("--table"), err.toString());
        assertEquals(2, run("bench", "--quick", "--forks", "0", "--out", dir.toString()));
        assertTrue(err.toString().contains("--forks"), err.toString());
        assertEquals("", out());
    }

    @Test
    void defaultOutputDirectoryIsBenchmarksWhenPresent(@TempDir Path dir) {
        assertEquals(dir, BenchCommand.outputDirectory(dir));
    }
}
