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
 * <p>Double accumulators, O(n d) per step; prepared (normalised, rotated) keys are cached and rebuilt only
 * when the rotary frequencies change with n. Steps allocate nothing (the geometry is re-targeted to each
 * new length), except when n-dependent rotary frequencies (PI, NTK, YaRN past their training length) are
 * recomputed. Not thread-safe.
 */
public final class DecodeStep {

    private final AttentionSpec spec;
    private final int d;
    private final int dv;
    private final int capacity;
    private final float[] keys;
    private final float[] values;
    private final double[] prepared;
    private final double[] preparedOut;
    private int preparedCount;
    private double[] preparedTheta;
    private double preparedScale = Double.NaN;
    private int length;
    private final double[] qIn;
    private final double[] qOut;
    private final double[] z;
    private final double[] acc;
    private final double[] tmp;
    private double lastLogSumExp = Double.NaN;
    /** The geometry of the last step, re-targeted to each new length (no allocation per step). */
    private LogitGeometry geometry;

    private DecodeStep(AttentionSpec spec, int d, int dv, int capacity) {
        this.spec = spec;
        this.d = d;
        this.dv = dv;
        this.capacity = capacity;
        this.keys = new float[Math.multiplyExact(capacity, d)];
        this.values = new float[Math.multiplyExact(capacity, dv)];
        this.prepared = new double[capacity * d];
        this.preparedOut = new double[capacity * d];
        this.qIn = new double[d];
        this.qOut = new double[d];
        this.z = new double[capacity];
        this.acc = new double[dv];
        this.tmp = new double[d];
    }

    /**
     * An empty cache.
     *
     * @param spec     the attention spec (per-row temperatures, if any, are indexed by token position and
     *                 must cover the capacity)
     * @param d        query/key dimension, &gt;= 1 (even under rotary positions)
     * @param dv       value dimension, &gt;= 1
     * @param capacity the largest number of tokens, &gt;= 1
     */
    public static DecodeStep create(AttentionSpec spec, int d, int dv, int capacity) {
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
        spec.positions().checkEvenDimension(d);
        float[] t = spec.temperatures();
        if (t != null && t.length < capacity) {
            throw new IllegalArgumentException("temperature length must be >= capacity " + capacity + ", got " + t.length);
        }
        return new DecodeStep(spec, d, dv, capacity);
    }

    /** Tokens in the cache. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
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
    private static void finite(String name, float[] a, int off, int len) {
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
        int n = length;
        int i = n - 1;
        LogitGeometry g = geometry;
        if (g == null) {
            g = new LogitGeometry(spec, n, d);
            geometry = g;
        } else {
            g.resize(n);
        }
        prepareKeys(g, n);
        g.query(q, 0, i, qIn, qOut);
        double f = spec.rowFactor(i, n);
        Mask mask = spec.mask();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!mask.visible(i, j, n)) {
                z[j] = Double.NEGATIVE_INFINITY;
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
            z[j] = f * (g.contentScale * content + g.bias(i, j));
            max = Math.max(max, z[j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            Arrays.fill(o, 0, dv, 0f);
            lastLogSumExp = Double.NEGATIVE_INFINITY;
            return 0f;
        }
        double l = 0;
        double u = 0;
        Arrays.fill(acc, 0.0);
        for (int j = 0; j < n; j++) {
            if (z[j] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double e = Math.exp(z[j] - max);
            l += e;
            u += e * (z[j] - max);
            for (int c = 0; c < dv; c++) {
                acc[c] += e * values[j * dv + c];
            }
        }
        for (int c = 0; c < dv; c++) {
            o[c] = (float) (acc[c] / l);
        }
        lastLogSumExp = max + Math.log(l);
        return (float) Math.max(0.0, Math.log(l) - u / l);
    }

    /** The logsumexp of the last {@link #attend} row (nats). */
    public double lastLogSumExp() {
        return lastLogSumExp;
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
            g.key(keys, j, j, tmp, qOut);
            System.arraycopy(tmp, 0, prepared, j * d, d);
            if (g.capped) {
                System.arraycopy(qOut, 0, preparedOut, j * d, d);
            } else {
                // Unrotated copy for the day the cap window starts to apply (n grows past it).
                g.load(keys, j, tmp);
                System.arraycopy(tmp, 0, preparedOut, j * d, d);
            }
        }
        preparedCount = n;
    }
}
