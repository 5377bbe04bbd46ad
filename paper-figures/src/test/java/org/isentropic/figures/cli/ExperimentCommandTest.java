package org.isentropic.figures.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isentropic.experiments.eval.ExperimentRunner;
import org.isentropic.experiments.eval.Extrapolation;
import org.isentropic.experiments.eval.ExtrapolationReport;
import org.isentropic.experiments.eval.Method;
import org.isentropic.experiments.eval.Temperature;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExperimentCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = IsentropicCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void trainSaysExactlyHowToTrainAndExitsTwo() {
        assertEquals(2, run("experiment", "train"));
        assertTrue(err.toString().contains("mvn -B -Ptrain -pl experiments exec:java"), err.toString());
        assertTrue(err.toString().contains("--attention cosscale"), err.toString());
    }

    @Test
    void badThreadsIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--threads", "0"));
        assertTrue(err.toString().contains("--threads"), err.toString());
    }

    @Test
    void documentsOutOfRangeIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--quick", "--documents", "11"));
        assertTrue(err.toString().contains("--documents must be in [1, 10], got 11"), err.toString());
    }

    @Test
    void missingCorpusIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--quick", "--corpus", "no/such/corpus.txt"));
        assertTrue(err.toString().contains("--corpus"), err.toString());
    }

    @Test
    void aSmallEvaluationWritesReportTableAndFigures(@TempDir Path dir) throws Exception {
        Extrapolation.Settings s = new Extrapolation.Settings(List.of(64, 128), 1, 0, List.of(), true,
                List.of(Method.ROPE), List.of(Temperature.STANDARD, Temperature.INFOSCALE), 20250115L, 2);
        ExtrapolationReport.Results r = ExperimentRunner.run(s, null, dir, () -> AttentionKernels.fused(1), "fused(1)",
                false, l -> { });
        ExperimentCommand.figures(r, dir);
        Table t = ExperimentCommand.table(r);
        assertEquals(2 * 2 * 2, t.rowCount(), "2 models x 2 temperatures x 2 lengths");
        for (String f : List.of("extrapolation.md", "extrapolation.csv", "accuracy-vs-length.png", "entropy-vs-length.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String md = Files.readString(dir.resolve("extrapolation.md"));
        assertTrue(md.contains("| RoPE | InfoScale |"), md);
    }
}
