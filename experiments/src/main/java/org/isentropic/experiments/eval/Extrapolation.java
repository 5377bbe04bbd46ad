package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.MlmMasking;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.NMode;

/**
 * The length-extrapolation evaluation (digest section 6, issue 8): every (model, method, temperature,
 * length) cell predicts masked characters of the test documents, under the one-token protocol (at
 * {@code positions} evenly spaced positions per document, see {@link Protocol#ONE_TOKEN}) and/or the
 * one-pass 15 % variant. Work is spread over {@code threads} workers, each running whole forward passes
 * with a kernel from {@code kernels}; results do not depend on the thread count or order.
 */
public final class Extrapolation {

    /**
     * What to run.
     *
     * @param lengths evaluation lengths n
     * @param documents how many of the test documents (the first ones)
     * @param positions P of the one-token protocol (0: protocol not run)
     * @param oneTokenMethods methods run under the one-token protocol (all temperatures)
     * @param onePass whether the one-pass 15 % variant runs (every method and temperature)
     */
    public record Settings(List<Integer> lengths, int documents, int positions, List<Method> oneTokenMethods,
            boolean onePass, List<Method> methods, List<Temperature> temperatures, long seed, int threads) {

        public Settings {
            lengths = List.copyOf(lengths);
            oneTokenMethods = List.copyOf(oneTokenMethods);
            methods = List.copyOf(methods);
            temperatures = List.copyOf(temperatures);
            if (lengths.isEmpty() || lengths.stream().anyMatch(n -> n < 2)) {
                throw new IllegalArgumentException("lengths must be non-empty and >= 2, got " + lengths);
            }
            if (documents < 1 || positions < 0 || threads < 1) {
                throw new IllegalArgumentException("documents >= 1, positions >= 0, threads >= 1 required, got "
                        + documents + ", " + positions + ", " + threads);
            }
        }
    }

    /** One cell of the table. */
    public record Cell(String model, Method method, Temperature temperature, Protocol protocol, int length,
            Metrics metrics, double[] meanEntropy) {
    }

    private record Task(GauModel model, Method method, Temperature temperature, Protocol protocol, int length,
            int doc) {
    }

    private record Partial(Metrics metrics, double[] entropySum, int passes) {
    }

    private Extrapolation() {
    }

    /**
     * Runs the evaluation.
     *
     * @param kernels makes one kernel per worker
     * @param progress receives one line per finished cell (stderr in the command)
     */
    public static List<Cell> run(List<GauModel> models, TestSet test, Settings s, Supplier<AttentionKernel> kernels,
            Consumer<String> progress) {
        if (s.documents() > test.size()) {
            throw new IllegalArgumentException("documents must be <= " + test.size() + ", got " + s.documents());
        }
        List<List<Task>> cells = new ArrayList<>();
        for (GauModel m : models) {
            for (Protocol p : Protocol.values()) {
                List<Method> methods = p == Protocol.ONE_TOKEN ? (s.positions() > 0 ? s.oneTokenMethods() : List.of())
                        : (s.onePass() ? s.methods() : List.of());
                for (Method method : methods) {
                    for (Temperature t : s.temperatures()) {
                        for (int n : s.lengths()) {
                            List<Task> tasks = new ArrayList<>();
                            for (int doc = 0; doc < s.documents(); doc++) {
                                tasks.add(new Task(m, method, t, p, n, doc));
                            }
                            cells.add(tasks);
                        }
                    }
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(s.threads());
        ThreadLocal<AttentionKernel> kernel = ThreadLocal.withInitial(kernels);
        try {
            List<List<Future<Partial>>> futures = new ArrayList<>();
            for (List<Task> cell : cells) {
                List<Future<Partial>> f = new ArrayList<>();
                for (Task t : cell) {
                    f.add(pool.submit(() -> evaluate(t, test, s, kernel.get())));
                }
                futures.add(f);
            }
            List<Cell> out = new ArrayList<>();
            AtomicInteger done = new AtomicInteger();
            for (int c = 0; c < cells.size(); c++) {
                Task first = cells.get(c).get(0);
                Metrics m = Metrics.empty();
                double[] ent = new double[first.model().config().layers()];
                int passes = 0;
                for (Future<Partial> f : futures.get(c)) {
                    Partial p = f.get();
                    m = m.plus(p.metrics());
                    for (int l = 0; l < ent.length; l++) {
                        ent[l] += p.entropySum()[l];
                    }
                    passes += p.passes();
                }
                for (int l = 0; l < ent.length; l++) {
                    ent[l] /= passes;
                }
                Cell cell = new Cell(first.model().name(), first.method(), first.temperature(), first.protocol(),
                        first.length(), m, ent);
                out.add(cell);
                progress.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %s %s %s %s n=%d: acc %.4f loss %.4f",
                        done.incrementAndGet(), cells.size(), cell.model(), cell.protocol().label(),
                        cell.method().label(), cell.temperature().label(), cell.length(), m.accuracy(), m.loss()));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The spec operator of a method and temperature for a model. */
    public static UnaryOperator<AttentionSpec> spec(GauModel model, Method method, Temperature t) {
        int big = model.config().trainLength();
        int d = model.config().keyDim();
        UnaryOperator<AttentionSpec> m = method.apply(big, model.config().ropeBase(), d);
        if (t == Temperature.STANDARD) {
            return m;
        }
        var rule = t.rule(big, d);
        return s -> m.apply(s).withRule(rule, NMode.SEQUENCE);
    }

    private static Partial evaluate(Task t, TestSet test, Settings s, AttentionKernel kernel) {
        GauModel model = t.model();
        int space = model.vocabulary().id(' ');
        UnaryOperator<AttentionSpec> op = spec(model, t.method(), t.temperature());
        int vsz = model.config().vocabSize();
        Metrics m = Metrics.empty();
        double[] ent = new double[model.config().layers()];
        int passes = 0;
        if (t.protocol() == Protocol.ONE_TOKEN) {
            for (int[] tokens : test.windows(t.doc(), t.length(), space)) {
                for (int p : oneTokenPositions(t.length(), s.positions())) {
                    int[] input = tokens.clone();
                    input[p] = CharVocabulary.MASK;
                    GauModel.Forward f = model.forward(input, op, kernel, new int[] {p}, false);
                    m = score(m, f.logits(), 0, vsz, tokens[p]);
                    add(ent, f.meanEntropy());
                    passes++;
                }
            }
        } else {
            for (Masked w : onePassMasks(test, t.doc(), t.length(), s.seed(), space)) {
                GauModel.Forward f = model.forward(w.masking().input(), op, kernel, w.masking().chosen(), false);
                int[] chosen = w.masking().chosen();
                for (int r = 0; r < chosen.length; r++) {
                    m = score(m, f.logits(), r, vsz, w.tokens()[chosen[r]]);
                }
                add(ent, f.meanEntropy());
                passes++;
            }
        }
        return new Partial(m, ent, passes);
    }

    /** A window of a test document and its one-pass masking. */
    public record Masked(int[] tokens, MlmMasking masking) {
    }

    /**
     * The one-pass protocol's masked windows of document {@code doc} at length n: the same for every cell
     * (and for the unigram baseline), drawn from {@link #rng(long, int, int)} window after window.
     */
    public static List<Masked> onePassMasks(TestSet test, int doc, int n, long seed, int space) {
        SplittableRandom r = rng(seed, doc, n);
        List<Masked> out = new ArrayList<>();
        for (int[] w : test.windows(doc, n, space)) {
            out.add(new Masked(w, MlmMasking.evaluation(w, MlmMasking.RATE, r)));
        }
        return out;
    }

    /** The one-token protocol's positions in a window of n: p_j = floor((j + 1/2) n / P), j = 0..P-1. */
    public static int[] oneTokenPositions(int n, int positions) {
        int[] p = new int[positions];
        for (int j = 0; j < positions; j++) {
            p[j] = (int) Math.floor((j + 0.5) * n / positions);
        }
        return p;
    }

    /** The masking generator of document {@code doc} at length n: the same masks for every cell. */
    public static SplittableRandom rng(long seed, int doc, int n) {
        return new SplittableRandom(seed * 1_000_003L + doc * 10_007L + n);
    }

    private static void add(double[] acc, double[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
    }

    /** Adds the prediction of row r (logits[r*V .. r*V+V)) for the original token. */
    static Metrics score(Metrics m, float[] logits, int r, int vsz, int target) {
        int off = r * vsz;
        double max = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int v = 0; v < vsz; v++) {
            if (logits[off + v] > max) {
                max = logits[off + v];
                arg = v;
            }
        }
        double sum = 0;
        for (int v = 0; v < vsz; v++) {
            sum += Math.exp(logits[off + v] - max);
        }
        double loss = max + Math.log(sum) - logits[off + target];
        return m.add(arg == target, loss);
    }

    /** Mean entropy helper for reports: the layer average. */
    public static double layerMean(double[] e) {
        return Arrays.stream(e).average().orElse(Double.NaN);
    }
}
