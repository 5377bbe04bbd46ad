package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.NMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluation on the committed v1 checkpoints at the training length (fast). */
class EvaluationTest {

    static final long SEED = Seeds.seed();
    static Evaluation.Result result;

    @BeforeAll
    static void run() {
        Plan plan = new Plan("test", List.of(new Plan.Entry("at N", c -> true, Protocol.STREAMS,
                List.of(Method.ROPE, Method.PI, Method.NTK, Method.YARN), List.of(Temperature.values()), List.of(64))),
                4, 1, 128);
        ExperimentRunner.Setup s = ExperimentRunner.setup(Family.v1(), plan, null);
        result = Evaluation.run(s.family(), s.models(), plan, s.test(), s.calibration(), s.unigram(), SEED, 2,
                () -> AttentionKernels.fused(1), l -> { });
    }

    static Map<String, double[]> byRow(String checkpoint) {
        Map<String, double[]> m = new HashMap<>();
        for (Evaluation.StreamResult r : result.results()) {
            if (r.row().checkpoint().name().equals(checkpoint)) {
                double[] v = m.computeIfAbsent(r.row().method().id() + "/" + r.row().temperatureId(), k -> new double[2]);
                v[0] += r.correct();
                v[1] += r.lossSum();
            }
        }
        return m;
    }

    @Test
    void atTheTrainingLengthTheRotaryMethodsAndNormalisedTemperaturesAreThePlainModel() {
        // n = N: PI, NTK, YaRN change nothing; log-n, InfoScale and derived are 1. softmax_plus is ln 64 / ln 512
        // there (not normalised at N), so it must change the logits; the oracle is ~1 (sampling noise only).
        for (String ck : List.of("gau-softmax", "gau-cosscale")) {
            Map<String, double[]> m = byRow(ck);
            double[] ref = m.get("rope/standard");
            for (String method : List.of("rope", "pi", "ntk", "yarn")) {
                for (String t : List.of("standard", "logn", "infoscale", "derived")) {
                    double[] v = m.get(method + "/" + t);
                    assertEquals(ref[0], v[0], ck + " " + method + "/" + t);
                    assertEquals(ref[1], v[1], 1e-3, ck + " " + method + "/" + t);
                }
            }
            assertNotEquals(ref[1], m.get("rope/softmax-plus")[1], 1e-3, ck + ": softmax_plus changes the model at N");
        }
    }

    @Test
    void everyCellScoresEveryStreamsTargetsOnce() {
        Map<String, Integer> count = new HashMap<>();
        for (Evaluation.StreamResult r : result.results()) {
            assertEquals(128 / Streams.MASK_EVERY, r.predictions(), "streams of 128: every 8th character");
            assertEquals(NMode.SEQUENCE, r.row().nMode());
            count.merge(r.row() + "@" + r.length(), 1, Integer::sum);
        }
        assertTrue(count.values().stream().allMatch(c -> c == 4), count.toString());
        assertEquals(2 * 4 * Temperature.values().length, count.size());
    }

    @Test
    void oracleFactorsAtTheTrainingLengthAreNearOne() {
        for (var e : result.oracle().entrySet()) {
            for (double f : e.getValue()) {
                assertTrue(f > 0.7 && f < 1.4, e.getKey() + " " + java.util.Arrays.toString(e.getValue()));
            }
        }
    }
}
