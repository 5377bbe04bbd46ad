package org.isentropic.kernels.decode;

import java.util.Arrays;
import org.isentropic.kernels.fused.ParallelFor;
import org.isentropic.kernels.isentropic.IsentropicKernel;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.IsentropicRows;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.LogitGeometry;
import org.isentropic.kernels.spec.Mask;

/**
 * Autoregressive attention: one new query against a growing key/value cache, with the same
 * {@link AttentionSpec} semantics and entropy as the full kernels. After {@link #append} of the t-th
 * token's key and value (t = 1, 2, ...), {@link #attend} with that token's query computes row t - 1 of the
 * full computation over the sequence of n = t tokens: same logits (positions at their token indices, the
 * mask evaluated for row t - 1 of n, n-dependent schemes such as PI, NTK and YaRN and the rule's n for
 * that n), the same softmax, entropy (nats) and logsumexp. With a causal mask this is exactly the
 * incremental decoding of a causal model; with other masks it is the last row of the bidirectional
 * computation at that length.
 *
 * <p>A step reads the cache once, at memory speed (docs/performance.md): keys are kept prepared (normalised,
 * rotated at their position, rounded to float) and packed in panels of L keys ({@link DecodeOps}); the
 * query is prepared in double and folded with its temperature, the content scale and log2(e) into floats
 * once per pass, so a logit in base-2 units is t_j = q' . k_j + f log2(e) bias_j. Split-K: the cache is cut
 * into splits of {@link #SPLIT_KEYS} keys; each split s computes in float over its visible keys, with the
 * split's scores held in cache, m_s = max t, l_s = sum 2^(t - m_s), u_s = sum 2^(t - m_s)(t - m_s) and
 * a_s = sum 2^(t - m_s) v (P.V in float, keys in order; l_s and u_s summed per lane in float, the lanes in
 * double). The splits are merged in order in double with M = max m_s, w_s = 2^(m_s - M):
 *
 * <pre>
 *   l = sum w_s l_s,   u = sum w_s (u_s + (m_s - M) l_s),   o = (sum w_s a_s) / l,
 *   logsumexp = ln2 M + ln l,   H = ln l - ln2 u / l
 * </pre>
 *
 * (u_s is relative to m_s, so moving it to M adds (m_s - M) l_s). Fully masked splits are skipped, so a
 * window costs O(w d). The splits run on up to {@code threads} workers, in runs of consecutive splits (one
 * work item each, {@link #splitsPerRun}); each split's partial results depend
 * only on its keys (and on no JIT state: no library exp, no horizontal vector sums) and the merge order is
 * fixed, so every thread count gives the same bits. The float accumulators are per split (at most
 * {@value #SPLIT_KEYS} terms, and 1024 / L per lane for l and u), the sums across splits double.
 *
 * <p>The Vector API path ({@code SimdDecodeOps}) runs when jdk.incubator.vector is present, the scalar
 * {@link ScalarDecodeOps} otherwise; they add in the same order except for l and u and differ in the
 * exponential. Keys are re-prepared only when the rotary frequencies change with n. Steps allocate nothing,
 * with one thread or several (the geometry is re-targeted to each new length), except when n-dependent rotary
 * frequencies (PI, NTK, YaRN past their training length) are recomputed. Not thread-safe.
 */
public final class DecodeStep {

    /** Keys per split of the cache (the unit of the partial sums; fixed so results do not depend on threads). */
    public static final int SPLIT_KEYS = 1024;

    /**
     * The most consecutive splits one work item runs (their keys read as one stream, then their values):
     * every split of a run still has its own partial sums, so results do not depend on the runs.
     */
    static final int RUN_SPLITS = 4;

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    private final AttentionSpec spec;
    private final DecodeOps ops;
    private final int lanes;
    private final int d;
    private final int dv;
    /** dv rounded up to a multiple of the lanes: the stride of value rows and split accumulators. */
    private final int dvp;
    private final int capacity;
    private final float[] keys;             // [capacity, d] as appended
    /**
     * Values in column panels of {@link DecodeOps#valuePanel()} columns (the last one narrower): panel b holds
     * columns [b P, b P + w_b) of every token, row j at b P capacity + j w_b, zero padded to dvp.
     */
    private final float[] values;
    private final int valuePanel;
    private final float[] panels;           // keys prepared at their position, packed [capacity / L, d, L]
    private final float[] panelsOut;        // keys as the outside of a cap window uses them (packed); null without one
    private int preparedCount;
    private double[] preparedTheta;
    private double preparedScale = Double.NaN;
    private int length;
    private final double[] tmp;             // [d]
    /** The geometry of the last step, re-targeted to each new length (no allocation per step). */
    private LogitGeometry geometry;
    private final ParallelFor parallel;
    private final Scratch[] scratch;        // [threads]
    private final Query self;
    private IsentropicRows lastIsentropic;
    private final ParallelFor.Body runSplit;

    /** One worker's buffers for a run of splits, for up to {@code queries} queries at a time. */
    static final class Scratch {
        final int keys;         // stride of one query's scores in one split
        final float[] scores;   // [RUN_SPLITS, queries, keys] the splits' logits, then weights
        /**
         * [RUN_SPLITS, dvp / P, queries, P] the splits' weighted value sums, per value panel of P columns (the
         * last one narrower) the queries' accumulators side by side, as {@link DecodeOps#accumulateQuad} takes
         * them; copied to each query's partAcc when the run is done.
         */
        final float[] acc;
        final int[] visible = new int[4 * RUN_SPLITS]; // per split of a run: its visible intervals
        final float[] edge;     // [L] outside scores of the panel a cap window's boundary cuts
        final float[] lanes;    // [2 L] per-lane l and u
        final double[] sums = new double[2];

        Scratch(int queries, int keys, int lanes, int dvp) {
            this.keys = keys;
            scores = new float[RUN_SPLITS * queries * keys];
            acc = new float[RUN_SPLITS * queries * dvp];
            edge = new float[lanes];
            this.lanes = new float[2 * lanes];
        }
    }

    /** One query's state against this cache: prepared vectors, row factor and the partial sums of each split. */
    final class Query {
        final double[] qInExact = new double[d];       // [d] prepared in double (normalised, rotated)
        final double[] qOutExact = new double[d];      // [d]
        final float[] qIn = new float[d];              // [d] times f c log2(e), for the keys inside a cap window
        final float[] qOut = new float[d];             // [d] the same for the keys outside it
        final double[] partMax;                        // [splits] base 2
        final double[] partL;                          // [splits]
        final double[] partU;                          // [splits] base 2
        final float[] partAcc;                         // [splits, dvp]
        final double[] acc = new double[dv];           // [dv]
        int row;
        double factor;
        float biasScale;                               // -f log2(e) slope under ALiBi, else 0
        int sinkEnd;
        int bandLo;
        int bandHi;
        double logSumExp = Double.NaN;

        Query() {
            int maxSplits = (capacity + SPLIT_KEYS - 1) / SPLIT_KEYS;
            partMax = new double[maxSplits];
            partL = new double[maxSplits];
            partU = new double[maxSplits];
            partAcc = new float[maxSplits * dvp];
        }
    }

    private DecodeStep(AttentionSpec spec, int d, int dv, int capacity, int threads, boolean simd) {
        this.spec = spec;
        this.ops = DecodeOps.choose(simd);
        this.lanes = ops.lanes();
        if (SPLIT_KEYS % lanes != 0) {
            throw new IllegalStateException("vector length " + lanes + " does not divide SPLIT_KEYS " + SPLIT_KEYS);
        }
        this.d = d;
        this.dv = dv;
        this.dvp = (dv + lanes - 1) / lanes * lanes;
        this.capacity = capacity;
        int paddedKeys = Math.multiplyExact((capacity + lanes - 1) / lanes, lanes);
        this.keys = new float[Math.multiplyExact(capacity, d)];
        this.values = new float[Math.multiplyExact(capacity, dvp)];
        this.valuePanel = Math.min(ops.valuePanel(), dvp);
        this.panels = new float[Math.multiplyExact(paddedKeys, d)];
        this.panelsOut = spec.capWindow() < capacity ? new float[paddedKeys * d] : null;
        this.tmp = new double[d];
        this.parallel = new ParallelFor(threads);
        this.scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = new Scratch(1, Math.min(SPLIT_KEYS, paddedKeys), lanes, dvp);
        }
        this.self = new Query();
        Query[] one = {self};
        this.runSplit = (worker, r) -> {
            int perRun = splitsPerRun(splits(), 1, parallel.threads());
            run(one, 0, 1, r * perRun, Math.min(splits(), (r + 1) * perRun), scratch[worker]);
        };
    }

    /**
     * An empty cache whose steps run on one thread.
     *
     * @param spec     the attention spec (per-row temperatures, if any, are indexed by token position and
     *                 must cover the capacity)
     * @param d        query/key dimension, &gt;= 1 (even under rotary positions)
     * @param dv       value dimension, &gt;= 1
     * @param capacity the largest number of tokens, &gt;= 1
     */
    public static DecodeStep create(AttentionSpec spec, int d, int dv, int capacity) {
        return create(spec, d, dv, capacity, 1);
    }

    /**
     * An empty cache whose steps split the cache over {@code threads} workers (1 to 256); see the class comment.
     */
    public static DecodeStep create(AttentionSpec spec, int d, int dv, int capacity, int threads) {
        return create(spec, d, dv, capacity, threads, true);
    }

    /** As {@link #create(AttentionSpec, int, int, int, int)}; {@code simd} false forces the scalar path. */
    static DecodeStep create(AttentionSpec spec, int d, int dv, int capacity, int threads, boolean simd) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        Checks.atLeastOne("capacity", capacity);
        Checks.atLeastOne("d", d);
        Checks.atLeastOne("dv", dv);
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        spec.positions().checkEvenDimension(d);
        checkTemperatures(spec, capacity);
        return new DecodeStep(spec, d, dv, capacity, threads, simd);
    }

    static void checkTemperatures(AttentionSpec spec, int capacity) {
        float[] t = spec.temperatures();
        if (t != null && t.length < capacity) {
            throw new IllegalArgumentException("temperature length must be >= capacity " + capacity + ", got " + t.length);
        }
    }

    /** Tokens in the cache. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Worker threads of a step. */
    public int threads() {
        return parallel.threads();
    }

    /** Whether the steps run the Vector API path. */
    public boolean usesSimd() {
        return !(ops instanceof ScalarDecodeOps);
    }

    /** Appends the next token's key (d values from kOff) and value (dv values from vOff). */
    public void append(float[] k, int kOff, float[] v, int vOff) {
        if (length == capacity) {
            throw new IllegalArgumentException("cache is full (capacity " + capacity + ")");
        }
        finite("k", k, kOff, d);
        finite("v", v, vOff, dv);
        System.arraycopy(k, kOff, keys, length * d, d);
        for (int c = 0; c < dv; c += valuePanel) {
            int w = Math.min(valuePanel, dvp - c);
            System.arraycopy(v, vOff + c, values, c * capacity + length * w, Math.min(w, dv - c));
        }
        length++;
    }

    /** Appends the next token's key (d values) and value (dv values). */
    public void append(float[] k, float[] v) {
        append(k, 0, v, 0);
    }

    /** Checks that a holds len finite values from off (indices in messages relative to off), without a copy. */
    static void finite(String name, float[] a, int off, int len) {
        if (a == null || off < 0 || off + len > a.length) {
            throw new IllegalArgumentException("need " + len + " values at offset " + off + ", array has "
                    + (a == null ? "none" : String.valueOf(a.length)));
        }
        for (int i = 0; i < len; i++) {
            float x = a[off + i];
            if (x != x || Float.isInfinite(x)) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + x + " (must be finite)");
            }
        }
    }

    /**
     * Attention of the newest token's query (d values) over the cache: writes the output row (dv values)
     * into {@code o} and returns the row entropy in nats ({@link #lastLogSumExp()} gives its logsumexp).
     * A row with no visible key gives o = 0, entropy 0, logsumexp -infinity.
     */
    public float attend(float[] q, float[] o) {
        if (length == 0) {
            throw new IllegalArgumentException("cache is empty: append the token's key and value first");
        }
        Checks.array("q", q, d);
        if (o == null || o.length < dv) {
            throw new IllegalArgumentException("o must hold dv=" + dv + " values");
        }
        prepareStep();
        setQuery(self, spec, q, 0);
        if (spec.isentropic() != null) {
            return attendIsentropic(spec.isentropic(), o);
        }
        return pass(o);
    }

    /** One pass of the current query over the cache: every split, then the merge into o; the entropy. */
    private float pass(float[] o) {
        fold(self);
        int perRun = splitsPerRun(splits(), 1, parallel.threads());
        parallel.run((splits() + perRun - 1) / perRun, runSplit);
        return merge(self, o, 0);
    }

    /**
     * Exactly isentropic decode ({@link IsentropicTarget}): the newest row's target is its entropy at factor 1
     * over the last N cache entries (for both window references; the newest row has no keys after it) or the
     * given value; lambda is solved by the same per-row iteration as {@link IsentropicKernel}, each pass a pass
     * over the cache (splits and merge), then one pass at lambda writes o.
     */
    private float attendIsentropic(IsentropicTarget t, float[] o) {
        int n = length;
        float[] goal = new float[1];
        if (t.reference() == IsentropicTarget.Reference.VALUE) {
            goal[0] = (float) t.value();
        } else {
            int sinkEnd = self.sinkEnd;
            int bandLo = self.bandLo;
            int bandHi = self.bandHi;
            self.sinkEnd = 0;
            self.bandLo = Math.max(0, n - t.trainLength());
            self.bandHi = n;
            self.factor = 1;
            goal[0] = pass(o);
            self.sinkEnd = sinkEnd;
            self.bandLo = bandLo;
            self.bandHi = bandHi;
        }
        IsentropicKernel.Rows rows = new IsentropicKernel.Rows(t, goal,
                new int[] {spec.mask().visibleCount(n - 1, n)});
        float[] lambda = {1f};
        float[] entropy = new float[1];
        int pass = 0;
        while (pass < t.maxIterations() && rows.active() > 0) {
            self.factor = lambda[0];
            entropy[0] = pass(o);
            rows.observe(entropy, lambda, ++pass);
        }
        rows.finish(lambda);
        self.factor = lambda[0];
        float h = pass(o);
        lastIsentropic = new IsentropicRows(goal, lambda, rows.iterations(), rows.clamped(), rows.unconverged(), pass);
        return h;
    }

    /** What the solver did for the last isentropic {@link #attend} (null before one, or without a target). */
    public IsentropicRows lastIsentropic() {
        return lastIsentropic;
    }

    /** The logsumexp of the last {@link #attend} row (nats). */
    public double lastLogSumExp() {
        return self.logSumExp;
    }

    int d() {
        return d;
    }

    int dv() {
        return dv;
    }

    AttentionSpec spec() {
        return spec;
    }

    /** A new query state for this cache (for callers that attend several queries against it). */
    Query newQuery() {
        return new Query();
    }

    /**
     * A worker's buffers for {@link #run} of up to {@code queries} queries on this cache (or one of its capacity):
     * a query's scores {@link DecodeOps#QUAD_WEIGHTS} apart, as {@link DecodeOps#accumulateQuad} reads them.
     */
    Scratch newScratch(int queries) {
        return new Scratch(queries, DecodeOps.QUAD_WEIGHTS, lanes, dvp);
    }

    /** Re-targets the geometry to the current length and prepares the keys added since the last step. */
    void prepareStep() {
        int n = length;
        LogitGeometry g = geometry;
        if (g == null) {
            g = new LogitGeometry(spec, n, d);
            geometry = g;
        } else {
            g.resize(n);
        }
        prepareKeys(g, n);
    }

    /** Splits of the current cache. */
    int splits() {
        return (length + SPLIT_KEYS - 1) / SPLIT_KEYS;
    }

    /**
     * Splits per work item when {@code caches} caches of {@code splits} splits each are shared out over
     * {@code threads}: up to {@link #RUN_SPLITS} on one thread; with more, short enough runs that each thread
     * gets about four (the results do not depend on it).
     */
    static int splitsPerRun(int splits, int caches, int threads) {
        long even = (long) splits * caches / (4L * threads);
        return (int) Math.max(1, Math.min(RUN_SPLITS, threads == 1 ? splits : even));
    }

    /**
     * Prepares row n - 1's query (d values from row {@code qRow} of q) with the temperature of {@code rowSpec}
     * (this cache's spec, or a head's spec with the same logit kind, positions and mask), folded for a pass.
     */
    void setQuery(Query qs, AttentionSpec rowSpec, float[] q, int qRow) {
        int n = length;
        int i = n - 1;
        geometry.query(q, qRow, i, qs.qInExact, qs.qOutExact);
        qs.row = i;
        qs.factor = rowSpec.rowFactor(i, n);
        Mask mask = spec.mask();
        qs.sinkEnd = Math.min(mask.sinkEnd(i, n), n);
        qs.bandLo = Math.max(mask.bandLo(i, n), 0);
        qs.bandHi = Math.min(mask.bandHi(i, n), n);
        fold(qs);
    }

    /** The float query of a pass: the prepared query times f c g log2(e) (and the ALiBi slope times f log2(e)). */
    void fold(Query qs) {
        LogitGeometry g = geometry;
        double scale = qs.factor * g.contentScale() * LOG2E;
        for (int c = 0; c < d; c++) {
            qs.qIn[c] = (float) (qs.qInExact[c] * scale);
        }
        if (g.capped()) {
            for (int c = 0; c < d; c++) {
                qs.qOut[c] = (float) (qs.qOutExact[c] * scale);
            }
        }
        qs.biasScale = g.alibi ? (float) (-qs.factor * LOG2E * g.slope) : 0f;
    }

    /** Keys per block of a split read by every query of a group before the next block (256 KiB of K at d = 128). */
    private static final int BLOCK_KEYS = 512;

    /**
     * Splits [s0, s1) of the cache (at most {@link #RUN_SPLITS}) for the queries qs[h0 .. h1) (heads sharing
     * this cache and its mask): for each query and split, its m, l, u (base 2) and weighted value sum. The
     * scores of every split of the run come first (their key panels are consecutive: one stream), then the
     * weights, then P.V, one column panel of the values at a time over all the splits (again one stream each).
     * The visible keys of a split are at most two intervals (the mask's sinks and its band); scores are
     * computed for the panels that cover them (keys before a cap window's start with the outside vectors), the
     * others in those panels set to -infinity, and P.V reads only the visible keys' values. Keys and values
     * are read in blocks of {@link #BLOCK_KEYS}, each block by
     * every query before the next, so a group reads them from memory once; the queries score in fours, then
     * pairs ({@link DecodeOps#scoresQuad}, {@link DecodeOps#scoresPair}: each key vector loaded once for all of
     * them) and apply their weights to the values in fours ({@link DecodeOps#accumulateQuad}: each value vector
     * loaded once for the four), adding into the worker's buffer, whose sums are copied to the queries' partial
     * sums at the end. Each query's sums are the same bits as for that query alone (each panel's scores and each
     * key's P.V step do not depend on the runs, the blocks, the column panels or the grouping).
     */
    void run(Query[] qs, int h0, int h1, int s0, int s1, Scratch w) {
        final int queries = h1 - h0;
        final int[] vis = w.visible;
        java.util.Arrays.fill(w.acc, 0, (s1 - s0) * queries * dvp, 0f);
        for (int s = s0; s < s1; s++) {
            visible(qs[h0], s, vis, 4 * (s - s0));
            for (int h = h0; h < h1; h++) {
                qs[h].partMax[s] = Double.NEGATIVE_INFINITY;
                qs[h].partL[s] = 0;
                qs[h].partU[s] = 0;
            }
        }
        final int L = lanes;
        final float[] sc = w.scores;
        for (int s = s0; s < s1; s++) {
            int v = 4 * (s - s0);
            if (vis[v + 1] > vis[v]) {
                scoreSplit(qs, h0, h1, vis[v] / L, (Math.max(vis[v + 1], vis[v + 3]) + L - 1) / L, sc,
                        (s - s0) * queries * w.keys, w);
            }
        }
        for (int s = s0; s < s1; s++) {
            int v = 4 * (s - s0);
            if (vis[v + 1] > vis[v]) {
                softmax(qs, h0, h1, s, vis, v, sc, (s - s0) * queries * w.keys, w);
            }
        }
        for (int c = 0; c < dvp; c += valuePanel) {
            for (int s = s0; s < s1; s++) {
                int v = 4 * (s - s0);
                int base = vis[v] / L * L;
                int sOff = (s - s0) * queries * w.keys;
                int a0 = (s - s0) * queries * dvp + c * queries;
                accumulate(queries, vis[v], vis[v + 1], base, sc, sOff, w.keys, w.acc, a0, c);
                accumulate(queries, vis[v + 2], vis[v + 3], base, sc, sOff, w.keys, w.acc, a0, c);
            }
        }
        copyAccumulators(qs, h0, h1, s0, s1, w.acc);
    }

    /**
     * The weighted value sums of splits [s0, s1) from a worker's buffer ({@link Scratch#acc}) to the partAcc of the
     * queries qs[h0 .. h1).
     */
    private void copyAccumulators(Query[] qs, int h0, int h1, int s0, int s1, float[] acc) {
        final int queries = h1 - h0;
        for (int s = s0; s < s1; s++) {
            for (int c = 0; c < dvp; c += valuePanel) {
                int wc = Math.min(valuePanel, dvp - c);
                int a0 = (s - s0) * queries * dvp + c * queries;
                for (int h = h0; h < h1; h++) {
                    System.arraycopy(acc, a0 + (h - h0) * wc, qs[h].partAcc, s * dvp + c, wc);
                }
            }
        }
    }

    /**
     * The visible keys of split s for query q as at most two intervals (the mask's sinks and its band), merged
     * when they touch: [aLo, aHi) and [bLo, bHi) into vis[v .. v + 4); aHi &lt;= aLo when none is visible,
     * bHi &lt;= bLo when one interval covers them.
     */
    private void visible(Query q, int s, int[] vis, int v) {
        final int j0 = s * SPLIT_KEYS;
        final int j1 = Math.min(j0 + SPLIT_KEYS, length);
        int aLo = j0;
        int aHi = Math.min(j1, q.sinkEnd);
        int bLo = Math.max(j0, q.bandLo);
        int bHi = Math.min(j1, q.bandHi);
        if (aHi <= aLo) {
            aLo = bLo;
            aHi = bHi;
            bLo = bHi;
        } else if (bHi > bLo && bLo <= aHi) {
            aHi = Math.max(aHi, bHi);
            bLo = bHi;
        }
        if (bHi <= bLo) {
            bLo = aHi;
            bHi = aHi;
        }
        vis[v] = aLo;
        vis[v + 1] = aHi;
        vis[v + 2] = bLo;
        vis[v + 3] = bHi;
    }

    /** The scores of panels [pLo, pHi) for every query, query h's from sOff + (h - h0) keys, in blocks. */
    private void scoreSplit(Query[] qs, int h0, int h1, int pLo, int pHi, float[] sc, int sOff, Scratch w) {
        final int L = lanes;
        final int blockPanels = BLOCK_KEYS / L;
        for (int pb = pLo; pb < pHi; pb += blockPanels) {
            int pe = Math.min(pHi, pb + blockPanels);
            int so = sOff + (pb - pLo) * L;
            int h = h0;
            for (; h + 4 <= h1; h += 4) {
                scoresQuad(qs, h, pb, pe, sc, (h - h0) * w.keys + so, w.keys, w.edge);
            }
            for (; h + 2 <= h1; h += 2) {
                scoresPair(qs[h], qs[h + 1], pb, pe, sc, (h - h0) * w.keys + so, (h + 1 - h0) * w.keys + so,
                        w.edge);
            }
            if (h < h1) {
                scores(qs[h], pb, pe, sc, (h - h0) * w.keys + so, w.edge);
            }
        }
    }

    /**
     * Split s's scores of every query (from sOff + (h - h0) keys, covering the panels of its visible
     * intervals vis[v ..]) to weights: ALiBi, -infinity outside the intervals, m, l and u.
     */
    private void softmax(Query[] qs, int h0, int h1, int s, int[] vis, int v, float[] sc, int sOff, Scratch w) {
        final int L = lanes;
        final int aLo = vis[v];
        final int aHi = vis[v + 1];
        final int bLo = vis[v + 2];
        final int bHi = vis[v + 3];
        final int base = aLo / L * L;
        final int width = (Math.max(aHi, bHi) + L - 1) / L * L - base;
        for (int h = h0; h < h1; h++) {
            Query q = qs[h];
            int so = sOff + (h - h0) * w.keys;
            if (q.biasScale != 0f) {
                alibi(q, base, width, sc, so);
            }
            maskOutside(sc, so, so + aLo - base);
            if (bHi > bLo) {
                maskOutside(sc, so + aHi - base, so + bLo - base);
                maskOutside(sc, so + bHi - base, so + width);
            } else {
                maskOutside(sc, so + aHi - base, so + width);
            }
            float m = ops.max(sc, so, so + width);
            ops.weights(sc, so, so + width, m, w.lanes, w.sums);
            q.partMax[s] = m;
            q.partL[s] = w.sums[0];
            q.partU[s] = w.sums[1];
        }
    }

    /** Keys per block of P.V, each block read by every query of a group before the next. */
    private static final int PV_BLOCK_KEYS = 512;

    /**
     * P.V of keys [from, to) for the queries 0 &lt;= i &lt; queries over the value panel of columns from c, in
     * blocks of {@link #PV_BLOCK_KEYS} keys; four queries at a time ({@link DecodeOps#accumulateQuad}, each value
     * vector loaded once for the four). Query i's weight of key j is sc[sOff + i stride + j - base] (stride
     * {@link DecodeOps#QUAD_WEIGHTS} when there are four), its accumulators of the panel acc[a0 + i w ..] (w the
     * panel's width).
     */
    private void accumulate(int queries, int from, int to, int base, float[] sc, int sOff, int stride, float[] acc,
                            int a0, int c) {
        final int w = Math.min(valuePanel, dvp - c);
        final int vOff = c * capacity;
        for (int jb = from; jb < to; jb += PV_BLOCK_KEYS) {
            int je = Math.min(to, jb + PV_BLOCK_KEYS);
            int so = sOff + jb - base;
            int i = 0;
            for (; i + 4 <= queries; i += 4) {
                ops.accumulateQuad(sc, so + i * stride, jb, je, values, vOff, w, acc, a0 + i * w);
            }
            for (; i < queries; i++) {
                ops.accumulate(sc, so + i * stride, jb, je, values, vOff, w, acc, a0 + i * w);
            }
        }
    }

    /**
     * Scores of panels [p0, p1) into sc from sOff; under a cap window keys j &lt;= i - W use the outside
     * vectors.
     */
    private void scores(Query qs, int p0, int p1, float[] sc, int sOff, float[] edge) {
        final int L = lanes;
        int cut = geometry.capped() ? Math.max(0, qs.row - geometry.capWindow + 1) : 0;
        int cutPanel = cut / L;
        int inside0 = Math.max(p0, cutPanel);
        if (inside0 < p1) {
            ops.scores(qs.qIn, d, panels, inside0, p1, sc, sOff + (inside0 - p0) * L);
        }
        int outside1 = Math.min(p1, cutPanel);
        if (p0 < outside1) {
            ops.scores(qs.qOut, d, panelsOut, p0, outside1, sc, sOff);
        }
        capEdge(qs, cut, p0, p1, sc, sOff, edge);
    }

    /**
     * As {@link #scores} for two queries of this cache (the same row, so the same cap window cut), each
     * panel's keys read once for both; each query's scores are the same bits as from {@link #scores}.
     */
    private void scoresPair(Query qa, Query qb, int p0, int p1, float[] sc, int sOffA, int sOffB, float[] edge) {
        final int L = lanes;
        int cut = geometry.capped() ? Math.max(0, qa.row - geometry.capWindow + 1) : 0;
        int cutPanel = cut / L;
        int inside0 = Math.max(p0, cutPanel);
        if (inside0 < p1) {
            int o = (inside0 - p0) * L;
            ops.scoresPair(qa.qIn, qb.qIn, d, panels, inside0, p1, sc, sOffA + o, sOffB + o);
        }
        int outside1 = Math.min(p1, cutPanel);
        if (p0 < outside1) {
            ops.scoresPair(qa.qOut, qb.qOut, d, panelsOut, p0, outside1, sc, sOffA, sOffB);
        }
        capEdge(qa, cut, p0, p1, sc, sOffA, edge);
        capEdge(qb, cut, p0, p1, sc, sOffB, edge);
    }

    /**
     * As {@link #scores} for the four queries qs[h .. h + 4) of this cache (the same row, so the same cap window
     * cut), query i's scores at sOff + i sStride, each panel's keys read once for the four; each query's scores
     * are the same bits as from {@link #scores}.
     */
    private void scoresQuad(Query[] qs, int h, int p0, int p1, float[] sc, int sOff, int sStride, float[] edge) {
        final int L = lanes;
        Query a = qs[h];
        Query b = qs[h + 1];
        Query c = qs[h + 2];
        Query e = qs[h + 3];
        int cut = geometry.capped() ? Math.max(0, a.row - geometry.capWindow + 1) : 0;
        int cutPanel = cut / L;
        int inside0 = Math.max(p0, cutPanel);
        if (inside0 < p1) {
            ops.scoresQuad(a.qIn, b.qIn, c.qIn, e.qIn, d, panels, inside0, p1, sc, sOff + (inside0 - p0) * L,
                    sStride);
        }
        int outside1 = Math.min(p1, cutPanel);
        if (p0 < outside1) {
            ops.scoresQuad(a.qOut, b.qOut, c.qOut, e.qOut, d, panelsOut, p0, outside1, sc, sOff, sStride);
        }
        for (int i = 0; i < 4; i++) {
            capEdge(qs[h + i], cut, p0, p1, sc, sOff + i * sStride, edge);
        }
    }

    /** The keys before the cut in the panel a cap window's cut splits, if among panels [p0, p1): outside scores. */
    private void capEdge(Query qs, int cut, int p0, int p1, float[] sc, int sOff, float[] edge) {
        final int L = lanes;
        int cutPanel = cut / L;
        int cutLanes = cut - cutPanel * L;
        if (cutLanes > 0 && cutPanel >= p0 && cutPanel < p1) {
            ops.scores(qs.qOut, d, panelsOut, cutPanel, cutPanel + 1, edge, 0);
            System.arraycopy(edge, 0, sc, sOff + (cutPanel - p0) * L, cutLanes);
        }
    }

    /** Adds f log2(e) times the ALiBi bias -slope min(i - j, W - 1) (W only under a cap window). */
    private void alibi(Query qs, int base, int width, float[] sc, int sOff) {
        LogitGeometry g = geometry;
        float slope = qs.biasScale;
        for (int jj = 0; jj < width; jj++) {
            sc[sOff + jj] += slope * g.alibiDistance(qs.row, base + jj);
        }
    }

    private static void maskOutside(float[] sc, int from, int to) {
        if (from < to) {
            java.util.Arrays.fill(sc, from, to, Float.NEGATIVE_INFINITY);
        }
    }

    /** Merges the splits of qs in order into o[oOff ..] (dv values); returns the entropy (nats). */
    float merge(Query qs, float[] o, int oOff) {
        int splits = splits();
        double top = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < splits; s++) {
            top = Math.max(top, qs.partMax[s]);
        }
        if (top == Double.NEGATIVE_INFINITY) {
            Arrays.fill(o, oOff, oOff + dv, 0f);
            qs.logSumExp = Double.NEGATIVE_INFINITY;
            return 0f;
        }
        double l = 0;
        double u = 0;
        double[] acc = qs.acc;
        Arrays.fill(acc, 0.0);
        for (int s = 0; s < splits; s++) {
            double ms = qs.partMax[s];
            if (ms == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double w = Math.exp((ms - top) * LN2);
            l += w * qs.partL[s];
            u += w * (qs.partU[s] + (ms - top) * qs.partL[s]);
            for (int c = 0; c < dv; c++) {
                acc[c] += w * qs.partAcc[s * dvp + c];
            }
        }
        for (int c = 0; c < dv; c++) {
            o[oOff + c] = (float) (acc[c] / l);
        }
        double lnL = Math.log(l);
        qs.logSumExp = LN2 * top + lnL;
        return (float) Math.max(0.0, lnL - LN2 * u / l);
    }

    /** Prepares keys 0..n-1 (packed, float), reusing those prepared under the same rotary frequencies. */
    private void prepareKeys(LogitGeometry g, int n) {
        boolean same = g.theta() == null ? preparedTheta == null : Arrays.equals(g.theta(), preparedTheta);
        if (!same || g.positionScale() != preparedScale) {
            preparedCount = 0;
            preparedTheta = g.theta() == null ? null : g.theta().clone();
            preparedScale = g.positionScale();
        }
        for (int j = preparedCount; j < n; j++) {
            g.key(keys, j, j, tmp, null);
            pack(tmp, j, panels);
            if (panelsOut != null) {
                // Unrotated (normalised) keys, kept also before the cap window applies (n grows past it).
                g.load(keys, j, tmp);
                pack(tmp, j, panelsOut);
            }
        }
        preparedCount = n;
    }

    /** Writes key j's d components into its lane of its panel: kp[((j / L) d + c) L + j mod L]. */
    private void pack(double[] x, int j, float[] kp) {
        int o = (j / lanes) * d * lanes + j % lanes;
        for (int c = 0; c < d; c++) {
            kp[o + c * lanes] = (float) x[c];
        }
    }
}
