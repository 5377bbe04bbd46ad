package org.isentropic.kernels.fused;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.KeyRange;
import org.isentropic.kernels.spec.LogitGeometry;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * The fast kernel: query-row blocks x key tiles with an online softmax that carries the row entropy
 * (flash-attention style; docs/performance.md, section 2). Per query block and key tile:
 * scores by an outer-product register tile over keys packed in transposed panels ({@link TileOps}; two copies
 * under a cap window, {@link CapWindow}), ALiBi bias and mask on the tiles that need them ({@link TileMask}:
 * fully masked tiles are skipped, so causal costs about half and a window O(n w)), then the update of each row's
 * running max m, sum of weights l = sum 2^(t - m) and
 * weighted logit sum u = sum 2^(t - m)(t - m) (rescaled together when m grows), then O += P V by a second
 * register tile. At the end H = ln l - ln2 u / l and logsumexp = ln2 m + ln l (nats). The temperature,
 * 1/sqrt(d) or CosScale's s/|q|, YaRN's factor and log2(e) are folded into the query rows once per call;
 * rotary positions are applied once per call into workspace copies of q and k (inputs are never modified).
 * No n x n array is allocated (except the probability matrix when requested), and the
 * {@link FusedWorkspace} is reused (arrays, geometry, rotators, per-call state and the workers' loop body),
 * so a steady-state call (same spec, n and d) allocates nothing, with one thread or several. Threads share the
 * preparation's chunks of rows, then the query blocks (both dynamically: {@link ParallelFor}, whose helper threads
 * are created once per thread count and shared; the blocks are cut evenly, {@link #blockCount}). The attention
 * mass on requested key ranges is summed along ({@link RangeMass}).
 *
 * <p>Fully masked rows (impossible with the built-in masks) give o = 0, entropy = 0, logsumexp = -inf.
 * With {@link Config#entropy()} false the entropy is not accumulated and reported as NaN.
 */
public final class FusedKernel implements AttentionKernel, TemperatureSolving {

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    /**
     * Register-tile shapes of the score micro-kernel: query rows x key panels (vectors) of accumulators.
     * R6C4 (24 accumulators) is the default with 32 vector registers (AVX-512), R4C3 (12) with the 16 of AVX2, where 24
     * accumulators spill; R8C3 (24, the AVX-512 default before R6C4) and R4C4 are the shapes benchmarks compare them
     * with ({@link Config#defaults}).
     */
    public enum QkTile {
        R4C4(4, 4), R8C3(8, 3), R4C3(4, 3), R6C4(6, 4);

        private final int rows;
        private final int panels;

        QkTile(int rows, int panels) {
            this.rows = rows;
            this.panels = panels;
        }

        public int rows() {
            return rows;
        }

        public int panels() {
            return panels;
        }
    }

    /**
     * Rows of the P.V register tile: 6 query rows x 4 value vectors, 24 accumulators (docs/performance.md,
     * section 2). A block computes rows in multiples of it.
     */
    static final int PV_TILE_ROWS = 6;

    /**
     * Tuning knobs.
     *
     * @param threads   worker threads (the caller is one of them), 1 to 256
     * @param blockRows most query rows per block, a positive multiple of {@code rowUnit(qkTile)}: 24 for R8C3, 12
     *                  for R6C4, R4C4 and R4C3 (a call's blocks share its rows evenly, {@link #blockCount})
     * @param blockKeys keys per tile, a positive multiple of 16
     * @param qkTile    score register tile
     * @param entropy   whether to accumulate the row entropy (off only to measure its cost)
     * @param simd      use the Vector API when present (false: the scalar path)
     */
    public record Config(int threads, int blockRows, int blockKeys, QkTile qkTile, boolean entropy, boolean simd) {
        public Config {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
            }
            if (blockKeys < 16 || blockKeys % 16 != 0) {
                throw new IllegalArgumentException("blockKeys must be a positive multiple of 16, got " + blockKeys);
            }
            if (qkTile == null) {
                throw new IllegalArgumentException("qkTile must not be null");
            }
            if (blockRows < 1 || blockRows % rowUnit(qkTile) != 0) {
                throw new IllegalArgumentException("blockRows must be a positive multiple of " + rowUnit(qkTile)
                        + " (the score tile's rows " + qkTile.rows() + ", the P.V tile's " + PV_TILE_ROWS
                        + " and 4), got " + blockRows);
            }
        }

        /**
         * The defaults: blocks of at most 192 rows, 192-key tiles, the score tile that fits the machine's vector
         * registers ({@link #registerTile}), entropy on, SIMD when present ({@code FusedAttentionBenchmark} in the
         * benchmarks module compares the tile shapes).
         */
        public static Config defaults(int threads) {
            return new Config(threads, 192, 192, registerTile(), true, true);
        }

        /**
         * R6C4 with 16-lane vectors (AVX-512: 32 registers), else R4C3 (AVX2: 16 registers, where 24 accumulators
         * spill). R6C4 loads 4 key vectors and broadcasts 6 query values per 24 FMAs, R8C3 3 and 8: the score phase
         * at n = 4096 took 17.4 instead of 18.7 ms on a 2-vCPU AVX-512 machine (docs/performance.md, section 5). The
         * tile changes which scores are computed together, not how each is summed: every tile gives the same bits.
         */
        public static QkTile registerTile() {
            return VectorSupport.available() && VectorSupport.simdTiles().lanes() >= 16 ? QkTile.R6C4 : QkTile.R4C3;
        }

        /**
         * Rows a block computes at a time, the smallest legal blockRows: the least common multiple of both
         * tiles' rows and 4.
         */
        public static int rowUnit(QkTile qk) {
            return lcm(lcm(qk.rows(), PV_TILE_ROWS), 4);
        }

        private static int lcm(int a, int b) {
            int x = a;
            int y = b;
            while (y != 0) {
                int t = x % y;
                x = y;
                y = t;
            }
            return a / x * b;
        }

        public Config withThreads(int t) {
            return new Config(t, blockRows, blockKeys, qkTile, entropy, simd);
        }

        public Config withQkTile(QkTile t) {
            return new Config(threads, blockRows, blockKeys, t, entropy, simd);
        }

        public Config withEntropy(boolean e) {
            return new Config(threads, blockRows, blockKeys, qkTile, e, simd);
        }

        public Config withSimd(boolean s) {
            return new Config(threads, blockRows, blockKeys, qkTile, entropy, s);
        }
    }

    private final Config config;
    private final TileOps ops;
    /** The most recently returned workspace (the steady state of one caller: no queue node per call). */
    private final AtomicReference<FusedWorkspace> cached = new AtomicReference<>();
    /** Further workspaces, when several callers run concurrently. */
    private final ConcurrentLinkedQueue<FusedWorkspace> workspaces = new ConcurrentLinkedQueue<>();

    /**
     * A fused kernel with this configuration. Internal: public only for the factory
     * ({@code AttentionKernels.fused}), through which callers build one.
     */
    public FusedKernel(Config config) {
        this.config = config;
        this.ops = config.simd() && VectorSupport.available() ? VectorSupport.simdTiles() : new ScalarTiles();
    }

    public Config config() {
        return config;
    }

    /** Whether this instance runs the Vector API tiles. */
    public boolean usesSimd() {
        return !(ops instanceof ScalarTiles);
    }

    @Override
    public String name() {
        return "fused-" + (usesSimd() ? "simd" : "scalar") + "-t" + config.threads();
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        Checks.call(spec, q, k, v, n, d, dv, out, false); // q, k and v are scanned by prepare
        FusedWorkspace ws = acquire();
        boolean nonFiniteRow;
        try {
            prepareOwn(ws, spec, q, k, v, n, d, dv, out, true);
            // The workers and their loop body are reused: nothing is allocated per call.
            ws.workers.run(ws.call.blocks, ws.blockBody);
            finishCall(ws);
            nonFiniteRow = ws.call.nonFiniteRow;
        } finally {
            release(ws);
        }
        if (nonFiniteRow) {
            Checks.finiteResults(spec, n, dv, out, config.entropy()); // names the first such row
        }
    }

    /**
     * Per query block, the scores of every visible key tile once into the worker's logit cache
     * ({@link CachedRowCurve}: blockRows x n floats per worker), then each row of the block solved from its cached
     * scores: an evaluation of the row's entropy at a temperature costs one exp2 per visible key instead of a
     * pass over the keys (d multiply-adds per key).
     */
    @Override
    public void solveTemperatures(AttentionSpec spec, float[] q, float[] k, int n, int d, RowSolver solver) {
        if (solver == null) {
            throw new IllegalArgumentException("solver must not be null");
        }
        FusedWorkspace ws = acquire();
        try {
            if (ws.solveOutput == null || ws.solveOutput.n() != n) {
                ws.solveOutput = AttentionOutput.allocate(n, 1, false);
                ws.solveValues = new float[n];
            }
            Checks.call(spec, q, k, ws.solveValues, n, d, 1, ws.solveOutput, false);
            prepareOwn(ws, spec, q, k, ws.solveValues, n, d, 1, ws.solveOutput, true);
            int cacheStride = roundUp(n, config.blockKeys());
            for (FusedWorkspace.Scratch sc : ws.scratch) {
                sc.logitCache = FusedWorkspace.grow(sc.logitCache, config.blockRows() * cacheStride);
                sc.cachedTiles = FusedWorkspace.grow(sc.cachedTiles, cacheStride / config.blockKeys());
                if (sc.curve == null) {
                    sc.curve = new CachedRowCurve(ops);
                }
            }
            ws.call.rowSolver = solver;
            ws.workers.run(ws.call.blocks, ws.solveBody);
        } finally {
            release(ws);
        }
    }

    /** The cached workspace, a queued one, or a new one. */
    private FusedWorkspace acquire() {
        FusedWorkspace ws = cached.getAndSet(null);
        if (ws == null) {
            ws = workspaces.poll();
        }
        if (ws == null) {
            ws = newWorkspace();
        }
        return ws;
    }

    /** Ends the workspace's call and returns it for the next one. */
    private void release(FusedWorkspace ws) {
        ws.call.clear();
        if (!cached.compareAndSet(null, ws)) {
            workspaces.offer(ws);
        }
    }

    /** A workspace with its own workers, whose loop body runs the blocks of its current call. */
    private FusedWorkspace newWorkspace() {
        FusedWorkspace ws = new FusedWorkspace(config.threads());
        ws.prepareBody = (worker, index) -> prepareRows(ws, ws.rowBuffers[worker], ws.call, index);
        // Last blocks first: under a causal mask they are the most expensive.
        ws.blockBody = (worker, index) -> block(ws, ws.scratch[worker], ws.call, ws.call.blocks - 1 - index);
        ws.solveBody = (worker, index) -> solveBlock(ws, ws.scratch[worker], ws.call, ws.call.blocks - 1 - index);
        return ws;
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /**
     * Rows of one preparation chunk: a multiple of every lane count and of the rotator's resync period, so chunks
     * prepared apart give the bits of one pass over the rows.
     */
    static final int PREPARE_ROWS = 64;

    /**
     * Prepares one head's call in {@code ws} on one thread with row buffers rb ({@link #startCall}, then every chunk
     * of {@link #prepareRows}): the form of {@link MultiHeadKernel}, which prepares its heads in parallel and has
     * scanned its inputs already.
     */
    void prepare(FusedWorkspace ws, FusedWorkspace.RowBuffers rb, AttentionSpec spec, float[] q, int qRow0,
                 float[] k, int kRow0, float[] v, int vRow0, int n, int d, int dv, AttentionOutput out) {
        startCall(ws, spec, q, qRow0, k, kRow0, v, vRow0, n, d, dv, out, false);
        prepareChunks(ws, rb);
    }

    /** Every chunk of the call started in ws, one after another, with row buffers rb. */
    private void prepareChunks(FusedWorkspace ws, FusedWorkspace.RowBuffers rb) {
        for (int c = 0; c < ws.call.chunks; c++) {
            prepareRows(ws, rb, ws.call, c);
        }
    }

    /**
     * Prepares the call of one head, rows 0 .. n - 1 of q, k and v, in {@code ws} with its own workers: the call's
     * state ({@link #startCall}), then the chunks of rows shared out among the workers ({@link #prepareRows}). With
     * {@code scanInputs}, a NaN or infinity in q, k or v is refused with the error of {@link Checks#call} (the first
     * bad value of q, then k, then v) before any output is written. On 2 threads the preparation took about 0.4 of
     * the 23.8 ms of a call at n = 4096 when the calling thread ran it alone (docs/performance.md, section 5).
     */
    private void prepareOwn(FusedWorkspace ws, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d,
                            int dv, AttentionOutput out, boolean scanInputs) {
        startCall(ws, spec, q, 0, k, 0, v, 0, n, d, dv, out, scanInputs);
        if (config.threads() == 1) {
            // A plain loop: through ParallelFor.run, whose loop body then had two targets (these chunks and the
            // blocks), a 1-thread call at window 256, n = 16384 allocated 144 bytes once, seconds into steady
            // state, in 2 of 2 JVMs (0 in 3 of 3 with this loop; the bench's exact counter: 1.06 B per call).
            prepareChunks(ws, ws.rowBuffers[0]);
        } else {
            ws.workers.run(ws.call.chunks, ws.prepareBody);
        }
        if (ws.call.nonFiniteInput) {
            Checks.call(spec, q, k, v, n, d, dv, out, true); // names the first bad value
            throw new IllegalStateException("a preparation chunk saw a NaN or infinity the full scan did not find");
        }
    }

    /**
     * The state of one head's call in {@code ws}: geometry, sizes, the padding rows of the prepared queries and
     * keys, the scratch of the blocks; rows {@code qRow0 ..}, {@code kRow0 ..} and {@code vRow0 ..} of q, k and v
     * are the head's rows 0 .. n - 1, prepared afterwards by {@link #prepareRows}. Arguments are checked by the
     * caller, except, with {@code scanInputs}, that q, k and v hold no NaN or infinity.
     */
    private void startCall(FusedWorkspace ws, AttentionSpec spec, float[] q, int qRow0, float[] k, int kRow0,
                           float[] v, int vRow0, int n, int d, int dv, AttentionOutput out, boolean scanInputs) {
        int lanes = ops.lanes();
        LogitGeometry g = ws.geometry(spec, n, d);
        int npadQ = roundUp(n, 24); // a multiple of every row unit (4, 8, 12, 24)
        int npadK = roundUp(n, lanes);
        ws.queriesInside = FusedWorkspace.grow(ws.queriesInside, npadQ * d);
        ws.keysInside = FusedWorkspace.grow(ws.keysInside, npadK * d);
        if (g.capped()) {
            ws.queriesOutside = FusedWorkspace.grow(ws.queriesOutside, npadQ * d);
            ws.keysOutside = FusedWorkspace.grow(ws.keysOutside, npadK * d);
        }
        ws.rowSlopes = FusedWorkspace.grow(ws.rowSlopes, npadQ);
        // The padding rows: zero queries and slopes up to npadQ, zero keys up to npadK.
        Arrays.fill(ws.queriesInside, n * d, npadQ * d, 0f);
        if (g.capped()) {
            Arrays.fill(ws.queriesOutside, n * d, npadQ * d, 0f);
        }
        Arrays.fill(ws.rowSlopes, n, npadQ, 0f);
        for (int j = n; j < npadK; j++) {
            int base = (j / lanes) * d * lanes + j % lanes;
            for (int c = 0; c < d; c++) {
                ws.keysInside[base + c * lanes] = 0f;
                if (g.capped()) {
                    ws.keysOutside[base + c * lanes] = 0f;
                }
            }
        }

        FusedWorkspace.Call call = ws.call;
        call.spec = spec;
        call.mask = spec.mask();
        call.geometry = g;
        call.n = n;
        call.d = d;
        call.dv = dv;
        call.out = out;
        call.q = q;
        call.k = k;
        call.v = v;
        call.qRow0 = qRow0;
        call.kRow0 = kRow0;
        call.vRow0 = vRow0;
        call.scanInputs = scanInputs;
        call.nonFiniteInput = false;
        call.chunks = (n + PREPARE_ROWS - 1) / PREPARE_ROWS;
        call.rangeCount = out.keyRanges().size();
        call.nonFiniteRow = false;
        if (dv % lanes == 0) {
            call.values = v;
            call.valueRow0 = vRow0;
            call.valueStride = dv;
            call.paddedDv = dv;
        } else {
            int dvp = roundUp(dv, lanes);
            ws.valuesPadded = FusedWorkspace.grow(ws.valuesPadded, n * dvp);
            call.values = ws.valuesPadded; // filled by prepareRows
            call.valueRow0 = 0;
            call.valueStride = dvp;
            call.paddedDv = dvp;
        }
        if (out.probs() != null) {
            ws.finalRowMax = FusedWorkspace.grow(ws.finalRowMax, n);
            ws.finalWeightSum = FusedWorkspace.grow(ws.finalWeightSum, n);
        }
        for (FusedWorkspace.Scratch sc : ws.scratch) {
            growScratch(sc, g.capped(), call.paddedDv, call.rangeCount);
        }
        call.unit = Config.rowUnit(config.qkTile());
        call.units = (n + call.unit - 1) / call.unit;
        call.blocks = blockCount(n, call.units, config.blockRows(), config.threads());
    }

    /**
     * Rows c PREPARE_ROWS .. of the call started in ws, with row buffers rb: the queries (normalised, rotated,
     * scaled), the keys packed, the values padded when dv is not a multiple of the lanes. With the call's
     * {@code scanInputs}, the chunk's rows of q, k and v are scanned first at the tiles' vector width and a NaN or
     * infinity only flags the call ({@code nonFiniteInput}): the chunks may run on any worker in any order, and the
     * caller names the first bad value.
     */
    void prepareRows(FusedWorkspace ws, FusedWorkspace.RowBuffers rb, FusedWorkspace.Call call, int c) {
        int n = call.n;
        int d = call.d;
        int dv = call.dv;
        int r0 = c * PREPARE_ROWS;
        int r1 = Math.min(n, r0 + PREPARE_ROWS);
        if (call.scanInputs && !(ops.allFinite(call.q, (call.qRow0 + r0) * d, (call.qRow0 + r1) * d)
                && ops.allFinite(call.k, (call.kRow0 + r0) * d, (call.kRow0 + r1) * d)
                && ops.allFinite(call.v, (call.vRow0 + r0) * dv, (call.vRow0 + r1) * dv))) {
            call.nonFiniteInput = true;
            return;
        }
        rb.fit(call.geometry, d);
        prepareQueries(ws, rb, call, r0, r1);
        prepareKeys(ws, rb, call, r0, r1, ops.lanes());
        if (call.values == ws.valuesPadded) {
            int dvp = call.valueStride;
            for (int j = r0; j < r1; j++) {
                System.arraycopy(call.v, (call.vRow0 + j) * dv, ws.valuesPadded, j * dvp, dv);
                Arrays.fill(ws.valuesPadded, j * dvp + dv, j * dvp + dvp, 0f);
            }
        }
    }

    /**
     * How many query blocks a call of n rows (units row units) is cut into: the fewest of at most blockRows rows,
     * rounded up to a multiple of the threads, at most one per unit. Block b then starts at unit
     * floor(b units / blocks), so blocks differ by at most one unit (none exceeds blockRows) and, under a full mask,
     * each worker gets the same share of rows: 4096 rows in 192-row blocks on 2 threads were 21 blocks of 192 and
     * one of 64, so one worker computed 2112 rows while the other had 1984 (FusedKernelTest checks that the bits do
     * not depend on the cut).
     */
    static int blockCount(int n, int units, int blockRows, int threads) {
        int fewest = (n + blockRows - 1) / blockRows;
        return Math.min(units, roundUp(fewest, threads));
    }

    /**
     * Sizes a worker's scratch for calls with padded value width dvp and the given number of key ranges
     * (and the outside-window scores when capped); nothing changes when it is large enough already.
     */
    void growScratch(FusedWorkspace.Scratch sc, boolean capped, int dvp, int ranges) {
        int blockRows = config.blockRows();
        int tileScores = blockRows * config.blockKeys();
        sc.scores = FusedWorkspace.grow(sc.scores, tileScores);
        if (capped) {
            sc.scoresOutside = FusedWorkspace.grow(sc.scoresOutside, tileScores);
        }
        sc.output = FusedWorkspace.grow(sc.output, blockRows * dvp);
        sc.rowMax = FusedWorkspace.grow(sc.rowMax, blockRows);
        sc.weightSums = FusedWorkspace.grow(sc.weightSums, blockRows * ops.lanes());
        sc.weightedLogitSums = FusedWorkspace.grow(sc.weightedLogitSums, blockRows * ops.lanes());
        sc.rescale = FusedWorkspace.grow(sc.rescale, blockRows);
        sc.rangeMass = FusedWorkspace.grow(sc.rangeMass, blockRows * Math.max(1, ranges));
        sc.tileMask.ensureRows(blockRows);
    }

    /** The padded value width the tiles use for dv (a multiple of the vector lanes). */
    int paddedWidth(int dv) {
        return roundUp(dv, ops.lanes());
    }

    /** The probability matrix when the call asked for it (after every block of the call has run). */
    void finishCall(FusedWorkspace ws) {
        if (ws.call.out.probs() != null) {
            probabilities(ws, ws.call, ops.lanes());
        }
    }

    /** Query rows r0 .. r1 - 1 of the call: normalised, rotated, scaled (and the outside-window copies). */
    private static void prepareQueries(FusedWorkspace ws, FusedWorkspace.RowBuffers rb, FusedWorkspace.Call call,
                                       int r0, int r1) {
        LogitGeometry g = call.geometry;
        AttentionSpec spec = call.spec;
        float[] q = call.q;
        int n = call.n;
        int d = call.d;
        if (!g.cosine && !g.rotary && !g.capped()) {
            // Plain dot logits: the rows only scale, straight from float (the same bits as the general path,
            // without its double copy of every row). The product is a float one, by the scale rounded to float:
            // C2 compiles it to vector multiplies, where (float) (q * scale) in double ran one element at a time at
            // about 2 ns each (about 1 ms of an 8 ms window-256 call at n = 4096, docs/performance.md, section 5).
            float[] queries = ws.queriesInside;
            for (int i = r0; i < r1; i++) {
                double rowFactor = spec.rowFactor(i, n);
                float scale = (float) (rowFactor * g.contentScale() * LOG2E);
                ws.rowSlopes[i] = (float) (rowFactor * g.slope * LOG2E);
                int from = (call.qRow0 + i) * d;
                int to = i * d;
                for (int c = 0; c < d; c++) {
                    queries[to + c] = q[from + c] * scale;
                }
            }
            return;
        }
        Rotator rotator = null;
        if (g.rotary) {
            rotator = rb.rotator;
            rotator.seek(r0);
        }
        Rotator capRotator = null;
        if (g.rotary && g.capped()) {
            capRotator = rb.capRotator;
            capRotator.seek(g.capWindow - 1);
        }
        double[] inside = rb.inside;
        double[] outside = rb.outside;
        for (int i = r0; i < r1; i++) {
            g.load(q, call.qRow0 + i, inside);
            double rowFactor = spec.rowFactor(i, n);
            float scale = (float) (rowFactor * g.contentScale() * LOG2E);
            ws.rowSlopes[i] = (float) (rowFactor * g.slope * LOG2E);
            if (g.capped()) {
                System.arraycopy(inside, 0, outside, 0, d);
                if (capRotator != null) {
                    capRotator.rotate(outside);
                    if (g.referenceLayout) {
                        Positions.toHalvesLayout(outside, d, rb.layoutTemp);
                        System.arraycopy(rb.layoutTemp, 0, outside, 0, d);
                    }
                }
                for (int c = 0; c < d; c++) {
                    ws.queriesOutside[i * d + c] = (float) outside[c] * scale;
                }
            }
            if (rotator != null) {
                rotator.rotate(inside);
                if (i + 1 < r1) {
                    rotator.advance(); // not past the chunk: the next chunk's first row is a resync, a seek of its own
                }
            }
            for (int c = 0; c < d; c++) {
                ws.queriesInside[i * d + c] = (float) inside[c] * scale; // as the plain path: float times float
            }
        }
    }

    /**
     * Key rows r0 .. r1 - 1 of the call packed in transposed panels of L keys: kp[(j / L) * d * L + c * L + j % L]
     * (r0 is a multiple of L; the padding keys are zeroed by {@link #startCall}).
     */
    private static void prepareKeys(FusedWorkspace ws, FusedWorkspace.RowBuffers rb, FusedWorkspace.Call call,
                                    int r0, int r1, int lanes) {
        LogitGeometry g = call.geometry;
        float[] k = call.k;
        int d = call.d;
        if (!g.cosine && !g.rotary && !g.capped()) {
            // Plain dot logits: the keys are packed as they are, a panel of L keys at a time.
            for (int j0 = r0; j0 < r1; j0 += lanes) {
                int panel = (j0 / lanes) * d * lanes;
                int t1 = Math.min(lanes, r1 - j0);
                for (int t = 0; t < t1; t++) {
                    int from = (call.kRow0 + j0 + t) * d;
                    for (int c = 0; c < d; c++) {
                        ws.keysInside[panel + c * lanes + t] = k[from + c];
                    }
                }
            }
            return;
        }
        Rotator rotator = null;
        if (g.rotary) {
            rotator = rb.rotator;
            rotator.seek(r0);
        }
        double[] key = rb.inside;
        for (int j = r0; j < r1; j++) {
            g.load(k, call.kRow0 + j, key);
            int base = (j / lanes) * d * lanes + j % lanes;
            if (g.capped()) {
                for (int c = 0; c < d; c++) {
                    ws.keysOutside[base + c * lanes] = (float) key[c];
                }
            }
            if (rotator != null) {
                rotator.rotate(key);
                if (j + 1 < r1) {
                    rotator.advance(); // as for the queries
                }
            }
            for (int c = 0; c < d; c++) {
                ws.keysInside[base + c * lanes] = (float) key[c];
            }
        }
    }

    /**
     * Query block b ({@link FusedWorkspace.Call#blockStart}) of the call prepared in ws, with worker scratch sc:
     * for each key tile a row of the block may see, the scores ({@link CapWindow}: one copy of the logits, or two
     * under a cap window), ALiBi, the mask ({@link TileMask}), the online softmax, the mass on the requested key ranges
     * ({@link RangeMass}) and P.V; then the rows' results.
     */
    void block(FusedWorkspace ws, FusedWorkspace.Scratch sc, FusedWorkspace.Call call, int b) {
        final int n = call.n;
        final int dvp = call.paddedDv;
        final int lanes = ops.lanes();
        final int blockKeys = config.blockKeys();
        final int scoreStride = blockKeys; // row stride of sc.scores and sc.scoresOutside
        final int i0 = call.blockStart(b);
        final int i1 = call.blockStart(b + 1);
        final int rows = i1 - i0;
        // Rows computed: a multiple of both tiles' rows and of 4.
        final int unit = call.unit;
        final int rowsPadded = roundUp(rows, unit);
        final int rangeCount = call.rangeCount;
        final List<KeyRange> ranges = call.out.keyRanges();
        final boolean entropy = config.entropy();
        final float[] scores = sc.scores;
        final float[] rescale = sc.rescale;
        final TileMask tiles = sc.tileMask;
        Arrays.fill(sc.rowMax, 0, rowsPadded, Float.NEGATIVE_INFINITY);
        Arrays.fill(sc.weightSums, 0, rowsPadded * lanes, 0f);
        if (entropy) {
            Arrays.fill(sc.weightedLogitSums, 0, rowsPadded * lanes, 0f);
        }
        Arrays.fill(sc.output, 0, rowsPadded * dvp, 0f);
        RangeMass.reset(sc.rangeMass, rowsPadded, rangeCount);
        tiles.start(call.mask, n, i0, i1, blockKeys);
        for (int j0 = tiles.visit(0); j0 < n; j0 = tiles.visit(j0 + blockKeys)) {
            final int j1 = Math.min(j0 + blockKeys, n);
            final int keys = j1 - j0;
            final int panels = (keys + lanes - 1) / lanes;
            final int width = panels * lanes;
            int tileClass = tiles.classify(j0, j1);
            if (tileClass == TileMask.NONE) {
                continue;
            }
            boolean masked = scoreTile(ws, sc, call, i0, i1, rowsPadded, j0, j1, tileClass);
            if (tileClass == TileMask.ALL) {
                ops.softmax(scores, scoreStride, 0, rowsPadded, 0, width, masked, entropy, sc.rowMax, sc.weightSums,
                        sc.weightedLogitSums, rescale);
            } else {
                softmaxVisible(sc, rowsPadded, unit, width, rangeCount > 0);
            }
            if (rangeCount > 0) {
                RangeMass.accumulate(sc.rangeMass, ranges, rangeCount, scores, scoreStride, rows, rescale, j0, j1);
            }
            if (tileClass == TileMask.ALL) {
                ops.pv(scores, scoreStride, 0, rowsPadded, 0, keys, call.values, call.valueRow0 + j0,
                        call.valueStride, dvp, sc.output, rescale);
            } else {
                for (int r0 = 0; r0 < rowsPadded; r0 += unit) {
                    int firstColumn = tiles.firstColumn(r0 / unit);
                    int endColumn = tiles.endColumn(r0 / unit);
                    if (endColumn > firstColumn) {
                        ops.pv(scores, scoreStride, r0, unit, firstColumn, endColumn - firstColumn,
                                call.values, call.valueRow0 + j0, call.valueStride, dvp, sc.output, rescale);
                    }
                }
            }
        }
        finish(ws, sc, call, i0, rows);
    }

    /**
     * The online softmax of a partly masked tile, each group of rows over the panels holding the columns it can
     * see ({@link TileMask#visibleColumns}, as the score tile computed them): the other scores of its rows are
     * -inf ({@link TileMask#apply}), so their weights are 0 and the sums, running max and rescale factor get the
     * bits of a pass over the whole width; a group that sees no column is left as a fully masked row is (rescale
     * 1). With key ranges requested the skipped weights are set to 0, since {@link RangeMass} reads every column.
     */
    private void softmaxVisible(FusedWorkspace.Scratch sc, int rowsPadded, int unit, int width, boolean zeroSkipped) {
        final int lanes = ops.lanes();
        final int scoreStride = config.blockKeys();
        final float[] scores = sc.scores;
        final TileMask tiles = sc.tileMask;
        for (int r0 = 0; r0 < rowsPadded; r0 += unit) {
            int group = r0 / unit;
            int firstColumn = tiles.firstColumn(group);
            int endColumn = tiles.endColumn(group);
            int from = firstColumn / lanes * lanes;
            int to = endColumn > firstColumn ? roundUp(endColumn, lanes) : from;
            if (to > from) {
                ops.softmax(scores, scoreStride, r0, unit, from, to - from, true, config.entropy(), sc.rowMax,
                        sc.weightSums, sc.weightedLogitSums, sc.rescale);
            } else {
                Arrays.fill(sc.rescale, r0, r0 + unit, 1f);
            }
            if (zeroSkipped) {
                for (int r = r0; r < r0 + unit; r++) {
                    Arrays.fill(scores, r * scoreStride, r * scoreStride + from, 0f);
                    Arrays.fill(scores, r * scoreStride + to, r * scoreStride + width, 0f);
                }
            }
        }
    }

    /**
     * {@link #solveTemperatures} for query block b ({@link FusedWorkspace.Call#blockStart}): the masked scores of
     * every key tile a row of the block may see ({@link #scoreTile}) into the worker's logit cache, row r at
     * {@code r * stride + j0} (stride n rounded up to whole tiles), then each row's curve over its cached tiles
     * handed to the solver.
     */
    private void solveBlock(FusedWorkspace ws, FusedWorkspace.Scratch sc, FusedWorkspace.Call call, int b) {
        final int n = call.n;
        final int lanes = ops.lanes();
        final int blockKeys = config.blockKeys();
        final int stride = roundUp(n, blockKeys);
        final int i0 = call.blockStart(b);
        final int i1 = call.blockStart(b + 1);
        final int rows = i1 - i0;
        final int rowsPadded = roundUp(rows, call.unit);
        final TileMask tiles = sc.tileMask;
        int tileCount = 0;
        tiles.start(call.mask, n, i0, i1, blockKeys);
        for (int j0 = tiles.visit(0); j0 < n; j0 = tiles.visit(j0 + blockKeys)) {
            final int j1 = Math.min(j0 + blockKeys, n);
            int tileClass = tiles.classify(j0, j1);
            if (tileClass == TileMask.NONE) {
                continue;
            }
            scoreTile(ws, sc, call, i0, i1, rowsPadded, j0, j1, tileClass);
            int width = roundUp(j1 - j0, lanes);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(sc.scores, r * blockKeys, sc.logitCache, r * stride + j0, width);
            }
            sc.cachedTiles[tileCount++] = j0;
        }
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            sc.curve.bind(sc.logitCache, r * stride, sc.cachedTiles, tileCount, blockKeys, n,
                    call.mask.visibleCount(i, n));
            call.rowSolver.solve(i, sc.curve);
        }
    }

    /**
     * The masked scores of one key tile [j0, j1) for the block's rows i0 .. i1 - 1 into {@code sc.scores} (row
     * stride blockKeys, width a multiple of the lanes): {@link CapWindow} (one or two copies of the logits),
     * ALiBi and the mask ({@link TileMask}, which also keeps each row group's visible columns of a partly masked
     * tile). Returns whether any score of the tile's width is masked (negative infinity).
     */
    private boolean scoreTile(FusedWorkspace ws, FusedWorkspace.Scratch sc, FusedWorkspace.Call call, int i0, int i1,
                              int rowsPadded, int j0, int j1, int tileClass) {
        final int d = call.d;
        final int lanes = ops.lanes();
        final int scoreStride = config.blockKeys();
        final QkTile qkTile = config.qkTile();
        final LogitGeometry g = call.geometry;
        final int rows = i1 - i0;
        final int unit = Config.rowUnit(qkTile);
        final int keys = j1 - j0;
        final int panels = (keys + lanes - 1) / lanes;
        final int width = panels * lanes;
        final float[] scores = sc.scores;
        final TileMask tiles = sc.tileMask;
        int windowClass = CapWindow.classify(g, i0, i1, j0, j1);
        float[] outsideScores = CapWindow.outsideScores(windowClass, scores, sc.scoresOutside);
        int panelOff = (j0 / lanes) * d * lanes;
        if (tileClass == TileMask.ALL) {
            CapWindow.score(ops, qkTile, ws, windowClass, i0, d, rowsPadded, panelOff, panels, scores,
                    outsideScores, 0, scoreStride);
        } else {
            // Partly masked tile: each group of rows computes only the panels its rows can see.
            for (int r0 = 0; r0 < rowsPadded; r0 += unit) {
                int group = r0 / unit;
                tiles.visibleColumns(i0 + r0, Math.min(i0 + r0 + unit, i1), j0, keys, group);
                int firstColumn = tiles.firstColumn(group);
                int endColumn = tiles.endColumn(group);
                if (endColumn <= firstColumn) {
                    continue;
                }
                int firstPanel = firstColumn / lanes;
                int endPanel = (endColumn + lanes - 1) / lanes;
                CapWindow.score(ops, qkTile, ws, windowClass, i0 + r0, d, unit, panelOff + firstPanel * d * lanes,
                        endPanel - firstPanel, scores, outsideScores, r0 * scoreStride + firstPanel * lanes,
                        scoreStride);
            }
        }
        if (windowClass == CapWindow.MIXED) {
            CapWindow.merge(scores, outsideScores, scoreStride, i0, rows, j0, keys, g.capWindow);
        }
        if (g.alibi) {
            float cap = g.capped() ? g.capWindow - 1 : Float.POSITIVE_INFINITY;
            ops.alibi(scores, scoreStride, rowsPadded, width, i0, j0, ws.rowSlopes, cap);
        }
        boolean masked = tileClass == TileMask.PARTIAL || keys < width || rows < rowsPadded;
        if (masked) {
            tiles.apply(scores, scoreStride, rows, rowsPadded, j0, keys, width);
        }
        return masked;
    }

    /**
     * The block's results: o = output / l, H = ln l - ln2 u / l and logsumexp = ln2 m + ln l (nats, from the
     * base-2 running max m, weight sum l and weighted logit sum u).
     */
    private void finish(FusedWorkspace ws, FusedWorkspace.Scratch sc, FusedWorkspace.Call call, int i0, int rows) {
        AttentionOutput out = call.out;
        float[] o = out.o();
        int dv = call.dv;
        int dvp = call.paddedDv;
        int rangeCount = call.rangeCount;
        boolean entropy = config.entropy();
        int lanes = ops.lanes();
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            float weightSum = (float) TileOps.laneSum(sc.weightSums, r, lanes);
            if (!(weightSum > 0f)) {
                Arrays.fill(o, i * dv, i * dv + dv, 0f);
                out.entropy()[i] = 0f;
                out.logSumExp()[i] = Float.NEGATIVE_INFINITY;
                RangeMass.empty(out.mass(), i, rangeCount);
                if (call.mask.visibleCount(i, call.n) > 0) {
                    call.nonFiniteRow = true; // l overflowed (or is NaN): the logits left float's range
                }
            } else {
                float inv = 1f / weightSum;
                for (int c = 0; c < dv; c++) {
                    o[i * dv + c] = sc.output[r * dvp + c] * inv;
                }
                double lnWeightSum = Math.log(weightSum);
                out.entropy()[i] = entropy
                        ? (float) Math.max(0.0, lnWeightSum
                                - LN2 * TileOps.laneSum(sc.weightedLogitSums, r, lanes) / weightSum)
                        : Float.NaN;
                out.logSumExp()[i] = (float) (LN2 * sc.rowMax[r] + lnWeightSum);
                RangeMass.finish(sc.rangeMass, r, inv, out.mass(), i, rangeCount);
                if (!Float.isFinite(out.logSumExp()[i]) || entropy && !Float.isFinite(out.entropy()[i])
                        || !ops.allFinite(o, i * dv, i * dv + dv)) {
                    call.nonFiniteRow = true; // a logit or a weighted sum of v left float's range
                }
            }
            if (out.probs() != null) {
                ws.finalRowMax[i] = sc.rowMax[r];
                ws.finalWeightSum[i] = weightSum;
            }
        }
    }

    /** The probability matrix from the workspace and each row's final m and l (meant for small n). */
    private static void probabilities(FusedWorkspace ws, FusedWorkspace.Call call, int lanes) {
        int n = call.n;
        int d = call.d;
        LogitGeometry g = call.geometry;
        float[] probs = call.out.probs();
        for (int i = 0; i < n; i++) {
            float rowMax = ws.finalRowMax[i];
            float weightSum = ws.finalWeightSum[i];
            for (int j = 0; j < n; j++) {
                if (!(weightSum > 0f) || !call.mask.visible(i, j, n)) {
                    probs[i * n + j] = 0f;
                    continue;
                }
                boolean inside = g.inside(i, j);
                float[] queries = inside ? ws.queriesInside : ws.queriesOutside;
                float[] packedKeys = inside ? ws.keysInside : ws.keysOutside;
                int base = (j / lanes) * d * lanes + j % lanes;
                float score = 0f;
                for (int c = 0; c < d; c++) {
                    score = Math.fma(queries[i * d + c], packedKeys[base + c * lanes], score);
                }
                if (g.alibi) {
                    score -= ws.rowSlopes[i] * g.alibiDistance(i, j);
                }
                probs[i * n + j] = (float) (Math.exp((score - rowMax) * LN2) / weightSum);
            }
        }
    }
}
