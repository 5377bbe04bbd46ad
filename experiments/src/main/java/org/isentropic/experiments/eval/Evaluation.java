package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.experiments.calibrate.CapturingKernel;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.DerivedFactors;

/**
 * Runs a {@link Plan} on a {@link Family}: first the calibrations (every checkpoint's per-layer mean entropy
 * at its training length N on held-out calibration streams, the derived factors from it, and the oracle
 * factors for every (checkpoint, method, n) an oracle row needs), then one forward pass per (row, length,
 * stream), scoring the stream's fixed targets. Work is spread over {@code threads} workers with one kernel
 * each; results do not depend on the thread count or order.
 */
public final class Evaluation {

    /** Monte-Carlo rows per length for the derived factor ({@code isentropic derive}'s default). */
    public static final int DERIVED_SAMPLES = 2000;

    /**
     * The score of one stream's targets in one cell.
     *
     * @param hits per target ({@link Streams#targets} order): 1 when the top prediction is the original character
     * @param losses per target: -ln p(original character), nats
     * @param entropy per layer, the mean attention row entropy over the windows' rows
     */
    public record StreamResult(Plan.Row row, int length, int stream, byte[] hits, float[] losses, double[] entropy) {

        public int predictions() {
            return hits.length;
        }

        public int correct() {
            int c = 0;
            for (byte h : hits) {
                c += h;
            }
            return c;
        }

        public double lossSum() {
            double l = 0;
            for (float x : losses) {
                l += x;
            }
            return l;
        }
    }

    /** Per checkpoint: mean entropy at N per layer and the derived factors per layer. */
    public record CheckpointCalibration(double[] entropyAtN, List<DerivedFactors> derived) {
    }

    /** One cell of the plan: a row at one length. */
    private record CellJob(Plan.Row row, int length) {
    }

    /** The oracle factor of one layer for a (checkpoint, method, n). */
    public record OracleKey(String checkpoint, Method method, int length) {
    }

    /** Everything the evaluation produced. */
    public record Result(Family family, Plan plan, Map<Plan.Row, List<Integer>> rows, List<StreamResult> results,
            Map<String, CheckpointCalibration> calibration, Map<OracleKey, double[]> oracle,
            Map<Protocol, double[][]> unigram, Map<String, GauModel> models, double seconds) {
    }

    private Evaluation() {
    }

    /**
     * @param test the test streams per protocol
     * @param calibration held-out calibration streams (disjoint from the test streams)
     * @param unigramBaseline the context-free baseline, scored on the same targets
     * @param kernels a plain attention kernel per worker (the per-row isentropic solver is wrapped around it)
     * @param progress one line per finished step (stderr in the command)
     */
    public static Result run(Family family, Map<String, GauModel> models, Plan plan, Map<Protocol, Streams> test,
            Streams calibration, Unigram unigramBaseline, long seed, int threads, Supplier<AttentionKernel> kernels,
            Consumer<String> progress) {
        return run(family, models, plan, test, calibration, unigramBaseline, seed, threads, kernels, progress, true,
                null);
    }

    /** As above, saving every finished cell in {@code store} and reading the cells it already has from it. */
    public static Result run(Family family, Map<String, GauModel> models, Plan plan, Map<Protocol, Streams> test,
            Streams calibration, Unigram unigramBaseline, long seed, int threads, Supplier<AttentionKernel> kernels,
            Consumer<String> progress, CellStore store) {
        return run(family, models, plan, test, calibration, unigramBaseline, seed, threads, kernels, progress, true,
                store);
    }

    /**
     * Only the calibrations of a plan (entropy at N, derived and oracle factors; phases 1 and 2 of {@link #run}): the
     * result has no scored cells. The retrieval probe uses it.
     */
    public static Result calibrateOnly(Family family, Map<String, GauModel> models, Plan plan, Streams calibration,
            long seed, int threads, Supplier<AttentionKernel> kernels, Consumer<String> progress) {
        return run(family, models, plan, Map.of(), calibration, null, seed, threads, kernels, progress, false, null);
    }

    private static Result run(Family family, Map<String, GauModel> models, Plan plan, Map<Protocol, Streams> test,
            Streams calibration, Unigram unigramBaseline, long seed, int threads, Supplier<AttentionKernel> kernels,
            Consumer<String> progress, boolean scoreCells, CellStore store) {
        long t0 = System.nanoTime();
        Map<Plan.Row, List<Integer>> rows = plan.rows(family);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // every worker's kernel runs the per-row isentropic temperature around the plain kernel it was given
        ThreadLocal<AttentionKernel> kernel = ThreadLocal.withInitial(() -> AttentionKernels.isentropic(kernels.get()));
        try {
            // 1. entropy at N and derived factors, per checkpoint
            Map<String, Future<CheckpointCalibration>> cf = new LinkedHashMap<>();
            Set<Family.Checkpoint> planned = new LinkedHashSet<>();
            rows.keySet().forEach(r -> planned.add(r.checkpoint()));
            for (Family.Checkpoint c : planned) { // checkpoints the plan does not run are not calibrated
                GauModel m = models.get(c.name());
                cf.put(c.name(), pool.submit(() -> calibrate(m, calibration, plan.maxLength(), seed, kernel.get())));
            }
            Map<String, CheckpointCalibration> cal = new LinkedHashMap<>();
            for (var e : cf.entrySet()) {
                cal.put(e.getKey(), e.getValue().get());
                progress.accept(String.format(Locale.ROOT, "calibration: %s entropy at N per layer %s",
                        e.getKey(), fmt(cal.get(e.getKey()).entropyAtN())));
            }
            // 2. oracle factors
            Map<OracleKey, Future<double[]>> of = new LinkedHashMap<>();
            Set<OracleKey> oraclesRead = new HashSet<>();
            for (var e : rows.entrySet()) {
                Plan.Row r = e.getKey();
                if (r.temperature() != Temperature.ORACLE) {
                    continue;
                }
                for (int n : e.getValue()) {
                    OracleKey k = new OracleKey(r.checkpoint().name(), r.method(), n);
                    if (!of.containsKey(k)) {
                        GauModel m = models.get(k.checkpoint());
                        double[] target = cal.get(k.checkpoint()).entropyAtN();
                        double[] stored = store == null ? null : store.loadOracle(k).orElse(null);
                        if (stored != null) {
                            oraclesRead.add(k);
                        }
                        of.put(k, stored != null ? CompletableFuture.completedFuture(stored)
                                : CompletableFuture.supplyAsync(
                                        () -> oracle(m, r.method(), n, calibration, target, kernel.get()), pool)
                                        .thenApply(f -> {
                                            if (store != null) {
                                                store.saveOracle(k, f);
                                            }
                                            return f;
                                        }));
                    }
                }
            }
            Map<OracleKey, double[]> oracle = new LinkedHashMap<>();
            for (var e : of.entrySet()) {
                oracle.put(e.getKey(), e.getValue().get());
                progress.accept(String.format(Locale.ROOT, "oracle: %s %s n=%d factors %s%s", e.getKey().checkpoint(),
                        e.getKey().method().id(), e.getKey().length(), fmt(e.getValue().get()),
                        oraclesRead.contains(e.getKey()) ? " (read from the cell store)" : ""));
            }
            if (!scoreCells) {
                return new Result(family, plan, rows, List.of(), cal, oracle, Map.of(), models,
                        (System.nanoTime() - t0) / 1e9);
            }
            // 3. the cells: the longest lengths are submitted first (every registered claim is at the longest, so a
            // run cut off has decided as many claims as it could); each cell is saved in the store the moment its last
            // stream is scored, and a cell the store already has is read, not scored
            List<CellJob> jobs = new ArrayList<>();
            for (var e : rows.entrySet()) {
                for (int n : e.getValue()) {
                    jobs.add(new CellJob(e.getKey(), n));
                }
            }
            List<CellJob> bySize = new ArrayList<>(jobs);
            bySize.sort(Comparator.comparingInt(CellJob::length).reversed());
            AtomicInteger done = new AtomicInteger();
            Object progressLock = new Object();
            Map<CellJob, CompletableFuture<List<StreamResult>>> futures = new LinkedHashMap<>();
            for (CellJob j : bySize) {
                Plan.Row r = j.row();
                int n = j.length();
                GauModel m = models.get(r.checkpoint().name());
                Streams st = test.get(r.protocol());
                List<StreamResult> stored = store == null ? null : store.load(r, n).orElse(null);
                boolean scored = stored == null || stored.size() != st.size();
                CompletableFuture<List<StreamResult>> cell;
                if (scored) {
                    List<CompletableFuture<StreamResult>> streams = new ArrayList<>();
                    for (int s = 0; s < st.size(); s++) {
                        int stream = s;
                        streams.add(CompletableFuture.supplyAsync(
                                () -> score(m, r, n, st, stream, cal, oracle, kernel.get()), pool));
                    }
                    cell = CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).thenApply(x -> {
                        List<StreamResult> l = streams.stream().map(CompletableFuture::join).toList();
                        if (store != null) {
                            store.save(r, n, l);
                        }
                        return l;
                    });
                } else {
                    cell = CompletableFuture.completedFuture(stored);
                }
                futures.put(j, cell.thenApply(l -> {
                    int correct = l.stream().mapToInt(StreamResult::correct).sum();
                    int count = l.stream().mapToInt(StreamResult::predictions).sum();
                    synchronized (progressLock) {
                        progress.accept(String.format(Locale.ROOT, "[%d/%d] %s %s %s %s n=%d: acc %.4f%s",
                                done.incrementAndGet(), jobs.size(), r.checkpoint().name(), r.protocol().label(),
                                r.method().id(), r.temperatureId(), n, (double) correct / count,
                                scored ? "" : " (read from the cell store)"));
                    }
                    return l;
                }));
            }
            List<StreamResult> out = new ArrayList<>();
            for (CellJob j : jobs) { // results in plan order, whatever the order they were scored in
                out.addAll(futures.get(j).get());
            }
            Map<Protocol, double[][]> uni = new LinkedHashMap<>();
            for (var e : test.entrySet()) {
                uni.put(e.getKey(), unigramBaseline.score(e.getValue()));
            }
            return new Result(family, plan, rows, out, cal, oracle, uni, models, (System.nanoTime() - t0) / 1e9);
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

    /**
     * The lengths at which derived factors are tabulated: N, 2N, 4N, ... and maxLength. Below N the derived
     * factor is not defined (the entropy at N may exceed ln n) and {@link #derivedRule} applies 1.
     */
    static int[] derivedGrid(int trainLength, int maxLength) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int n = trainLength; n <= maxLength; n *= 2) {
            s.add(n);
        }
        s.add(trainLength);
        s.add(maxLength);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Mean entropy per layer at N over every N-window of the calibration streams (targets masked at the
     * same window positions as the test protocol uses at n = N), then the derived factors per layer.
     */
    static CheckpointCalibration calibrate(GauModel m, Streams cal, int maxLength, long seed, AttentionKernel k) {
        int trainLength = m.config().trainLength();
        int layers = m.config().layers();
        double[] h = new double[layers];
        int windows = 0;
        int[] masks = maskPositions(trainLength);
        for (int s = 0; s < cal.size(); s++) {
            int[] tokens = cal.stream(s).tokens();
            for (int w = 0; (w + 1) * trainLength <= tokens.length; w++) {
                int[] in = Arrays.copyOfRange(tokens, w * trainLength, (w + 1) * trainLength);
                for (int p : masks) {
                    in[p] = CharVocabulary.MASK;
                }
                GauModel.Forward f = m.forward(in, UnaryOperator.identity(), k, new int[] {0}, false);
                for (int l = 0; l < layers; l++) {
                    h[l] += f.meanEntropy()[l];
                }
                windows++;
            }
        }
        List<DerivedFactors> derived = new ArrayList<>();
        int[] grid = derivedGrid(trainLength, Math.max(maxLength, trainLength));
        for (int l = 0; l < layers; l++) {
            h[l] /= windows;
            derived.add(Calibration.derived(m.config().keyDim(), trainLength, h[l], grid, DERIVED_SAMPLES, seed + 7919L * l));
        }
        return new CheckpointCalibration(h, derived);
    }

    /** The test protocol's masked positions in a window of n starting at a multiple of 8 ({@link Streams}). */
    static int[] maskPositions(int n) {
        return java.util.stream.IntStream.range(0, n).filter(Streams::masked).toArray();
    }

    /**
     * The oracle factors of a (checkpoint, method, n), layer after layer: with the factors of layers below
     * l applied, layer l's q and k are captured on every calibration stream's window of n, and its factor is
     * the one that brings the mean row entropy to the layer's entropy at N ({@link Calibration#oracle}).
     */
    static double[] oracle(GauModel m, Method method, int n, Streams cal, double[] target, AttentionKernel k) {
        int layers = m.config().layers();
        double[] f = new double[layers];
        Arrays.fill(f, 1.0);
        UnaryOperator<AttentionSpec> base = method.apply(m.config().trainLength(), m.config().ropeBase(),
                m.config().keyDim());
        for (int l = 0; l < layers; l++) {
            List<Calibration.Capture> caps = new ArrayList<>();
            double[] fixed = f.clone();
            for (int s = 0; s < cal.size(); s++) {
                CapturingKernel ck = new CapturingKernel(k, l);
                m.forward(cal.maskedWindow(s, n), perLayerFactors(base, fixed, layers), ck, new int[] {0}, false);
                caps.add(ck.captured());
            }
            try {
                f[l] = Calibration.oracle(caps, target[l], k);
            } catch (IllegalArgumentException unreachable) {
                // no factor reaches the entropy at N (e.g. a window showing fewer keys than N can never be as
                // spread out as the full row at N): the layer keeps factor 1 (the report's protocol says so)
                f[l] = 1.0;
            }
        }
        return f;
    }

    private static LayerOperator perLayerFactors(UnaryOperator<AttentionSpec> base, double[] f, int layers) {
        return new LayerOperator(l -> s -> {
            AttentionSpec b = base.apply(s);
            return f[l] == 1.0 ? b : b.withRule(len -> f[l], NMode.SEQUENCE);
        }, layers);
    }

    /** The spec operator of a row at length n (a new one per forward pass). */
    static UnaryOperator<AttentionSpec> operator(GauModel m, Plan.Row r, int n, Map<String, CheckpointCalibration> cal,
            Map<OracleKey, double[]> oracle) {
        int trainLength = m.config().trainLength();
        int d = m.config().keyDim();
        int layers = m.config().layers();
        UnaryOperator<AttentionSpec> base = r.method().apply(trainLength, m.config().ropeBase(), d);
        NMode mode = r.nMode();
        switch (r.temperature()) {
            case STANDARD:
                return base;
            case DERIVED: {
                List<DerivedFactors> dfs = cal.get(r.checkpoint().name()).derived();
                IntToDoubleFunction[] rules = dfs.stream().map(df -> derivedRule(df, trainLength))
                        .toArray(IntToDoubleFunction[]::new);
                return new LayerOperator(l -> s -> base.apply(s).withRule(rules[l], mode), layers);
            }
            case ORACLE: {
                double[] f = oracle.get(new OracleKey(r.checkpoint().name(), r.method(), n));
                if (f == null) {
                    throw new IllegalStateException("no oracle factors for " + r + " at n=" + n);
                }
                return perLayerFactors(base, f, layers);
            }
            case ISENTROPIC: {
                IsentropicTarget target = IsentropicTarget.window(trainLength);
                return s -> base.apply(s).withIsentropic(target);
            }
            default: {
                TemperatureRule rule = r.temperature().rule(trainLength, d);
                return s -> base.apply(s).withRule(rule, mode);
            }
        }
    }

    /**
     * A layer's derived factor as a rule of n: 1 for n <= N (no extrapolation), the solver's table
     * interpolated in ln n above N, its last value beyond the table.
     */
    static IntToDoubleFunction derivedRule(DerivedFactors df, int trainLength) {
        TemperatureRule table = df.asRule();
        int[] l = df.lengths();
        int last = Arrays.stream(l).max().getAsInt();
        return n -> n <= trainLength ? 1.0 : table.factor(Math.min(n, last));
    }

    static StreamResult score(GauModel m, Plan.Row r, int n, Streams st, int s, Map<String, CheckpointCalibration> cal,
            Map<OracleKey, double[]> oracle, AttentionKernel k) {
        int[] targets = st.targetTokens(s);
        byte[] hits = new byte[targets.length];
        float[] losses = new float[targets.length];
        int[] starts = st.windowStarts(n);
        double[] entropy = new double[m.config().layers()];
        int vsz = m.config().vocabSize();
        for (int start : starts) {
            int[] pos = st.targetsInWindow(start, n);
            int[] index = st.targetIndices(start, n);
            GauModel.Forward f = m.forward(st.maskedWindow(s, start, n), operator(m, r, n, cal, oracle), k, pos, false);
            float[] logits = f.logits();
            for (int t = 0; t < pos.length; t++) {
                Prediction p = Prediction.of(logits, t, vsz, targets[index[t]]);
                losses[index[t]] = (float) p.loss();
                hits[index[t]] = (byte) (p.correct() ? 1 : 0);
            }
            for (int l = 0; l < entropy.length; l++) {
                entropy[l] += f.meanEntropy()[l] / starts.length;
            }
        }
        return new StreamResult(r, n, s, hits, losses, entropy);
    }

    static String fmt(double[] x) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < x.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", x[i]));
        }
        return b.append(']').toString();
    }
}
