package org.isentropic.kernels;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fast kernel: query-row blocks x key tiles with an online softmax that carries the row entropy
 * (flash-attention style; performance.md). Per query block and key tile: scores by an outer-product
 * register tile over keys packed in transposed panels, ALiBi bias and mask on the tiles that need them
 * (fully masked tiles are skipped, so causal costs about half and a window O(n w)), then the update of
 * each row's running max m, l = sum 2^(t - m) and u = sum 2^(t - m)(t - m) (rescaled together when m
 * grows), then O += P V by a second register tile. At the end H = ln l - ln2 u / l and
 * logsumexp = ln2 m + ln l (nats). The temperature, 1/sqrt(d) or CosScale's s/|q|, YaRN's factor and
 * log2(e) are folded into the query rows once per call; rotary positions are applied once per call into
 * workspace copies of q and k (inputs are never modified). No n x n array is allocated (except the
 * probability matrix when requested), and the workspace is reused (arrays, geometry, rotators, per-call state and the
 * pool tasks), so a steady-state call (same spec, n and d) on one thread allocates nothing; with several
 * threads the only per-call allocation is the executor's queue node per submitted task. Threads split
 * the query blocks dynamically; the pool is created once per thread count and shared.
 *
 * <p>Fully masked rows (impossible with the built-in masks) give o = 0, entropy = 0, logsumexp = -inf.
 * With {@link Config#entropy()} false the entropy is not accumulated and reported as NaN.
 */
public final class FusedKernel implements AttentionKernel {

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    /** Register-tile shapes of the score micro-kernel: query rows x key panels (vectors) of accumulators. */
    public enum QkTile {
        R4C4(4, 4), R8C3(8, 3), R8C2(8, 2), R4C3(4, 3), R6C4(6, 4), R4C6(4, 6), R12C2(12, 2);

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

    /** Register-tile shapes of the P.V micro-kernel: query rows x value vectors of accumulators. */
    public enum PvTile {
        R4C4(4, 4), R6C4(6, 4), R8C2(8, 2), R3C8(3, 8), R12C2(12, 2);

        private final int rows;
        private final int vectors;

        PvTile(int rows, int vectors) {
            this.rows = rows;
            this.vectors = vectors;
        }

        public int rows() {
            return rows;
        }

        public int vectors() {
            return vectors;
        }
    }

    /**
     * Tuning knobs.
     *
     * @param threads   worker threads (the caller is one of them), 1 to 256
     * @param blockRows query rows per block, a positive multiple of 8
     * @param blockKeys keys per tile, a positive multiple of 16
     * @param qkTile    score register tile
     * @param pvTile    P.V register tile
     * @param entropy   whether to accumulate the row entropy (off only to measure its cost)
     * @param simd      use the Vector API when present (false: the scalar path)
     */
    public record Config(int threads, int blockRows, int blockKeys, QkTile qkTile, PvTile pvTile, boolean entropy,
                         boolean simd) {
        public Config {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
            }
            if (blockRows < 8 || blockRows % 8 != 0) {
                throw new IllegalArgumentException("blockRows must be a positive multiple of 8, got " + blockRows);
            }
            if (blockKeys < 16 || blockKeys % 16 != 0) {
                throw new IllegalArgumentException("blockKeys must be a positive multiple of 16, got " + blockKeys);
            }
            if (qkTile == null) {
                throw new IllegalArgumentException("qkTile must not be null");
            }
            if (pvTile == null) {
                throw new IllegalArgumentException("pvTile must not be null");
            }
            if (blockRows % rowUnit(qkTile, pvTile) != 0) {
                throw new IllegalArgumentException("blockRows " + blockRows + " must be a multiple of "
                        + rowUnit(qkTile, pvTile) + " (the tiles' rows " + qkTile.rows() + " and " + pvTile.rows() + ")");
            }
        }

        /** As the canonical constructor with the P.V tile {@link PvTile#R4C4} (fits any blockRows multiple of 8). */
        public Config(int threads, int blockRows, int blockKeys, QkTile qkTile, boolean entropy, boolean simd) {
            this(threads, blockRows, blockKeys, qkTile, PvTile.R4C4, entropy, simd);
        }

        /** The measured defaults for this machine kind (see the kernels' README section). */
        public static Config defaults(int threads) {
            return new Config(threads, 192, 192, QkTile.R8C3, PvTile.R6C4, true, true);
        }

        /** Rows a block computes at a time: the least common multiple of both tiles' rows and 4. */
        static int rowUnit(QkTile qk, PvTile pv) {
            int a = lcm(qk.rows(), pv.rows());
            return lcm(a, 4);
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
            return new Config(t, blockRows, blockKeys, qkTile, pvTile, entropy, simd);
        }

        public Config withBlocks(int rows, int keys) {
            return new Config(threads, rows, keys, qkTile, pvTile, entropy, simd);
        }

        public Config withQkTile(QkTile t) {
            return new Config(threads, blockRows, blockKeys, t, pvTile, entropy, simd);
        }

        public Config withPvTile(PvTile t) {
            return new Config(threads, blockRows, blockKeys, qkTile, t, entropy, simd);
        }

        public Config withEntropy(boolean e) {
            return new Config(threads, blockRows, blockKeys, qkTile, pvTile, e, simd);
        }

        public Config withSimd(boolean s) {
            return new Config(threads, blockRows, blockKeys, qkTile, pvTile, entropy, s);
        }
    }

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private final Config config;
    private final TileOps ops;
    /** The most recently returned workspace (the steady state of one caller: no queue node per call). */
    private final AtomicReference<Workspace> cached = new AtomicReference<>();
    /** Further workspaces, when several callers run concurrently. */
    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();

    FusedKernel(Config config) {
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
        Checks.call(spec, q, k, v, n, d, dv, out);
        Workspace ws = cached.getAndSet(null);
        if (ws == null) {
            ws = workspaces.poll();
        }
        if (ws == null) {
            ws = new Workspace(config.threads());
            for (int t = 1; t < ws.tasks.length; t++) {
                ws.tasks[t] = new Task(ws, t);
            }
        }
        try {
            run(ws, spec, q, k, v, n, d, dv, out);
        } finally {
            ws.call.clear();
            if (!cached.compareAndSet(null, ws)) {
                workspaces.offer(ws);
            }
        }
        Checks.finiteResults(spec, n, dv, out, config.entropy());
    }

    /** A pool task that runs worker t of its workspace's current call and reports its completion. */
    private final class Task implements Runnable {
        private final Workspace ws;
        private final int t;

        Task(Workspace ws, int t) {
            this.ws = ws;
            this.t = t;
        }

        @Override
        public void run() {
            Throwable failure = null;
            try {
                worker(ws, ws.scratch[t], ws.call, ws.next, ws.call.blocks);
            } catch (Throwable e) {
                failure = e;
            }
            ws.done(failure);
        }
    }

    /** Per-call shared arrays (grown, never shrunk) and one scratch per worker. */
    static final class Workspace {
        float[] qIn = new float[0];
        float[] qOut = new float[0];
        float[] kIn = new float[0];
        float[] kOut = new float[0];
        float[] vPad = new float[0];
        float[] slope = new float[0];
        float[] mFinal = new float[0];
        float[] lFinal = new float[0];
        double[] t1 = new double[0];
        double[] t2 = new double[0];
        double[] t3 = new double[0];
        final Scratch[] scratch;
        /** The pool tasks of workers 1 .. threads - 1 (index 0 unused: the caller is worker 0). */
        final Runnable[] tasks;
        final Call call = new Call();
        final AtomicInteger next = new AtomicInteger();
        /** The geometry of the last call, re-targeted when only n changes, rebuilt when spec or d change. */
        LogitGeometry geometry;
        /** Rotators for the current geometry's frequencies (inside queries and keys; outside queries). */
        Rotator rot;
        Rotator capRot;
        private int pending;
        private Throwable failure;

        Workspace(int threads) {
            scratch = new Scratch[threads];
            for (int t = 0; t < threads; t++) {
                scratch[t] = new Scratch();
            }
            tasks = new Runnable[threads];
        }

        /** A workspace whose per-worker scratch is shared with others ({@link MultiHeadKernel}: one per head). */
        Workspace(Scratch[] shared) {
            scratch = shared;
            tasks = new Runnable[0];
        }

        LogitGeometry geometry(AttentionSpec spec, int n, int d) {
            LogitGeometry g = geometry;
            if (g == null || g.spec != spec || g.d != d) {
                g = new LogitGeometry(spec, n, d);
                geometry = g;
            } else {
                g.resize(n);
            }
            if (g.rotary) {
                if (rot == null || rot.theta() != g.theta || rot.positionScale() != g.positionScale
                        || rot.dimension() != d || rot.halfSplit() != g.half) {
                    rot = new Rotator(d, g.theta, g.positionScale, g.half);
                    capRot = new Rotator(d, g.theta, g.positionScale, g.half);
                }
            }
            return g;
        }

        synchronized void start(int tasks) {
            pending = tasks;
            failure = null;
        }

        synchronized void done(Throwable e) {
            if (e != null && failure == null) {
                failure = e;
            }
            if (--pending == 0) {
                notifyAll();
            }
        }

        /** Waits (uninterruptibly: the tasks use this workspace) until every task is done; their failure. */
        synchronized Throwable await() {
            boolean interrupted = false;
            while (pending > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return failure;
        }
    }

    /** Per-worker arrays of one query block. */
    static final class Scratch {
        float[] s = new float[0];
        float[] s2 = new float[0];
        float[] o = new float[0];
        float[] m = new float[0];
        float[] l = new float[0];
        float[] u = new float[0];
        float[] alpha = new float[0];
        float[] mass = new float[0];
        int[] range = new int[0];
    }

    private static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    private static double[] grow(double[] a, int size) {
        return a.length >= size ? a : new double[size];
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /** Everything a worker needs for one call (immutable during the call). */
    static final class Call {
        AttentionSpec spec;
        Mask mask;
        LogitGeometry g;
        int n;
        int d;
        int dv;
        int dvp;
        int vs;
        float[] v;
        /** The row of {@code v} holding key 0 (a head's slice of a multi-head array; 0 otherwise). */
        int vRow0;
        AttentionOutput out;
        int ranges;
        int blocks;

        /** Drops the references to the caller's arrays once the call is over. */
        void clear() {
            spec = null;
            mask = null;
            g = null;
            v = null;
            out = null;
        }
    }

    private void run(Workspace ws, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
                     AttentionOutput out) {
        int blocks = prepare(ws, spec, q, 0, k, 0, v, 0, n, d, dv, out);
        Call call = ws.call;
        int threads = Math.min(config.threads(), blocks);
        AtomicInteger next = ws.next;
        next.set(0);
        if (threads == 1) {
            worker(ws, ws.scratch[0], call, next, blocks);
        } else {
            // Reused tasks and a reused completion count: the pool's queue node per task is all that is
            // allocated per call on this path.
            ExecutorService pool = POOLS.computeIfAbsent(config.threads(), FusedKernel::newPool);
            ws.start(threads - 1);
            int submitted = 0;
            Throwable failure = null;
            try {
                for (int t = 1; t < threads; t++) {
                    pool.execute(ws.tasks[t]);
                    submitted++;
                }
                worker(ws, ws.scratch[0], call, next, blocks);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int t = submitted; t < threads - 1; t++) {
                ws.done(null); // never submitted (the pool refused it)
            }
            Throwable taskFailure = ws.await();
            failure = failure == null ? taskFailure : failure;
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw new IllegalStateException("attention worker failed", failure);
            }
        }
        finishCall(ws);
    }

    /**
     * Prepares one head's call in {@code ws} (queries, packed keys, per-call state, scratch sizes) and returns
     * its number of query blocks; rows {@code qRow0 ..}, {@code kRow0 ..} and {@code vRow0 ..} of q, k and v
     * are the head's rows 0 .. n - 1. Arguments are checked by the caller.
     */
    int prepare(Workspace ws, AttentionSpec spec, float[] q, int qRow0, float[] k, int kRow0, float[] v, int vRow0,
                int n, int d, int dv, AttentionOutput out) {
        int lanes = ops.lanes();
        LogitGeometry g = ws.geometry(spec, n, d);
        int npadQ = roundUp(n, 24); // a multiple of every row unit (4, 8, 12, 24)
        int npadK = roundUp(n, lanes);
        ws.qIn = grow(ws.qIn, npadQ * d);
        ws.kIn = grow(ws.kIn, npadK * d);
        if (g.capped) {
            ws.qOut = grow(ws.qOut, npadQ * d);
            ws.kOut = grow(ws.kOut, npadK * d);
        }
        ws.slope = grow(ws.slope, npadQ);
        ws.t1 = grow(ws.t1, d);
        ws.t2 = grow(ws.t2, d);
        ws.t3 = grow(ws.t3, d);
        prepareQueries(ws, g, q, qRow0, n, d, npadQ);
        prepareKeys(ws, g, k, kRow0, n, d, npadK, lanes);

        Call call = ws.call;
        call.spec = spec;
        call.mask = spec.mask();
        call.g = g;
        call.n = n;
        call.d = d;
        call.dv = dv;
        call.out = out;
        call.ranges = out.keyRanges().size();
        if (dv % lanes == 0) {
            call.v = v;
            call.vRow0 = vRow0;
            call.vs = dv;
            call.dvp = dv;
        } else {
            int dvp = roundUp(dv, lanes);
            ws.vPad = grow(ws.vPad, n * dvp);
            call.vRow0 = 0;
            for (int j = 0; j < n; j++) {
                System.arraycopy(v, (vRow0 + j) * dv, ws.vPad, j * dvp, dv);
                Arrays.fill(ws.vPad, j * dvp + dv, j * dvp + dvp, 0f);
            }
            call.v = ws.vPad;
            call.vs = dvp;
            call.dvp = dvp;
        }
        boolean needFinal = out.probs() != null;
        if (needFinal) {
            ws.mFinal = grow(ws.mFinal, n);
            ws.lFinal = grow(ws.lFinal, n);
        }
        int br = config.blockRows();
        for (Scratch sc : ws.scratch) {
            growScratch(sc, g.capped, call.dvp, call.ranges);
        }
        call.blocks = (n + br - 1) / br;
        return call.blocks;
    }

    /**
     * Sizes a worker's scratch for calls with padded value width dvp and the given number of key ranges
     * (and the outside-window scores when capped); nothing changes when it is large enough already.
     */
    void growScratch(Scratch sc, boolean capped, int dvp, int ranges) {
        int br = config.blockRows();
        int bc = config.blockKeys();
        sc.s = grow(sc.s, br * bc);
        if (capped) {
            sc.s2 = grow(sc.s2, br * bc);
        }
        sc.o = grow(sc.o, br * dvp);
        sc.m = grow(sc.m, br);
        sc.l = grow(sc.l, br);
        sc.u = grow(sc.u, br);
        sc.alpha = grow(sc.alpha, br);
        sc.mass = grow(sc.mass, br * Math.max(1, ranges));
        if (sc.range.length < 2 * br) {
            sc.range = new int[2 * br];
        }
    }

    /** The padded value width the tiles use for dv (a multiple of the vector lanes). */
    int paddedWidth(int dv) {
        return roundUp(dv, ops.lanes());
    }

    /** The probability matrix when the call asked for it (after every block of the call has run). */
    void finishCall(Workspace ws) {
        if (ws.call.out.probs() != null) {
            probabilities(ws, ws.call, ops.lanes());
        }
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
            Thread t = new Thread(r, "isentropic-attention-" + threads + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Normalised, rotated, scaled query rows (and the outside-window copies) into the workspace. */
    private static void prepareQueries(Workspace ws, LogitGeometry g, float[] q, int qRow0, int n, int d, int npadQ) {
        Rotator rot = null;
        if (g.rotary) {
            rot = ws.rot;
            rot.seek(0);
        }
        Rotator capRot = null;
        if (g.rotary && g.capped) {
            capRot = ws.capRot;
            capRot.seek(g.capWindow - 1);
        }
        double[] x = ws.t1;
        double[] y = ws.t2;
        AttentionSpec spec = g.spec;
        for (int i = 0; i < n; i++) {
            g.load(q, qRow0 + i, x);
            double f = spec.rowFactor(i, n);
            double scale = f * g.contentScale * LOG2E;
            ws.slope[i] = (float) (f * g.slope * LOG2E);
            if (g.capped) {
                System.arraycopy(x, 0, y, 0, d);
                if (capRot != null) {
                    capRot.rotate(y);
                    if (g.referenceLayout) {
                        Positions.toHalvesLayout(y, d, ws.t3);
                        System.arraycopy(ws.t3, 0, y, 0, d);
                    }
                }
                for (int c = 0; c < d; c++) {
                    ws.qOut[i * d + c] = (float) (y[c] * scale);
                }
            }
            if (rot != null) {
                rot.rotate(x);
                rot.advance();
            }
            for (int c = 0; c < d; c++) {
                ws.qIn[i * d + c] = (float) (x[c] * scale);
            }
        }
        Arrays.fill(ws.qIn, n * d, npadQ * d, 0f);
        if (g.capped) {
            Arrays.fill(ws.qOut, n * d, npadQ * d, 0f);
        }
        Arrays.fill(ws.slope, n, npadQ, 0f);
    }

    /** Keys packed in transposed panels of L keys: kp[(j / L) * d * L + c * L + j % L]. */
    private static void prepareKeys(Workspace ws, LogitGeometry g, float[] k, int kRow0, int n, int d, int npadK,
                                    int lanes) {
        Rotator rot = null;
        if (g.rotary) {
            rot = ws.rot;
            rot.seek(0);
        }
        double[] x = ws.t1;
        for (int j = 0; j < n; j++) {
            g.load(k, kRow0 + j, x);
            int base = (j / lanes) * d * lanes + j % lanes;
            if (g.capped) {
                for (int c = 0; c < d; c++) {
                    ws.kOut[base + c * lanes] = (float) x[c];
                }
            }
            if (rot != null) {
                rot.rotate(x);
                rot.advance();
            }
            for (int c = 0; c < d; c++) {
                ws.kIn[base + c * lanes] = (float) x[c];
            }
        }
        for (int j = n; j < npadK; j++) {
            int base = (j / lanes) * d * lanes + j % lanes;
            for (int c = 0; c < d; c++) {
                ws.kIn[base + c * lanes] = 0f;
                if (g.capped) {
                    ws.kOut[base + c * lanes] = 0f;
                }
            }
        }
    }

    private static final int NONE = 0;
    private static final int ALL = 1;
    private static final int PARTIAL = 2;

    private void worker(Workspace ws, Scratch sc, Call call, AtomicInteger next, int blocks) {
        int b;
        while ((b = next.getAndIncrement()) < blocks) {
            // Last blocks first: under a causal mask they are the most expensive.
            block(ws, sc, call, (blocks - 1 - b) * config.blockRows());
        }
    }

    /** Query rows i0 .. i0 + blockRows - 1 of the call prepared in ws, with worker scratch sc. */
    void block(Workspace ws, Scratch sc, Call call, int i0) {
        final int n = call.n;
        final int d = call.d;
        final int dvp = call.dvp;
        final int lanes = ops.lanes();
        final int br = config.blockRows();
        final int bc = config.blockKeys();
        final int ss = bc;
        final LogitGeometry g = call.g;
        final Mask mask = call.mask;
        final int i1 = Math.min(i0 + br, n);
        final int rows = i1 - i0;
        // Rows computed: a multiple of the score tile's rows and of the P.V tile's 4 (blockRows is one too).
        final int unit = Config.rowUnit(config.qkTile(), config.pvTile());
        final int rp = roundUp(rows, unit);
        final int nr = call.ranges;
        final List<KeyRange> ranges = call.out.keyRanges();
        final boolean entropy = config.entropy();
        Arrays.fill(sc.m, 0, rp, Float.NEGATIVE_INFINITY);
        Arrays.fill(sc.l, 0, rp, 0f);
        Arrays.fill(sc.u, 0, rp, 0f);
        Arrays.fill(sc.o, 0, rp * dvp, 0f);
        if (nr > 0) {
            Arrays.fill(sc.mass, 0, rp * nr, 0f);
        }
        // Keys any row of the block can see: [0, sinkHi) and [bandLo, bandHi).
        int sinkHi = 0;
        int bandLo = n;
        int bandHi = 0;
        for (int i = i0; i < i1; i++) {
            sinkHi = Math.max(sinkHi, mask.sinkEnd(i, n));
            int lo = mask.bandLo(i, n);
            int hi = mask.bandHi(i, n);
            if (hi > lo) {
                bandLo = Math.min(bandLo, lo);
                bandHi = Math.max(bandHi, hi);
            }
        }
        int firstBandTile = bandLo / bc * bc;
        for (int j0 = 0; j0 < n; j0 += bc) {
            if (j0 >= sinkHi && j0 + bc <= firstBandTile) {
                j0 = firstBandTile - bc;
                continue;
            }
            if (j0 >= sinkHi && j0 >= bandHi) {
                break;
            }
            final int j1 = Math.min(j0 + bc, n);
            final int kc = j1 - j0;
            final int panels = (kc + lanes - 1) / lanes;
            final int width = panels * lanes;
            int cls = classify(mask, n, i0, i1, j0, j1);
            if (cls == NONE) {
                continue;
            }
            int capCls = NONE; // NONE: all inside, ALL: all outside, PARTIAL: mixed
            if (g.capped) {
                int maxDist = Math.max(i1 - 1 - j0, j1 - 1 - i0);
                int minDist = j0 > i1 - 1 ? j0 - (i1 - 1) : i0 > j1 - 1 ? i0 - (j1 - 1) : 0;
                capCls = maxDist < g.capWindow ? NONE : minDist >= g.capWindow ? ALL : PARTIAL;
            }
            int panelOff = (j0 / lanes) * d * lanes;
            if (cls == ALL) {
                if (capCls != ALL) {
                    ops.scores(config.qkTile(), ws.qIn, i0 * d, d, rp, ws.kIn, panelOff, panels, sc.s, 0, ss);
                }
                if (capCls != NONE) {
                    ops.scores(config.qkTile(), ws.qOut, i0 * d, d, rp, ws.kOut, panelOff, panels,
                            capCls == ALL ? sc.s : sc.s2, 0, ss);
                }
            } else {
                // Partly masked tile: each group of rows computes only the panels its rows can see.
                for (int r0 = 0; r0 < rp; r0 += unit) {
                    visibleColumns(mask, n, i0 + r0, Math.min(i0 + r0 + unit, i1), j0, kc, sc.range, r0 / unit);
                    int c0 = sc.range[2 * (r0 / unit)];
                    int c1 = sc.range[2 * (r0 / unit) + 1];
                    if (c1 <= c0) {
                        continue;
                    }
                    int p0 = c0 / lanes;
                    int p1 = (c1 + lanes - 1) / lanes;
                    if (capCls != ALL) {
                        ops.scores(config.qkTile(), ws.qIn, (i0 + r0) * d, d, unit, ws.kIn, panelOff + p0 * d * lanes,
                                p1 - p0, sc.s, r0 * ss + p0 * lanes, ss);
                    }
                    if (capCls != NONE) {
                        ops.scores(config.qkTile(), ws.qOut, (i0 + r0) * d, d, unit, ws.kOut, panelOff + p0 * d * lanes,
                                p1 - p0, capCls == ALL ? sc.s : sc.s2, r0 * ss + p0 * lanes, ss);
                    }
                }
            }
            if (capCls == PARTIAL) {
                int w = g.capWindow;
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    int o = r * ss;
                    for (int jj = 0; jj < kc; jj++) {
                        if (Math.abs(i - j0 - jj) >= w) {
                            sc.s[o + jj] = sc.s2[o + jj];
                        }
                    }
                }
            }
            if (g.alibi) {
                float cap = g.capped ? g.capWindow - 1 : Float.POSITIVE_INFINITY;
                ops.alibi(sc.s, ss, rp, width, i0, j0, ws.slope, cap);
            }
            boolean masked = cls == PARTIAL || kc < width || rows < rp;
            if (masked) {
                applyMask(sc.s, ss, mask, n, i0, rows, rp, j0, kc, width);
            }
            ops.softmax(sc.s, ss, rp, width, masked, entropy, sc.m, sc.l, sc.u, sc.alpha);
            if (nr > 0) {
                for (int r = 0; r < rows; r++) {
                    for (int t = 0; t < nr; t++) {
                        KeyRange kr = ranges.get(t);
                        float acc = sc.mass[r * nr + t] * sc.alpha[r];
                        int a = Math.max(kr.start(), j0);
                        int e = Math.min(kr.end(), j1);
                        for (int j = a; j < e; j++) {
                            acc += sc.s[r * ss + j - j0];
                        }
                        sc.mass[r * nr + t] = acc;
                    }
                }
            }
            if (cls == ALL) {
                ops.pv(config.pvTile(), sc.s, ss, 0, rp, 0, kc, call.v, call.vRow0 + j0, call.vs, dvp, sc.o, sc.alpha);
            } else {
                for (int r0 = 0; r0 < rp; r0 += unit) {
                    int c0 = sc.range[2 * (r0 / unit)];
                    int c1 = sc.range[2 * (r0 / unit) + 1];
                    if (c1 > c0) {
                        ops.pv(config.pvTile(), sc.s, ss, r0, unit, c0, c1 - c0, call.v, call.vRow0 + j0, call.vs, dvp, sc.o,
                                sc.alpha);
                    }
                }
            }
        }
        finish(ws, sc, call, i0, rows);
    }

    /** NONE when no pair of the tile is visible, ALL when every pair is, PARTIAL otherwise. */
    private static int classify(Mask mask, int n, int i0, int i1, int j0, int j1) {
        boolean any = false;
        boolean all = true;
        for (int i = i0; i < i1; i++) {
            int se = mask.sinkEnd(i, n);
            int lo = mask.bandLo(i, n);
            int hi = mask.bandHi(i, n);
            boolean sinkPart = se > j0;
            boolean bandPart = Math.min(hi, j1) > Math.max(lo, j0);
            any |= sinkPart || bandPart;
            boolean full = se >= j1 || (lo <= j0 && hi >= j1) || (se > j0 && lo <= se && hi >= j1);
            all &= full;
            if (any && !all) {
                return PARTIAL;
            }
        }
        return !any ? NONE : all ? ALL : PARTIAL;
    }

    /**
     * The columns [range[2g], range[2g+1]) of the tile starting at key j0 (kc keys) that any of rows
     * [ia, ib) can see; empty (0, 0) when none (also for padded rows only).
     */
    private static void visibleColumns(Mask mask, int n, int ia, int ib, int j0, int kc, int[] range, int g) {
        int start = kc;
        int end = 0;
        for (int i = ia; i < ib; i++) {
            int se = Math.min(mask.sinkEnd(i, n) - j0, kc);
            int lo = Math.max(mask.bandLo(i, n) - j0, 0);
            int hi = Math.min(mask.bandHi(i, n) - j0, kc);
            if (se > 0) {
                start = 0;
                end = Math.max(end, se);
            }
            if (hi > lo) {
                start = Math.min(start, lo);
                end = Math.max(end, hi);
            }
        }
        range[2 * g] = end > start ? start : 0;
        range[2 * g + 1] = end > start ? end : 0;
    }

    /** Sets masked scores, padded keys and padded rows to -inf. */
    private static void applyMask(float[] s, int ss, Mask mask, int n, int i0, int rows, int rp, int j0, int kc,
                                  int width) {
        for (int r = 0; r < rp; r++) {
            int o = r * ss;
            if (r >= rows) {
                Arrays.fill(s, o, o + width, Float.NEGATIVE_INFINITY);
                continue;
            }
            int i = i0 + r;
            int se = Math.min(Math.max(mask.sinkEnd(i, n) - j0, 0), kc);
            int lo = Math.min(Math.max(mask.bandLo(i, n) - j0, 0), kc);
            int hi = Math.min(Math.max(mask.bandHi(i, n) - j0, 0), kc);
            if (hi < lo) {
                hi = lo;
            }
            // visible: [0, se) and [lo, hi); everything else in [0, width) is masked.
            if (se >= lo) {
                int end = Math.max(se, hi);
                Arrays.fill(s, o + end, o + width, Float.NEGATIVE_INFINITY);
            } else {
                Arrays.fill(s, o + se, o + lo, Float.NEGATIVE_INFINITY);
                Arrays.fill(s, o + hi, o + width, Float.NEGATIVE_INFINITY);
            }
        }
    }

    private void finish(Workspace ws, Scratch sc, Call call, int i0, int rows) {
        AttentionOutput out = call.out;
        float[] o = out.o();
        int dv = call.dv;
        int dvp = call.dvp;
        int nr = call.ranges;
        boolean entropy = config.entropy();
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            float l = sc.l[r];
            if (!(l > 0f)) {
                Arrays.fill(o, i * dv, i * dv + dv, 0f);
                out.entropy()[i] = 0f;
                out.logSumExp()[i] = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < nr; t++) {
                    out.mass()[i * nr + t] = 0f;
                }
            } else {
                float inv = 1f / l;
                for (int c = 0; c < dv; c++) {
                    o[i * dv + c] = sc.o[r * dvp + c] * inv;
                }
                double lnl = Math.log(l);
                out.entropy()[i] = entropy ? (float) Math.max(0.0, lnl - LN2 * sc.u[r] / l) : Float.NaN;
                out.logSumExp()[i] = (float) (LN2 * sc.m[r] + lnl);
                for (int t = 0; t < nr; t++) {
                    out.mass()[i * nr + t] = sc.mass[r * nr + t] * inv;
                }
            }
            if (out.probs() != null) {
                ws.mFinal[i] = sc.m[r];
                ws.lFinal[i] = l;
            }
        }
    }

    /** The probability matrix from the workspace and each row's final m and l (meant for small n). */
    private static void probabilities(Workspace ws, Call call, int lanes) {
        int n = call.n;
        int d = call.d;
        LogitGeometry g = call.g;
        float[] probs = call.out.probs();
        for (int i = 0; i < n; i++) {
            float m = ws.mFinal[i];
            float l = ws.lFinal[i];
            for (int j = 0; j < n; j++) {
                if (!(l > 0f) || !call.mask.visible(i, j, n)) {
                    probs[i * n + j] = 0f;
                    continue;
                }
                boolean inside = g.inside(i, j);
                float[] qa = inside ? ws.qIn : ws.qOut;
                float[] ka = inside ? ws.kIn : ws.kOut;
                int base = (j / lanes) * d * lanes + j % lanes;
                float t = 0f;
                for (int c = 0; c < d; c++) {
                    t = Math.fma(qa[i * d + c], ka[base + c * lanes], t);
                }
                if (g.alibi) {
                    t -= ws.slope[i] * g.alibiDistance(i, j);
                }
                probs[i * n + j] = (float) (Math.exp((t - m) * LN2) / l);
            }
        }
    }
}
