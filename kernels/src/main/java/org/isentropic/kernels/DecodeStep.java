package org.isentropic.kernels;

import java.util.Arrays;

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
 * <p>Split-K: the cache is cut into splits of {@link #SPLIT_KEYS} keys; each split s computes, over its
 * visible keys, m_s = max z, l_s = sum e^(z - m_s), u_s = sum e^(z - m_s)(z - m_s) and
 * a_s = sum e^(z - m_s) v, and the splits are merged in order with M = max m_s, w_s = e^(m_s - M):
 *
 * <pre>
 *   l = sum w_s l_s,   u = sum w_s (u_s + (m_s - M) l_s),   o = (sum w_s a_s) / l,
 *   logsumexp = M + ln l,   H = ln l - u / l
 * </pre>
 *
 * (u_s is relative to m_s, so moving it to M adds (m_s - M) l_s). The splits run on up to {@code threads}
 * workers; each split's partial results depend only on its keys and the merge order is fixed, so every
 * thread count gives the same bits.
 *
 * <p>Double accumulators, O(n d) per step; prepared (normalised, rotated) keys are cached and rebuilt only
 * when the rotary frequencies change with n. Steps allocate nothing on one thread (the geometry is
 * re-targeted to each new length; with more threads, the pool's queue node per task), except when
 * n-dependent rotary frequencies (PI, NTK, YaRN past their training length) are recomputed. Not thread-safe.
 */
public final class DecodeStep {

    /** Keys per split of the cache (the unit of work shared among threads; fixed so results do not depend on them). */
    public static final int SPLIT_KEYS = 1024;

    private final AttentionSpec spec;
    private final int d;
    private final int dv;
    private final int capacity;
    private final float[] keys;             // [capacity, d]
    private final float[] values;           // [capacity, dv]
    private final double[] prepared;        // [capacity, d] keys normalised/rotated at their position
    private final double[] preparedOut;     // [capacity, d] keys as the outside of a cap window uses them; null without one
    private int preparedCount;
    private double[] preparedTheta;
    private double preparedScale = Double.NaN;
    private int length;
    private final double[] tmp;             // [d]
    private final double[] tmpOut;          // [d]
    /** The geometry of the last step, re-targeted to each new length (no allocation per step). */
    private LogitGeometry geometry;
    private final ParallelFor parallel;
    private final double[][] scores;        // [threads][SPLIT_KEYS] each worker's logits of one split
    private final Query self;
    private IsentropicRows lastIsentropic;
    private final ParallelFor.Body runSplit;

    /** One query's state against this cache: prepared vectors, row factor and the partial sums of each split. */
    final class Query {
        final double[] qIn = new double[d];            // [d]
        final double[] qOut = new double[d];           // [d]
        final double[] partMax;                        // [splits]
        final double[] partL;                          // [splits]
        final double[] partU;                          // [splits]
        final double[] partAcc;                        // [splits, dv]
        final double[] acc = new double[dv];           // [dv]
        int row;
        double factor;
        int sinkEnd;
        int bandLo;
        int bandHi;
        double logSumExp = Double.NaN;

        Query() {
            int maxSplits = (capacity + SPLIT_KEYS - 1) / SPLIT_KEYS;
            partMax = new double[maxSplits];
            partL = new double[maxSplits];
            partU = new double[maxSplits];
            partAcc = new double[maxSplits * dv];
        }
    }

    private DecodeStep(AttentionSpec spec, int d, int dv, int capacity, int threads) {
        this.spec = spec;
        this.d = d;
        this.dv = dv;
        this.capacity = capacity;
        this.keys = new float[Math.multiplyExact(capacity, d)];
        this.values = new float[Math.multiplyExact(capacity, dv)];
        this.prepared = new double[Math.multiplyExact(capacity, d)];
        this.preparedOut = spec.capWindow() < capacity ? new double[capacity * d] : null;
        this.tmp = new double[d];
        this.tmpOut = new double[d];
        this.parallel = new ParallelFor(threads);
        this.scores = new double[threads][Math.min(SPLIT_KEYS, capacity)];
        this.self = new Query();
        this.runSplit = (worker, s) -> split(self, s, scores[worker]);
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
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        if (dv < 1) {
            throw new IllegalArgumentException("dv must be >= 1, got " + dv);
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        spec.positions().checkEvenDimension(d);
        checkTemperatures(spec, capacity);
        return new DecodeStep(spec, d, dv, capacity, threads);
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

    /** Appends the next token's key (d values from kOff) and value (dv values from vOff). */
    public void append(float[] k, int kOff, float[] v, int vOff) {
        if (length == capacity) {
            throw new IllegalArgumentException("cache is full (capacity " + capacity + ")");
        }
        finite("k", k, kOff, d);
        finite("v", v, vOff, dv);
        System.arraycopy(k, kOff, keys, length * d, d);
        System.arraycopy(v, vOff, values, length * dv, dv);
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
        parallel.run(splits(), runSplit);
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
            parallel.run(splits(), runSplit);
            goal[0] = merge(self, o, 0);
            self.sinkEnd = sinkEnd;
            self.bandLo = bandLo;
            self.bandHi = bandHi;
        }
        IsentropicKernel.Rows rows = new IsentropicKernel.Rows(t, goal,
                new int[] {spec.mask().visibleCount(n - 1, n)});
        float[] lambda = {1f};
        float[] entropy = new float[1];
        int pass = 0;
        while (pass < t.maxIterations() && rows.active > 0) {
            self.factor = lambda[0];
            parallel.run(splits(), runSplit);
            entropy[0] = merge(self, o, 0);
            rows.observe(entropy, lambda, ++pass);
        }
        rows.finish(lambda);
        self.factor = lambda[0];
        parallel.run(splits(), runSplit);
        float h = merge(self, o, 0);
        lastIsentropic = new IsentropicRows(goal, lambda, rows.iterations, rows.clamped, rows.unconverged, pass);
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
     * Prepares row n - 1's query (d values from row {@code qRow} of q) with the temperature of {@code rowSpec}
     * (this cache's spec, or a head's spec with the same logit kind, positions and mask).
     */
    void setQuery(Query qs, AttentionSpec rowSpec, float[] q, int qRow) {
        int n = length;
        int i = n - 1;
        geometry.query(q, qRow, i, qs.qIn, qs.qOut);
        qs.row = i;
        qs.factor = rowSpec.rowFactor(i, n);
        Mask mask = spec.mask();
        qs.sinkEnd = Math.min(mask.sinkEnd(i, n), n);
        qs.bandLo = Math.max(mask.bandLo(i, n), 0);
        qs.bandHi = Math.min(mask.bandHi(i, n), n);
    }

    /** Split s of the cache for query qs: its m, l, u and weighted value sum (z: the worker's logits buffer). */
    void split(Query qs, int s, double[] z) {
        final int j0 = s * SPLIT_KEYS;
        final int j1 = Math.min(j0 + SPLIT_KEYS, length);
        final LogitGeometry g = geometry;
        final int i = qs.row;
        final double f = qs.factor;
        final double[] qIn = qs.qIn;
        final double[] qOut = qs.qOut;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = j0; j < j1; j++) {
            boolean visible = j < qs.sinkEnd || (j >= qs.bandLo && j < qs.bandHi);
            if (!visible) {
                z[j - j0] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double content = 0;
            if (g.inside(i, j)) {
                for (int c = 0; c < d; c++) {
                    content += qIn[c] * prepared[j * d + c];
                }
            } else {
                for (int c = 0; c < d; c++) {
                    content += qOut[c] * preparedOut[j * d + c];
                }
            }
            double zj = f * (g.contentScale * content + g.bias(i, j));
            z[j - j0] = zj;
            max = Math.max(max, zj);
        }
        int a0 = s * dv;
        qs.partMax[s] = max;
        if (max == Double.NEGATIVE_INFINITY) {
            qs.partL[s] = 0;
            qs.partU[s] = 0;
            Arrays.fill(qs.partAcc, a0, a0 + dv, 0.0);
            return;
        }
        double l = 0;
        double u = 0;
        double[] acc = qs.partAcc;
        Arrays.fill(acc, a0, a0 + dv, 0.0);
        for (int j = j0; j < j1; j++) {
            double zj = z[j - j0];
            if (zj == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double e = Math.exp(zj - max);
            l += e;
            u += e * (zj - max);
            int vo = j * dv;
            for (int c = 0; c < dv; c++) {
                acc[a0 + c] += e * values[vo + c];
            }
        }
        qs.partL[s] = l;
        qs.partU[s] = u;
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
            double w = Math.exp(ms - top);
            l += w * qs.partL[s];
            u += w * (qs.partU[s] + (ms - top) * qs.partL[s]);
            for (int c = 0; c < dv; c++) {
                acc[c] += w * qs.partAcc[s * dv + c];
            }
        }
        for (int c = 0; c < dv; c++) {
            o[oOff + c] = (float) (acc[c] / l);
        }
        qs.logSumExp = top + Math.log(l);
        return (float) Math.max(0.0, Math.log(l) - u / l);
    }

    /** Prepares keys 0..n-1, reusing those prepared under the same rotary frequencies. */
    private void prepareKeys(LogitGeometry g, int n) {
        boolean same = g.theta == null ? preparedTheta == null : Arrays.equals(g.theta, preparedTheta);
        if (!same || g.positionScale != preparedScale) {
            preparedCount = 0;
            preparedTheta = g.theta == null ? null : g.theta.clone();
            preparedScale = g.positionScale;
        }
        for (int j = preparedCount; j < n; j++) {
            g.key(keys, j, j, tmp, tmpOut);
            System.arraycopy(tmp, 0, prepared, j * d, d);
            if (preparedOut != null) {
                if (g.capped) {
                    System.arraycopy(tmpOut, 0, preparedOut, j * d, d);
                } else {
                    // Unrotated copy for the day the cap window starts to apply (n grows past it).
                    g.load(keys, j, tmp);
                    System.arraycopy(tmp, 0, preparedOut, j * d, d);
                }
            }
        }
        preparedCount = n;
    }
}
