package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Seeds;
import org.isentropic.experiments.stats.Bootstrap;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A d128-shaped family (arms with several seeds, two fixed values of s) built from the v1 checkpoints, so
 * that the multi-seed code paths run before the d128 checkpoints exist: seeds of one arm are pooled per
 * stream, the spread across seeds is reported, and claim 4 compares the largest s with the smallest.
 */
class MultiSeedFamilyTest {

    @Test
    void armsPoolTheirSeedsAndClaimFourComparesTheScales(@TempDir Path dir) throws Exception {
        Family f = new Family("d128", List.of(
                new Family.Checkpoint("gau-softmax", "softmax-ft-seed1", Family.CONTROL, 1, Double.NaN),
                new Family.Checkpoint("gau-softmax", "softmax-ft-seed2", Family.CONTROL, 2, Double.NaN),
                new Family.Checkpoint("gau-cosscale", "cos128-seed1", Family.COSSCALE, 1, 128),
                new Family.Checkpoint("gau-cosscale", "cos32-seed1", Family.COSSCALE, 1, 32)), "europarl");
        Plan plan = new Plan("test", List.of(new Plan.Entry("tiny", c -> true, Protocol.STREAMS, List.of(Method.ROPE),
                List.of(Temperature.STANDARD, Temperature.INFOSCALE), List.of(64, 128))), 3, 1, 128);
        ExperimentRunner.Setup s = ExperimentRunner.setup(f, plan, null);
        Evaluation.Result r = ExperimentRunner.run(s, Seeds.DEFAULT_SEED, 2, () -> AttentionKernels.fused(1), dir, "fused(1)",
                l -> { }, null);
        Cells cells = Cells.of(r);
        Cells.Cell control = cells.get(new Cells.Key("control", Protocol.STREAMS, Method.ROPE, "standard", 128));
        assertEquals(Map.of(1, control.seedAccuracy().get(1), 2, control.seedAccuracy().get(2)), control.seedAccuracy());
        assertEquals(control.seedAccuracy().get(1), control.seedAccuracy().get(2), 0, "the same model under two seeds");
        assertEquals(2 * 128 / Streams.MASK_EVERY, control.predictions()[0], 0,
                "a stream brings its targets (every 8th character of 128) under both seeds");
        List<String> csv = Files.readAllLines(dir.resolve("extrapolation.csv"));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("d128,control,2,streams,rope,standard,sequence,128,")), csv
                .toString());
        // the typed reader reads back what the report wrote: the control's cell at 128 and its calibration rows
        assertTrue(ResultTables.hasArms(dir.resolve(ResultTables.CELLS)));
        ResultTables.Cell read = ResultTables.cells(dir.resolve(ResultTables.CELLS)).stream()
                .filter(c -> c.arm().equals("control") && c.length() == 128 && c.temperature().equals("standard"))
                .findFirst().orElseThrow();
        assertEquals(control.accuracyInterval(Bootstrap.RESAMPLES, Seeds.DEFAULT_SEED).estimate(), read.accuracy(), 1e-6);
        assertTrue(ResultTables.calibration(dir.resolve(ResultTables.CALIBRATION)).stream()
                .allMatch(c -> c.method().equals("rope") && c.factor("infoscale") > 0));
        String md = Files.readString(dir.resolve("extrapolation.md"));
        // identical models under s = 128 and s = 32 labels: the paired difference is exactly 0, so inconclusive
        assertTrue(md.contains("4. **raising s makes attention windowed (attention mass near the diagonal): inconclusive"),
                md);
        assertTrue(md.contains("(seeds "), "the spread across seeds is printed: " + md);
        Bootstrap.Interval d = Cells.pairedAccuracy(control, control, 2000, 1);
        assertEquals(0, d.lo(), 0);
        assertEquals(0, d.hi(), 0);
    }
}
