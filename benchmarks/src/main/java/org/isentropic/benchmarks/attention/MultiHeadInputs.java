package org.isentropic.benchmarks.attention;

import java.util.Arrays;
import org.isentropic.benchmarks.Workloads;

/**
 * Seeded multi-head inputs, q ~ N(0, 1) of shape [heads, n, d] and k, v of shape [kvHeads, n, d] (row-major,
 * dv = d), with the per-head check the multi-head benchmarks run before measuring: each query head's output
 * against the reference kernel on that head's q and its group's k and v ({@link Agreement}).
 */
public final class MultiHeadInputs {

    public final int heads;
    public final int kvHeads;
    public final int n;
    public final int d;
    public final float[] q; // [heads, n, d]
    public final float[] k; // [kvHeads, n, d]
    public final float[] v; // [kvHeads, n, d]

    public MultiHeadInputs(int heads, int kvHeads, int n, int d, long seed) {
        if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads must be a positive multiple of kvHeads, got " + heads + " and "
                    + kvHeads);
        }
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.n = n;
        this.d = d;
        this.q = Workloads.gaussian(seed, 11, Math.multiplyExact(heads, n), d);
        this.k = Workloads.gaussian(seed, 12, Math.multiplyExact(kvHeads, n), d);
        this.v = Workloads.gaussian(seed, 13, Math.multiplyExact(kvHeads, n), d);
    }

    /** The KV head of query head h. */
    public int group(int h) {
        return h / (heads / kvHeads);
    }

    /** Query head h's problem (its q, its group's k and v) under the mask. */
    public AttentionCase head(int h, String mask) {
        int g = group(h);
        return AttentionCase.dotOn(n, d, mask, Arrays.copyOfRange(q, h * n * d, (h + 1) * n * d),
                Arrays.copyOfRange(k, g * n * d, (g + 1) * n * d), Arrays.copyOfRange(v, g * n * d, (g + 1) * n * d));
    }

    /** Fewer heads with the same group size, for a check the reference kernel computes in seconds. */
    public MultiHeadInputs forCheck(int checkN, long seed) {
        int group = heads / kvHeads;
        int kv = Math.min(kvHeads, 2);
        return new MultiHeadInputs(kv * Math.min(group, 4), kv, checkN, d, seed);
    }
}
