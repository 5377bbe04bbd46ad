package org.isentropic.experiments.eval;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.isentropic.base.OutputFiles;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.experiments.calibrate.CapturingKernel;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.model.CopyTask;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionOutput;

/**
 * The long-range retrieval probe (issue 24): can a model find, D characters away, the only source of what it must
 * predict? In a window of a test stream, random strings of 8-16 letters are planted twice ({@link CopyTask}), each
 * second copy D after its first, for every D of the grid at once (the pairs placed so that no spans overlap, largest
 * D first; each pair's string is its own, so each target's only source is its own first copy). Every other letter of
 * each second copy is masked (nothing else is; {@link CopyTask#targetPositions}), and the masked letters are scored. The control run replaces every first copy by a different
 * random string: its accuracy is the floor (what letter frequencies give without a source), so copying is the
 * accuracy above the floor. Distances up to {@value #MAX_SHORT} are also probed alone in a window of N (the skill at
 * the training length).
 *
 * <p>Source mass: each layer's attention weight on the source span, averaged over the span's masked rows,
 * computed with the kernel on the captured queries and keys with an indicator value vector (1 on the source keys, 0
 * elsewhere): the output of row i is then exactly the mass row i puts on the source. {@value #FILE} keeps the last
 * layer's, {@link SourceMassByLayer} every layer's.
 */
public final class RetrievalProbe {

    /** The distances of the grid: three inside N, then out to about 4,000. */
    public static final int[] DISTANCES = {16, 32, 48, 128, 512, 1024, 2048, 4000};
    /** Distances also probed alone in a window of N. */
    public static final int MAX_SHORT = 48;
    /** The full window: every distance planted in one window of the test stream's length. */
    public static final int WINDOW = 4096;
    public static final String FILE = "retrieval.csv.gz";
    public static final String HEADER = "checkpoint,seed,stream,distance,n,method,temperature,control,correct,loss,"
            + "source_mass";

    /** One pair of the layout: its distance, string length and first copy's start. */
    record Pair(int distance, int length, int source) {
    }

    /**
     * A scored character; {@code layerMass[l]} is the attention weight layer l's row puts on its source span, averaged
     * over the span's masked rows.
     */
    public record Hit(Plan.Row row, int stream, int distance, int n, boolean control, boolean correct, double loss,
            double[] layerMass) {

        /** The last layer's mass on the source (the CSV's {@code source_mass}). */
        public double sourceMass() {
            return layerMass[layerMass.length - 1];
        }
    }

    private RetrievalProbe() {
    }

    /**
     * The window a distance is read from by the registered claims and the figure: D &lt;= {@value #MAX_SHORT}, the
     * copies planted alone in a window of N (the skill at the training length); larger D, the full window of
     * {@value #WINDOW}. (D &lt;= {@value #MAX_SHORT} is also scored in the full window; the report's table shows both.)
     */
    public static int windowFor(int distance) {
        return distance <= MAX_SHORT ? TrainingDefaults.TRAIN_LENGTH : WINDOW;
    }

    /** True when the family has copy fine-tunes; without them the control and cos128 stand in ({@link #plan}). */
    public static boolean hasCopies(Family family) {
        return family.has(Family.COPY_CONTROL) || family.has(Family.COPY_COSSCALE);
    }

    /** The report's line on which checkpoints the probe ran (and which stood in for absent copy fine-tunes). */
    public static String checkpointsLine(Family family, boolean quick) {
        String seeds = quick || !hasCopies(family) ? "the lowest seed only" : "every seed";
        if (hasCopies(family)) {
            return "Checkpoints: the copy fine-tunes of family " + family.id() + " (copy-softmax-ft, copy-cosS), "
                    + seeds + (quick ? " (--quick)" : "") + ".\n\n" + copyFineTunes(family);
        }
        return "Checkpoints: family " + family.id() + " has no copy fine-tunes (copy-softmax-ft-seedK,"
                + " copy-cosS-seedK), so softmax-ft and cos128 stood in, " + seeds + ". Every registered claim is on"
                + " copy-* cells and is therefore not run: the table below shows the stand-ins' floors, not the claims'"
                + " cells.";
    }

    /** Issue 24: a copy fine-tune keeps the MLM validation accuracy at N within this many points of its base. */
    public static final double MLM_KEPT_POINTS = 2;

    /**
     * The copy fine-tunes' training facts from their JSON (the trainer's validation at N, the same windows for
     * every run): the MLM validation accuracy of {@code softmax-ft-seedK}, the model each copy lineage started from
     * ({@code TrainingPlan}), and of the same arm trained without copies ({@code softmax-ft-seedK} or
     * {@code cosS-seedK}, when indexed), its own, and its copy accuracy (windows of N each holding one planted copy,
     * its masked letters scored).
     */
    static String copyFineTunes(Family family) {
        StringBuilder b = new StringBuilder("| copy fine-tune | MLM accuracy of softmax-ft-seedK % | MLM accuracy %"
                + " | change (points) | within " + (int) MLM_KEPT_POINTS + " points | the arm without copies % |"
                + " copy accuracy at N % |\n|---|---|---|---|---|---|---|\n");
        for (Family.Checkpoint c : family.checkpoints()) {
            if (!c.role().equals(Family.COPY_CONTROL) && !c.role().equals(Family.COPY_COSSCALE)) {
                continue;
            }
            double start = accuracy(family, "softmax-ft-seed" + c.seed());
            if (Double.isNaN(start)) {
                throw new IllegalStateException(c.name() + ": softmax-ft-seed" + c.seed()
                        + ", the start of its copy lineage, is not in the family's index");
            }
            double twin = accuracy(family, c.name().substring("copy-".length()));
            Map<String, Object> t = GauModel.loadResource(c.resource()).training();
            double after = 100 * CheckpointTable.number(t, "final_validation_accuracy");
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f | %s | %s | %.1f |%n", c.name(), start,
                    after, after - start, after - start >= -MLM_KEPT_POINTS ? "yes" : "no",
                    Double.isNaN(twin) ? "not trained" : String.format(Locale.ROOT, "%.1f", twin),
                    100 * CheckpointTable.number(t, "final_copy_accuracy")));
        }
        return b.toString();
    }

    /** The MLM validation accuracy (%) of the family's checkpoint {@code name}, NaN when it is not indexed. */
    private static double accuracy(Family family, String name) {
        return family.checkpoints().stream().filter(f -> f.name().equals(name)).findFirst()
                .map(f -> 100 * CheckpointTable.number(GauModel.loadResource(f.resource()).training(),
                        "final_validation_accuracy"))
                .orElse(Double.NaN);
    }

    /**
     * The pairs of one window of n: each distance of {@code distances} that fits, a random length in [8, 16], its
     * first copy placed at a random free start so that no two spans overlap (with a gap of 4), largest D first.
     */
    static List<Pair> layout(int n, int[] distances, SplittableRandom rng) {
        boolean[] used = new boolean[n];
        List<Pair> out = new ArrayList<>();
        int[] sorted = Arrays.stream(distances).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        for (int d : sorted) {
            int length = CopyTask.MIN_LENGTH + rng.nextInt(CopyTask.MAX_LENGTH - CopyTask.MIN_LENGTH + 1);
            int room = n - d - length;
            if (d < length || room < 0) {
                continue;
            }
            int offset = rng.nextInt(room + 1);
            for (int tries = 0; tries <= room; tries++) {
                int s = (offset + tries) % (room + 1);
                if (free(used, s, length) && free(used, s + d, length)) {
                    mark(used, s, length);
                    mark(used, s + d, length);
                    out.add(new Pair(d, length, s));
                    break;
                }
            }
        }
        return out;
    }

    private static boolean free(boolean[] used, int from, int length) {
        for (int i = Math.max(0, from - 4); i < Math.min(used.length, from + length + 4); i++) {
            if (used[i]) {
                return false;
            }
        }
        return true;
    }

    private static void mark(boolean[] used, int from, int length) {
        Arrays.fill(used, from, from + length, true);
    }

    /**
     * Scores one row of the plan on the probe: for every test stream, at n = the stream length (every distance) and
     * at n = N (each distance up to {@value #MAX_SHORT} alone), the copy run and the control run.
     */
    public static List<Hit> run(GauModel m, Plan.Row row, Streams test, int streams, long seed,
            Map<String, Evaluation.CheckpointCalibration> cal, Map<Evaluation.OracleKey, double[]> oracle,
            AttentionKernel kernel) {
        int[] letters = CopyTask.letters(m.vocabulary());
        int trainLength = m.config().trainLength();
        List<Hit> out = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int n = test.length();
            SplittableRandom rng = new SplittableRandom(seed + 1_000_003L * s);
            List<Pair> pairs = layout(n, DISTANCES, rng.split());
            long strings = rng.nextLong();
            for (boolean control : new boolean[] {false, true}) {
                score(m, row, test.window(s, 0, n), pairs, strings, control, s, letters, cal, oracle, kernel, out);
            }
            for (int d : DISTANCES) {
                if (d > MAX_SHORT) {
                    continue;
                }
                List<Pair> one = layout(trainLength, new int[] {d}, rng.split());
                long str = rng.nextLong();
                int[] window = test.window(s, test.windowStart(trainLength), trainLength);
                for (boolean control : new boolean[] {false, true}) {
                    score(m, row, window, one, str, control, s, letters, cal, oracle, kernel, out);
                }
            }
        }
        return out;
    }

    private static void score(GauModel m, Plan.Row row, int[] window, List<Pair> pairs, long strings, boolean control,
            int stream, int[] letters, Map<String, Evaluation.CheckpointCalibration> cal,
            Map<Evaluation.OracleKey, double[]> oracle, AttentionKernel kernel, List<Hit> out) {
        int n = window.length;
        SplittableRandom rng = new SplittableRandom(strings);
        int[] tokens = window;
        List<CopyTask> tasks = new ArrayList<>();
        for (Pair p : pairs) {
            // the same strings in the copy and the control run (the control's source is redrawn from its own stream)
            CopyTask t = CopyTask.plant(tokens, p.source(), p.distance(), p.length(), letters, rng.split(), control);
            tokens = t.tokens();
            tasks.add(t);
        }
        int[] input = tokens.clone();
        List<Integer> rows = new ArrayList<>();
        for (CopyTask t : tasks) {
            for (int q : t.targetPositions()) {
                input[q] = CharVocabulary.MASK;
                rows.add(q);
            }
        }
        int[] scored = rows.stream().mapToInt(Integer::intValue).toArray();
        CapturingKernel ck = new CapturingKernel(kernel, CapturingKernel.ALL);
        GauModel.Forward f = m.forward(input, Evaluation.operator(m, row, n, cal, oracle), ck, scored, false);
        List<Calibration.Capture> caps = ck.capturedAll();
        int vsz = m.config().vocabSize();
        float[] logits = f.logits();
        double[][] mass = new double[caps.size()][]; // [layer][task]
        for (int l = 0; l < caps.size(); l++) {
            mass[l] = sourceMasses(caps.get(l), tasks, kernel);
        }
        int r = 0;
        for (int i = 0; i < tasks.size(); i++) {
            CopyTask t = tasks.get(i);
            double[] layerMass = new double[caps.size()];
            for (int l = 0; l < caps.size(); l++) {
                layerMass[l] = mass[l][i];
            }
            for (int q : t.targetPositions()) {
                Prediction p = Prediction.of(logits, r, vsz, tokens[q]);
                out.add(new Hit(row, stream, t.target() - t.source(), n, control, p.correct(), p.loss(), layerMass));
                r++;
            }
        }
    }

    /** Mean over the task's target rows of the attention weight on its source span (indicator value vector). */
    static double sourceMass(Calibration.Capture c, CopyTask t, AttentionKernel kernel) {
        return sourceMasses(c, List.of(t), kernel)[0];
    }

    /**
     * {@link #sourceMass} of every task in one kernel call: value column i is task i's source indicator, so the
     * output's column i at a row is the weight that row puts on task i's source.
     */
    static double[] sourceMasses(Calibration.Capture c, List<CopyTask> tasks, AttentionKernel kernel) {
        int dv = tasks.size();
        double[] out = new double[dv];
        if (dv == 0) {
            return out;
        }
        float[] v = new float[c.n() * dv];
        for (int i = 0; i < dv; i++) {
            CopyTask t = tasks.get(i);
            for (int j = 0; j < t.length(); j++) {
                v[(t.source() + j) * dv + i] = 1f;
            }
        }
        AttentionOutput o = AttentionOutput.allocate(c.n(), dv, false);
        kernel.attend(c.spec(), c.q(), c.k(), v, c.n(), c.d(), dv, o);
        for (int i = 0; i < dv; i++) {
            int[] targets = tasks.get(i).targetPositions();
            for (int q : targets) {
                out[i] += o.o()[q * dv + i];
            }
            out[i] /= targets.length;
        }
        return out;
    }

    /** Writes {@value #FILE} (one row per scored character), atomically (OutputFiles). */
    public static void write(List<Hit> hits, Path file) {
        OutputFiles.write(file, tmp -> {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(tmp)),
                    StandardCharsets.UTF_8))) {
                w.write(HEADER + "\n");
                for (Hit h : hits) {
                    CellRef c = CellRef.of(h.row());
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%s,%s,%d,%d,%.5f,%.5f%n", c.checkpoint(),
                            h.row().checkpoint().seed(), h.stream(), h.distance(), h.n(), c.method(), c.temperature(),
                            h.control() ? 1 : 0, h.correct() ? 1 : 0, h.loss(), h.sourceMass()));
                }
            }
        });
    }

    /**
     * Runs the probe for every row of {@code plan} on {@code setup}'s test streams (calibrating the checkpoints and
     * the oracle as the evaluation does; the rows spread over {@code threads} workers, one kernel each, the result in
     * the plan's row order whatever the thread count) and writes {@value #FILE} and {@value SourceMassByLayer#FILE}
     * into {@code out}.
     */
    public static List<Hit> runPlan(ExperimentRunner.Setup setup, int streams, long seed, int threads, Path out,
            Consumer<String> progress) {
        Evaluation.Result cal = Evaluation.calibrateOnly(setup.family(), setup.models(), setup.plan(),
                setup.calibration(), seed, threads, () -> AttentionKernels.fused(1), progress);
        ThreadLocal<AttentionKernel> kernel = ThreadLocal.withInitial(
                () -> AttentionKernels.isentropic(AttentionKernels.fused(1)));
        List<Plan.Row> rows = new ArrayList<>(setup.plan().rows(setup.family()).keySet());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<List<Hit>>> parts = new ArrayList<>();
            for (Plan.Row row : rows) {
                GauModel m = setup.models().get(row.checkpoint().name());
                parts.add(pool.submit(() -> {
                    List<Hit> h = run(m, row, setup.test().get(Protocol.STREAMS), streams, seed, cal.calibration(),
                            cal.oracle(), kernel.get());
                    progress.accept(String.format(Locale.ROOT, "[%d/%d] retrieval %s", done.incrementAndGet(),
                            rows.size(), CellRef.of(row)));
                    return h;
                }));
            }
            List<Hit> hits = new ArrayList<>();
            for (Future<List<Hit>> f : parts) {
                hits.addAll(f.get());
            }
            write(hits, out.resolve(FILE)); // OutputFiles creates the checked --out directory
            SourceMassByLayer.write(hits, out.resolve(SourceMassByLayer.FILE));
            return hits;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("retrieval probe interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The probe's plan (issue 24, the grid): per copy fine-tune, RoPE with standard, log-n, InfoScale, oracle and
     * per-row isentropic on the control's copy family; windowed, StreamingLLM and LM-Infinite (standard) on it as
     * the methods that cannot see far keys; CosScale's copy families with standard and InfoScale. Under
     * {@code quick}, or when the family has no copy fine-tune yet, the control and cos128 stand in (their rows say
     * so by their checkpoint names), on the lowest seed.
     */
    public static Plan plan(Family family, boolean quick, int streams) {
        boolean copies = hasCopies(family);
        String control = copies ? "copy-softmax-ft" : "softmax-ft";
        int first = family.checkpoints().stream().mapToInt(Family.Checkpoint::seed).min().orElse(1);
        java.util.function.Predicate<Family.Checkpoint> seeds = c -> !quick && copies || c.seed() == first;
        List<Plan.Entry> e = new ArrayList<>();
        List<Integer> lengths = List.of(Streams.REGION, WINDOW);
        e.add(new Plan.Entry("control: RoPE x temperatures", c -> Family.withoutSeed(c.name()).equals(control)
                && seeds.test(c), Protocol.STREAMS, List.of(Method.ROPE), quick ? List.of(Temperature.STANDARD,
                Temperature.INFOSCALE) : List.of(Temperature.STANDARD, Temperature.LOGN, Temperature.INFOSCALE,
                Temperature.ORACLE, Temperature.ISENTROPIC), lengths, true));
        e.add(new Plan.Entry("control: methods that cannot see far keys", c -> Family.withoutSeed(c.name())
                .equals(control) && seeds.test(c), Protocol.STREAMS, quick ? List.of(Method.WINDOW)
                : List.of(Method.WINDOW, Method.STREAMING, Method.LM_INFINITE), List.of(Temperature.STANDARD), lengths,
                true));
        e.add(new Plan.Entry("CosScale: RoPE x standard, InfoScale", c -> (copies
                ? c.role().equals(Family.COPY_COSSCALE) : Family.withoutSeed(c.name()).equals("cos128")) && seeds.test(c),
                Protocol.STREAMS, List.of(Method.ROPE), List.of(Temperature.STANDARD, Temperature.INFOSCALE), lengths,
                true));
        return new Plan(quick ? "retrieval-quick" : "retrieval", e, streams, quick ? 2 : 8, WINDOW);
    }
}
