package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluation on the committed checkpoints, at the training length only (fast). */
class ExtrapolationTest {

    static final long SEED = Long.getLong("isentropic.seed", 20250115L);
    static List<GauModel> models;
    static TestSet test;
    static Unigram unigram;

    @BeforeAll
    static void load() {
        models = List.of(GauModel.loadResource("gau-softmax"), GauModel.loadResource("gau-cosscale"));
        CorpusSplit split = CorpusSplit.of(Corpus.europarl(), TrainingDefaults.TEST_DOCUMENTS);
        test = TestSet.of(split.test(), models.get(0).vocabulary());
        unigram = Unigram.fromTraining(split.train(), models.get(0).vocabulary());
    }

    @Test
    void atTheTrainingLengthEveryRotaryMethodAndTemperatureIsPlainRope() {
        // s = max(1, n/N) = 1 at n = N: PI, NTK and YaRN change nothing; log-n and InfoScale give factor 1.
        // ReRoPE's window N/2 and the masks do change attention at N, so they are not in this list.
        Extrapolation.Settings s = new Extrapolation.Settings(List.of(64), 1, 0, List.of(), true,
                List.of(Method.ROPE, Method.PI, Method.NTK, Method.YARN), List.of(Temperature.values()), SEED, 2);
        List<Extrapolation.Cell> cells = Extrapolation.run(models, test, s, () -> AttentionKernels.fused(1), l -> { });
        assertEquals(2 * 4 * 3, cells.size());
        for (GauModel m : models) {
            List<Extrapolation.Cell> mine = cells.stream().filter(c -> c.model().equals(m.name())).toList();
            Metrics ref = mine.get(0).metrics();
            for (Extrapolation.Cell c : mine) {
                assertEquals(ref.correct(), c.metrics().correct(), c.toString());
                assertEquals(ref.loss(), c.metrics().loss(), 1e-4, c.toString());
            }
        }
    }

    @Test
    void accuracyAtTheTrainingLengthIsClearlyAboveTheUnigramBaseline() {
        Extrapolation.Settings s = new Extrapolation.Settings(List.of(64), 4, 0, List.of(),
                true, List.of(Method.ROPE), List.of(Temperature.STANDARD), SEED, 2);
        List<Extrapolation.Cell> cells = Extrapolation.run(models, test, s, () -> AttentionKernels.fused(1), l -> { });
        Metrics uni = unigram.onePass(test, 4, 64, SEED, models.get(0).vocabulary().id(' '));
        for (Extrapolation.Cell c : cells) {
            assertTrue(c.metrics().accuracyInterval()[0] > uni.accuracyInterval()[1],
                    c.model() + " accuracy " + c.metrics().accuracy() + " vs unigram " + uni.accuracy());
            assertTrue(c.metrics().loss() + c.metrics().lossHalfWidth() < uni.loss() - uni.lossHalfWidth(),
                    c.model() + " loss " + c.metrics().loss() + " vs unigram " + uni.loss());
        }
    }
}
