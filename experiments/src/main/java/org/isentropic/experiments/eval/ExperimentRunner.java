package org.isentropic.experiments.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.corpus.SharedText;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.isentropic.kernels.spec.AttentionKernel;

/**
 * The whole evaluation in one call (used by {@code isentropic experiment eval}): loads a checkpoint family,
 * splits its corpus with the training run's rule ({@link CorpusSplit}), builds the test and calibration streams,
 * runs the plan and writes the report. v3 (long documents): test streams are pieces of the test documents and
 * calibration streams pieces of the calibration documents ({@link Streams#withinDocuments}). v1 and d128
 * (Europarl): streams join held-out documents, even-numbered ones for the test streams, odd-numbered ones for
 * the calibration streams ({@link Streams#build}).
 */
public final class ExperimentRunner {

    /** Test streams the window probe (claim 4) runs on. */
    public static final int PROBE_STREAMS = 4;

    private ExperimentRunner() {
    }

    /** The inputs of a run, built before any work so that bad input fails fast. */
    public record Setup(Family family, Map<String, GauModel> models, Plan plan, Map<Protocol, Streams> test,
            Streams calibration, Unigram unigram, String corpusName) {
    }

    /**
     * Loads checkpoints and corpus and builds the streams.
     *
     * @param corpusPath null for the Europarl sample the checkpoints were trained on
     */
    public static Setup setup(Family family, Plan plan, Path corpusPath) {
        Map<String, GauModel> models = new LinkedHashMap<>();
        CharVocabulary vocab = null;
        for (Family.Checkpoint c : family.checkpoints()) {
            GauModel m = GauModel.loadResource(c.resource());
            if (vocab != null && !vocab.equals(m.vocabulary())) {
                throw new IllegalStateException("checkpoints of family " + family.id() + " have different vocabularies");
            }
            vocab = m.vocabulary();
            models.put(c.name(), m);
        }
        Corpus corpus = corpusPath == null ? Corpus.named(family.corpus()) : Corpus.fromPath(corpusPath);
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        Map<Protocol, Streams> test = new LinkedHashMap<>();
        Streams cal;
        if (family.longDocuments()) {
            SharedText shared = SharedText.of(split.train(), vocab);
            test.put(Protocol.STREAMS, Streams.withinDocuments(split.test(), vocab, plan.maxLength(), plan.streams(),
                    p -> !shared.shares(p)));
            cal = Streams.withinDocuments(split.calibration(), vocab, plan.maxLength(), plan.calibrationStreams(),
                    p -> !shared.shares(p));
        } else {
            List<String> heldOut = heldOut(corpus);
            test.put(Protocol.STREAMS, Streams.build(heldOut, vocab, plan.maxLength(), plan.streams(), 0, 2));
            cal = Streams.build(heldOut, vocab, plan.maxLength(), plan.calibrationStreams(), 1, 2);
        }
        boolean repeated = plan.rows(family).keySet().stream().anyMatch(r -> r.protocol() == Protocol.REPEATED);
        if (repeated) {
            test.put(Protocol.REPEATED, Streams.tiled(split.test(), vocab, plan.maxLength()));
        }
        Unigram uni = Unigram.fromTraining(split.train(), vocab);
        return new Setup(family, models, plan, test, cal, uni, corpus.name());
    }

    /**
     * The streams of one part of a corpus split as the evaluation builds them for a family of long documents
     * ({@code isentropic experiment streams}): every piece of {@code length} characters of the part's documents;
     * for every part but the training part, without the pieces that share a {@value SharedText#SLICE}-character
     * passage with the training text.
     */
    public static Streams streamsOf(CorpusSplit split, String part, CharVocabulary vocab, int length) {
        if (part.equals("train")) {
            return Streams.withinDocuments(split.train(), vocab, length, 0);
        }
        SharedText shared = SharedText.of(split.train(), vocab);
        return Streams.withinDocuments(split.part(part), vocab, length, 0, p -> !shared.shares(p));
    }

    /** The held-out documents (index i % 10 == 0, the training run's rule), in source order. */
    static List<String> heldOut(Corpus corpus) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < corpus.documents().size(); i += CorpusSplit.HOLD_OUT_EVERY) {
            out.add(corpus.documents().get(i));
        }
        return out;
    }

    /**
     * The registered claims a plan decides: all of them at their own n for the full plan; for a shorter plan
     * ({@code --quick}) the ones it has cells for, moved to its longest length and marked so in their statement.
     */
    public static List<RegisteredClaims.Claim> claimsOf(Plan plan) {
        List<RegisteredClaims.Claim> all = RegisteredClaims.packaged();
        if (plan.maxLength() >= Plan.ALL_LENGTHS.get(Plan.ALL_LENGTHS.size() - 1)) {
            return all;
        }
        return all.stream().filter(c -> Plan.QUICK_CLAIMS.contains(c.id()))
                .map(c -> new RegisteredClaims.Claim(c.id(), "[" + plan.name() + " plan: at n = " + plan.maxLength()
                        + " instead of " + c.n() + ", one seed, " + plan.streams() + " streams; a smoke test, not the"
                        + " claim] " + c.statement(), c.metric(), plan.maxLength(), c.a(), c.b(), c.margin(),
                        c.direction()))
                .toList();
    }

    /**
     * The store of finished cells in {@code out} for this setup (a run cut off resumes from it; {@link CellStore}):
     * refused, naming {@code option}, when {@code out} holds the cells of a run with other settings.
     *
     * @param kernel what computes attention, as it affects the scores (not the number of workers)
     */
    public static CellStore cellStore(Setup s, long seed, String kernel, Path out, String option) {
        Plan p = s.plan();
        return CellStore.open(out, option, CellStore.fingerprint(List.of("family: " + s.family().id(),
                "corpus: " + s.corpusName(), "plan: " + p.name(), "test streams: " + p.streams(),
                "calibration streams: " + p.calibrationStreams(), "longest length: " + p.maxLength(),
                "seed: " + seed, "kernel: " + kernel)));
    }

    /** Runs and writes the report into {@code out}; {@code store} (may be null) keeps and supplies finished cells. */
    public static Evaluation.Result run(Setup s, long seed, int threads, Supplier<AttentionKernel> kernels,
            Path out, String kernelName, Consumer<String> progress, CellStore store) {
        Evaluation.Result r = Evaluation.run(s.family(), s.models(), s.plan(), s.test(), s.calibration(), s.unigram(),
                seed, threads, kernels, progress, store);
        List<WindowProbe.Row> probe = new ArrayList<>();
        Streams st = s.test().get(Protocol.STREAMS);
        int probeStreams = Math.min(PROBE_STREAMS, st.size());
        AttentionKernel k = kernels.get();
        java.util.Set<Family.Checkpoint> planned = new java.util.LinkedHashSet<>();
        s.plan().rows(s.family()).keySet().forEach(row -> planned.add(row.checkpoint()));
        for (Family.Checkpoint c : planned) {
            GauModel m = s.models().get(c.name());
            int trainLength = m.config().trainLength();
            int[] lengths = trainLength >= s.plan().maxLength() ? new int[] {s.plan().maxLength()}
                    : new int[] {Math.max(trainLength, Streams.REGION), s.plan().maxLength()};
            progress.accept("window probe: " + c.name() + " at n = " + java.util.Arrays.toString(lengths));
            probe.addAll(WindowProbe.run(c, m, st, probeStreams, lengths, k));
        }
        if (s.family().longDocuments()) {
            ClaimsReport.write(r, probe, s, claimsOf(s.plan()), seed, kernelName, out);
        } else {
            ExtrapolationReport.write(r, probe, s, seed, kernelName, out);
        }
        return r;
    }
}
