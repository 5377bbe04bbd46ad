package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.isentropic.figures.report.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {

    @TempDir
    Path dir;

    @Test
    void figuresOnlyFourWritesItsFilesAndATableOnStdout() {
        CommandLine cl = IsentropicCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        // the table goes to the command's stdout writer, not System.out
        int code = cl.execute("figures", "--quick", "--only", "4", "--out", dir.toString(), "--seed", "3");
        assertEquals(0, code);
        assertTrue(Files.isRegularFile(dir.resolve("figure-4-max-cosine.png")));
        assertTrue(Files.isRegularFile(dir.resolve("figure-4-max-cosine.csv")));
        assertTrue(Files.isRegularFile(dir.resolve(ReportWriter.SUMMARY)));
        String table = out.toString();
        assertTrue(table.startsWith("figure,title,status,files,seconds"), table);
        assertTrue(table.contains("4,") && table.contains("done"), table);
    }

    @Test
    void outThatIsAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        CommandLine cl = IsentropicCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("figures", "--only", "4", "--out", file.toString()));
        assertTrue(err.toString().contains("--out"), err.toString());
    }

    @Test
    void unknownFigureIsAUsageError() {
        CommandLine cl = IsentropicCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("figures", "--only", "99", "--out", dir.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--only") && err.toString().contains("99"), err.toString());
    }
}
