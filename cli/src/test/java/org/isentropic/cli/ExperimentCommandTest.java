package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isentropic.base.Seeds;
import org.isentropic.base.Table;
import org.isentropic.experiments.eval.Cells;
import org.isentropic.experiments.eval.Evaluation;
import org.isentropic.experiments.eval.ExperimentRunner;
import org.isentropic.experiments.eval.Family;
import org.isentropic.experiments.eval.Method;
import org.isentropic.experiments.eval.Plan;
import org.isentropic.experiments.eval.Protocol;
import org.isentropic.experiments.eval.Temperature;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest extends InProcessCommandTest {

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
    void streamsOutOfRangeIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--quick", "--streams", "1"));
        assertTrue(err.toString().contains("--streams must be in [2, 200], got 1"), err.toString());
    }

    @Test
    void unknownFamilyIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--quick", "--family", "v2"));
        assertTrue(err.toString().contains("--family must be one of v1|d128|v3, got 'v2'"), err.toString());
    }

    @Test
    void missingCorpusIsAUsageError() {
        assertEquals(2, run("experiment", "eval", "--quick", "--corpus", "no/such/corpus.txt"));
        assertTrue(err.toString().contains("--corpus"), err.toString());
    }

    @Test
    void aSmallEvaluationWritesReportAndTables(@TempDir Path dir) throws Exception {
        Family f = Family.v1();
        Plan plan = new Plan("test", List.of(new Plan.Entry("tiny", c -> true, Protocol.STREAMS, List.of(Method.ROPE),
                List.of(Temperature.STANDARD, Temperature.INFOSCALE, Temperature.ORACLE), List.of(64, 128))), 3, 1, 128);
        ExperimentRunner.Setup setup = ExperimentRunner.setup(f, plan, null);
        Evaluation.Result r = ExperimentRunner.run(setup, Seeds.DEFAULT_SEED, 2, () -> AttentionKernels.fused(1), dir,
                "fused(1)", l -> { }, null);
        Table t = Cells.of(r).ropeTable(Seeds.DEFAULT_SEED);
        assertEquals(2 * 3 * 2, t.rowCount(), "2 arms x 3 temperatures x 2 lengths");
        for (String file : List.of("extrapolation.md", "extrapolation.csv", "per-stream.csv", "paired.csv",
                "calibration.csv")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        String md = Files.readString(dir.resolve("extrapolation.md"));
        assertTrue(md.contains("| softmax | streams | RoPE | InfoScale |"), md);
        assertTrue(md.contains("1. **plain softmax collapses"), md);
        assertEquals(1 + 2 * 3 * 2 * 3, Files.readAllLines(dir.resolve("per-stream.csv")).size(),
                "header + 2 checkpoints x 3 temperatures x 2 lengths x 3 streams");
    }

    @Test
    void streamsRefusesAnUnknownPartBeforeCreatingAnything(@TempDir Path dir) {
        assertEquals(2, run("experiment", "streams", "--split", "tests", "--out", dir.resolve("s").toString()));
        assertTrue(err.toString().contains("--split must be one of train|validation|calibration|test, got 'tests'"),
                err.toString());
        assertTrue(Files.notExists(dir.resolve("s")));
        assertEquals(2, run("experiment", "streams", "--split", "test", "--length", "100", "--out",
                dir.resolve("s").toString()));
        assertTrue(err.toString().contains("--length"), err.toString());
        assertTrue(Files.notExists(dir.resolve("s")));
    }

    @Test
    void streamsWritesEveryTestStreamAsTextInOneLanguage(@TempDir Path dir) throws Exception {
        assertEquals(0, run("experiment", "streams", "--split", "test", "--out", dir.toString()));
        List<String> index = Files.readAllLines(dir.resolve("streams.csv"));
        assertEquals("file,document,start,characters,language", index.get(0));
        assertTrue(index.size() - 1 >= 64, "test streams: " + (index.size() - 1));
        for (String line : index.subList(1, index.size())) {
            String[] f = line.split(",");
            assertEquals("4096", f[3]);
            assertEquals("en", f[4]);
            String text = Files.readString(dir.resolve(f[0]));
            assertEquals(4096, text.codePointCount(0, text.length()));
        }
        assertEquals(String.join("\n", index) + "\n", out.toString());
    }
}
