package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.model.CopyTask;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionSpec;
import org.junit.jupiter.api.Test;

/** The retrieval probe: the layout, the plant and its control, the source mass, and a small run end to end. */
class RetrievalProbeTest {

    @Test
    void everyDistanceIsPlacedWithoutOverlapInAWindowOf4096() {
        for (long seed = 0; seed < 50; seed++) {
            List<RetrievalProbe.Pair> pairs = RetrievalProbe.layout(4096, RetrievalProbe.DISTANCES,
                    new SplittableRandom(seed));
            assertEquals(RetrievalProbe.DISTANCES.length, pairs.size(), "seed " + seed);
            boolean[] used = new boolean[4096];
            for (RetrievalProbe.Pair p : pairs) {
                assertTrue(p.length() >= CopyTask.MIN_LENGTH && p.length() <= CopyTask.MAX_LENGTH);
                for (int start : new int[] {p.source(), p.source() + p.distance()}) {
                    for (int i = start; i < start + p.length(); i++) {
                        assertFalse(used[i], "overlap at " + i);
                        used[i] = true;
                    }
                }
            }
        }
    }

    @Test
    void theControlHasADifferentSourceAndTheSameTarget() {
        CharVocabulary vocab = GauModel.loadResource("v3/softmax-seed1").vocabulary();
        int[] letters = CopyTask.letters(vocab);
        assertEquals(26, letters.length);
        int[] text = new int[200];
        CopyTask copy = CopyTask.plant(text, 10, 100, 12, letters, new SplittableRandom(5), false);
        CopyTask control = CopyTask.plant(text, 10, 100, 12, letters, new SplittableRandom(5), true);
        for (int i = 0; i < 12; i++) {
            assertEquals(copy.tokens()[10 + i], copy.tokens()[110 + i], "the copy repeats its source");
            assertEquals(copy.tokens()[110 + i], control.tokens()[110 + i], "the same target string");
            assertNotEquals(control.tokens()[10 + i], control.tokens()[110 + i], "no source in the control");
            assertEquals(i % 2 == 0 ? copy.tokens()[110 + i] : CharVocabulary.MASK, copy.masked()[110 + i],
                    "odd offsets masked, even ones visible");
        }
        assertArrayEquals(new int[] {111, 113, 115, 117, 119, 121}, copy.targetPositions());
        assertEquals(0, copy.masked()[109]);
    }

    @Test
    void theSourceMassesOfManyTasksInOneCallAreEachTasksOwn() {
        int n = 200;
        int d = 16;
        SplittableRandom rng = new SplittableRandom(3);
        float[] q = new float[n * d];
        float[] k = new float[n * d];
        for (int i = 0; i < n * d; i++) {
            q[i] = (float) rng.nextGaussian();
            k[i] = (float) rng.nextGaussian();
        }
        Calibration.Capture c = new Calibration.Capture(AttentionSpec.dot(), q, k, n, d);
        List<CopyTask> tasks = List.of(new CopyTask(new int[n], 4, 40, 8), new CopyTask(new int[n], 60, 150, 16),
                new CopyTask(new int[n], 20, 170, 12));
        double[] all = RetrievalProbe.sourceMasses(c, tasks, AttentionKernels.fused(1));
        for (int i = 0; i < tasks.size(); i++) {
            double one = RetrievalProbe.sourceMass(c, tasks.get(i), AttentionKernels.fused(1));
            assertEquals(one, all[i], 1e-6);
            double direct = 0; // softmax of q.k / sqrt(d) over all keys, summed over the source span
            int[] targets = tasks.get(i).targetPositions();
            for (int row : targets) {
                double max = Double.NEGATIVE_INFINITY;
                double[] logit = new double[n];
                for (int j = 0; j < n; j++) {
                    for (int x = 0; x < d; x++) {
                        logit[j] += q[row * d + x] * k[j * d + x];
                    }
                    logit[j] /= Math.sqrt(d);
                    max = Math.max(max, logit[j]);
                }
                double z = 0;
                double src = 0;
                for (int j = 0; j < n; j++) {
                    double w = Math.exp(logit[j] - max);
                    z += w;
                    if (j >= tasks.get(i).source() && j < tasks.get(i).source() + tasks.get(i).length()) {
                        src += w;
                    }
                }
                direct += src / z;
            }
            assertEquals(direct / targets.length, all[i], 1e-5, "task " + i);
        }
        assertEquals(0, RetrievalProbe.sourceMasses(c, List.of(), AttentionKernels.fused(1)).length);
    }

    @Test
    void theCopyFineTuneTableComparesEachArmWithItsLineageStartAndItsTwinWithoutCopies() {
        String t = RetrievalProbe.copyFineTunes(Family.of("v3"));
        assertTrue(t.contains("| copy-softmax-ft-seed4 | 62.9 | 52.1 | -10.8 | no | 62.9 | 92.3 |"), t);
        assertTrue(t.contains("| copy-cos16-seed4 | 62.9 | 50.3 | -12.6 | no | not trained | 92.6 |"), t);
        assertEquals(2 + 12, t.split("\n").length, t);
    }

    @Test
    void sourceMassIsOneWhenOnlyTheSourceMatchesAndUniformOtherwise() {
        int n = 64;
        int d = 8;
        CopyTask t = new CopyTask(new int[n], 4, 40, 8);
        float[] q = new float[n * d];
        float[] k = new float[n * d];
        Calibration.Capture uniform = new Calibration.Capture(AttentionSpec.dot(), q, k, n, d);
        assertEquals(8.0 / n, RetrievalProbe.sourceMass(uniform, t, AttentionKernels.fused(1)), 1e-6);
        for (int i = 0; i < n; i++) {
            q[i * d] = 10f;
        }
        for (int j = 4; j < 12; j++) {
            k[j * d] = 10f; // logit 100 / sqrt(8) on the source keys, 0 elsewhere
        }
        Calibration.Capture sharp = new Calibration.Capture(AttentionSpec.dot(), q, k, n, d);
        assertEquals(1.0, RetrievalProbe.sourceMass(sharp, t, AttentionKernels.fused(1)), 1e-6);
    }

    @Test
    void aSmallRunScoresEveryPlantedCharacterInBothRuns() {
        GauModel m = GauModel.loadResource("v3/softmax-seed1");
        Family.Checkpoint c = new Family.Checkpoint("v3/softmax-seed1", "softmax-seed1", Family.SOFTMAX, 1, Double.NaN);
        Plan.Row row = new Plan.Row(c, Protocol.STREAMS, Method.ROPE, Temperature.STANDARD,
                org.isentropic.kernels.spec.NMode.SEQUENCE);
        Streams test = Streams.withinDocuments(List.of("the quick brown fox ".repeat(300)), m.vocabulary(), 4096, 1);
        List<RetrievalProbe.Hit> hits = RetrievalProbe.run(m, row, test, 1, Seeds.DEFAULT_SEED, Map.of(), Map.of(),
                AttentionKernels.fused(1));
        Map<String, Integer> count = new HashMap<>();
        for (RetrievalProbe.Hit h : hits) {
            count.merge(h.distance() + "@" + h.n() + (h.control() ? "c" : ""), 1, Integer::sum);
            assertTrue(h.loss() >= 0 && Double.isFinite(h.loss()));
            assertTrue(h.sourceMass() >= 0 && h.sourceMass() <= 1 + 1e-6);
        }
        for (int dist : RetrievalProbe.DISTANCES) {
            int planted = count.get(dist + "@4096");
            assertTrue(planted >= CopyTask.MIN_LENGTH / 2 && planted <= CopyTask.MAX_LENGTH / 2,
                    "every other letter of the copy: " + planted);
            assertEquals(planted, count.get(dist + "@4096c"));
            assertEquals(dist <= RetrievalProbe.MAX_SHORT, count.containsKey(dist + "@64"));
        }
    }
}
