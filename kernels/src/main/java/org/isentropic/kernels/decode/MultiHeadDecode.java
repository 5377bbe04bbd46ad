package org.isentropic.kernels.decode;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.isentropic.kernels.fused.ParallelFor;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;

/**
 * Autoregressive multi-head / grouped-query attention: a {@link DecodeStep} key/value cache per KV head and
 * one query per query head each step; query head h reads the cache of KV head h / (heads / kvHeads). Each
 * step computes, for every query head, row t - 1 of the full computation over the t tokens appended so far,
 * exactly as {@link DecodeStep} does for one head (the same split-K merge, so the same bits as a
 * {@code DecodeStep} per head). Layouts per step, row-major:
 *
 * <pre>
 *   k[g * d + c], v[g * dv + c]    kvHeads x d, kvHeads x dv   (the new token's keys and values)
 *   q[h * d + c]                   heads x d
 *   o[h * dv + c]                  heads x dv                  entropy[h], logSumExp[h]: heads
 * </pre>
 *
 * The (KV head, run of cache splits) pairs are shared out over the threads, each pair computing its splits
 * for every query head of the group together (the group reads the keys and values from memory once), so a
 * model with many heads uses every core even on a short cache and one head uses them on a long one. Heads may have their own temperature
 * (per-row factors, rule); heads that share a KV cache must agree on everything the cache's key preparation
 * and logits depend on: logit kind, CosScale's s, positions and mask. Steps allocate nothing on one thread
 * (see {@link DecodeStep} for the exceptions). Not thread-safe.
 */
public final class MultiHeadDecode {

    private final int heads;
    private final int kvHeads;
    private final int group;
    private final int d;
    private final int dv;
    private final AttentionSpec[] specs;     // [heads]
    private final DecodeStep[] caches;       // [kvHeads]
    private final DecodeStep.Query[] queries; // [heads]
    private final ParallelFor parallel;
    private final DecodeStep.Scratch[] scratch; // [threads]
    private final ParallelFor.Body runSplit;

    private MultiHeadDecode(List<AttentionSpec> specs, int heads, int kvHeads, int d, int dv, int capacity, int threads) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.d = d;
        this.dv = dv;
        this.specs = specs.toArray(new AttentionSpec[0]);
        this.caches = new DecodeStep[kvHeads];
        for (int g = 0; g < kvHeads; g++) {
            caches[g] = DecodeStep.create(this.specs[g * group], d, dv, capacity, 1);
        }
        this.queries = new DecodeStep.Query[heads];
        for (int h = 0; h < heads; h++) {
            queries[h] = caches[h / group].newQuery();
        }
        this.parallel = new ParallelFor(threads);
        this.scratch = new DecodeStep.Scratch[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = caches[0].newScratch(group);
        }
        this.runSplit = (worker, p) -> {
            // One work item: a run of splits of one KV head's cache for every query head of its group at once.
            int g = p % this.kvHeads;
            int splits = caches[0].splits();
            int perRun = DecodeStep.splitsPerRun(splits, this.kvHeads, parallel.threads());
            int r = p / this.kvHeads;
            caches[g].run(queries, g * group, (g + 1) * group, r * perRun, Math.min(splits, (r + 1) * perRun),
                    scratch[worker]);
        };
    }

    /** One spec for every head. */
    public static MultiHeadDecode create(AttentionSpec spec, int heads, int kvHeads, int d, int dv, int capacity,
                                         int threads) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        Checks.atLeastOne("heads", heads);
        return create(Collections.nCopies(heads, spec), heads, kvHeads, d, dv, capacity, threads);
    }

    /**
     * An empty cache per KV head.
     *
     * @param specs    one spec per query head; heads of one group agree on kind, s, positions and mask
     * @param heads    query heads, a multiple of kvHeads
     * @param kvHeads  key/value heads, &gt;= 1
     * @param d        query/key dimension (even under rotary positions)
     * @param dv       value dimension
     * @param capacity the largest number of tokens
     * @param threads  workers, 1 to 256
     */
    public static MultiHeadDecode create(List<AttentionSpec> specs, int heads, int kvHeads, int d, int dv,
                                         int capacity, int threads) {
        Checks.atLeastOne("kvHeads", kvHeads);
        if (heads < 1 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a positive multiple of kvHeads ("
                    + kvHeads + ")");
        }
        if (specs == null || specs.size() != heads) {
            throw new IllegalArgumentException("need one spec per query head (" + heads + "), got "
                    + (specs == null ? "none" : String.valueOf(specs.size())));
        }
        Checks.noIsentropicTarget(specs, "MultiHeadDecode");
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            AttentionSpec s = specs.get(h);
            if (s == null) {
                throw new IllegalArgumentException("specs[" + h + "] must not be null");
            }
            DecodeStep.checkTemperatures(s, capacity);
            AttentionSpec lead = specs.get(h / group * group);
            if (s.kind() != lead.kind() || s.cosScale() != lead.cosScale() || !s.positions().equals(lead.positions())
                    || !s.mask().equals(lead.mask())) {
                throw new IllegalArgumentException("specs[" + h + "] shares KV head " + h / group + " with specs["
                        + h / group * group + "] but differs in logit kind, s, positions or mask: " + s + " vs " + lead);
            }
        }
        return new MultiHeadDecode(specs, heads, kvHeads, d, dv, capacity, threads);
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    /** Tokens in the caches. */
    public int length() {
        return caches[0].length();
    }

    /** Appends the next token's key and value of every KV head (k: kvHeads x d, v: kvHeads x dv). */
    public void append(float[] k, float[] v) {
        Checks.array("k", k, (long) kvHeads * d);
        Checks.array("v", v, (long) kvHeads * dv);
        if (length() == caches[0].capacity()) {
            throw new IllegalArgumentException("cache is full (capacity " + caches[0].capacity() + ")");
        }
        for (int g = 0; g < kvHeads; g++) {
            caches[g].append(k, g * d, v, g * dv);
        }
    }

    /**
     * Attention of every query head's newest query (q: heads x d) over its group's cache: o (heads x dv), the
     * entropy (nats) and logsumexp of each head's row. A head with no visible key gets o = 0, entropy 0,
     * logsumexp -infinity.
     */
    public void attend(float[] q, float[] o, float[] entropy, float[] logSumExp) {
        if (length() == 0) {
            throw new IllegalArgumentException("cache is empty: append the token's keys and values first");
        }
        Checks.array("q", q, (long) heads * d);
        Objects.requireNonNull(o, "o");
        if (o.length < heads * dv) {
            throw new IllegalArgumentException("o must hold heads x dv = " + heads * dv + " values, has " + o.length);
        }
        if (entropy == null || entropy.length < heads || logSumExp == null || logSumExp.length < heads) {
            throw new IllegalArgumentException("entropy and logSumExp must hold heads = " + heads + " values");
        }
        for (int g = 0; g < kvHeads; g++) {
            caches[g].prepareStep();
        }
        for (int h = 0; h < heads; h++) {
            caches[h / group].setQuery(queries[h], specs[h], q, h);
        }
        int splits = caches[0].splits();
        int perRun = DecodeStep.splitsPerRun(splits, kvHeads, parallel.threads());
        parallel.run(kvHeads * ((splits + perRun - 1) / perRun), runSplit);
        for (int h = 0; h < heads; h++) {
            DecodeStep.Query qs = queries[h];
            entropy[h] = caches[h / group].merge(qs, o, h * dv);
            logSumExp[h] = (float) qs.logSumExp;
        }
    }
}
