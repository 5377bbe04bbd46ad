package org.isentropic.experiments.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.isentropic.kernels.AttentionKernel;

/**
 * The whole evaluation of issue 8 in one call: loads the committed checkpoints, splits the corpus with
 * the training run's rule, runs {@link Extrapolation} and the {@link WindowProbe}, computes the unigram
 * baseline and writes the report. Used by {@code isentropic experiment eval}.
 */
public final class ExperimentRunner {

    /** The committed checkpoints, in report order. */
    public static final List<String> CHECKPOINTS = List.of("gau-softmax", "gau-cosscale");
    /** Scale multipliers of the window probe. */
    public static final double[] PROBE_MULTIPLIERS = {0.5, 1, 2, 4, 8};
    public static final int PROBE_LENGTH = 512;

    private ExperimentRunner() {
    }

    /** The full evaluation: 7 lengths, 10 documents; one-token protocol on RoPE with P = 8; one-pass on all. */
    public static Extrapolation.Settings full(long seed, int threads) {
        return new Extrapolation.Settings(List.of(64, 128, 256, 512, 1024, 2048, 4096), TrainingDefaults.TEST_DOCUMENTS,
                8, List.of(Method.ROPE), true, List.of(Method.values()), List.of(Temperature.values()), seed, threads);
    }

    /** The quick evaluation (CI): 3 lengths, 2 documents, one-pass only. */
    public static Extrapolation.Settings quick(long seed, int threads) {
        return new Extrapolation.Settings(List.of(64, 256, 1024), 2, 0, List.of(), true, List.of(Method.values()),
                List.of(Temperature.values()), seed, threads);
    }

    /**
     * Runs and writes the report into {@code out}.
     *
     * @param corpusPath null for the Europarl sample the checkpoints were trained on
     */
    public static ExtrapolationReport.Results run(Extrapolation.Settings s, Path corpusPath, Path out,
            Supplier<AttentionKernel> kernels, String kernelName, boolean probe, Consumer<String> progress) {
        long t0 = System.nanoTime();
        List<GauModel> models = new ArrayList<>();
        for (String c : CHECKPOINTS) {
            models.add(GauModel.loadResource(c));
        }
        if (!models.get(0).vocabulary().equals(models.get(1).vocabulary())) {
            throw new IllegalStateException("the committed checkpoints have different vocabularies");
        }
        progress.accept("experiment: reading the corpus");
        Corpus corpus = corpusPath == null ? Corpus.europarl() : Corpus.fromPath(corpusPath);
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        TestSet test = TestSet.of(split.test(), models.get(0).vocabulary());
        int space = models.get(0).vocabulary().id(' ');
        Unigram uni = Unigram.fromTraining(split.train(), models.get(0).vocabulary());
        Map<Protocol, Metrics> unigram = new LinkedHashMap<>();
        if (s.onePass()) {
            unigram.put(Protocol.ONE_PASS, uni.onePass(test, s.documents(), s.lengths().get(0), s.seed(), space));
        }
        List<Extrapolation.Cell> cells = Extrapolation.run(models, test, s, kernels, progress);
        if (s.positions() > 0) {
            unigram.put(Protocol.ONE_TOKEN, uni.oneToken(test, s.documents(), s.lengths().get(0), s.positions(), space));
        }
        List<WindowProbe.Row> rows = new ArrayList<>();
        int window = models.get(0).config().trainLength() / 2;
        if (probe) {
            progress.accept("experiment: window probe at n = " + PROBE_LENGTH);
            for (GauModel m : models) {
                rows.addAll(WindowProbe.run(m, test, Math.min(2, s.documents()), PROBE_LENGTH, window, PROBE_MULTIPLIERS,
                        kernels.get()));
            }
        }
        String rule = "document i is held out when i % 10 == 0; the 10 longest held-out documents are the test set "
                + "(lengths " + lengths(test) + " characters)";
        ExtrapolationReport.Results r = new ExtrapolationReport.Results(models, s, cells, unigram, rows, PROBE_LENGTH,
                window, corpus.name(), rule, kernelName, (System.nanoTime() - t0) / 1e9);
        ExtrapolationReport.write(r, out);
        return r;
    }

    private static String lengths(TestSet t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(t.length(i));
        }
        return b.toString();
    }
}
