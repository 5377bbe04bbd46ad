package org.isentropic.kernels.fused;

import java.util.List;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.FloatRangeException;

/**
 * Multi-head and grouped-query attention with the fused kernel's tiles: every query head h attends over the
 * keys and values of KV head h / (heads / kvHeads) (GQA; MQA when kvHeads = 1, ordinary multi-head attention
 * when kvHeads = heads), each head with its own {@link AttentionSpec} (so its own temperature rule) or one
 * spec for all. Layouts, row-major:
 *
 * <pre>
 *   q[(h * n + i) * d + c]     heads   x n x d
 *   k[(g * n + j) * d + c]     kvHeads x n x d
 *   v[(g * n + j) * dv + c]    kvHeads x n x dv
 * </pre>
 *
 * A call runs in two phases over the same workers: (1) each head's queries and keys are prepared (masks,
 * rotary positions and temperatures exactly as in {@link FusedKernel}), in parallel over heads; (2) the
 * (head, query block) pairs are shared out dynamically, largest blocks first (the last rows under a causal
 * mask). Each pair computes its rows alone, so results do not depend on the number of threads. Workspaces are
 * kept per head and reused: a steady-state call (same specs, sizes and heads) allocates nothing, with one
 * thread or several. Calls on one instance are serialised; the keys are packed once per query head
 * (O(heads n d), against O(heads n^2 d) for the attention).
 */
public final class MultiHeadKernel {

    private final FusedKernel engine;
    private final ParallelFor parallel;
    private final FusedWorkspace.Scratch[] scratch;
    private FusedWorkspace[] workspaces = new FusedWorkspace[0];
    // The current call, read by the loop bodies (set and cleared under the instance lock).
    private AttentionSpec[] callSpecs = new AttentionSpec[0];
    private float[] callQ;
    private float[] callK;
    private float[] callV;
    private int callN;
    private int callD;
    private int callDv;
    private int callGroup;
    private int callHeads;
    private int callBlocks;
    private MultiHeadOutput callOut;
    private final ParallelFor.Body prepareHead = this::prepareHead;
    private final ParallelFor.Body runBlock = this::runBlock;

    private MultiHeadKernel(FusedKernel.Config config) {
        this.engine = new FusedKernel(config);
        this.parallel = new ParallelFor(config.threads());
        this.scratch = new FusedWorkspace.Scratch[config.threads()];
        for (int t = 0; t < scratch.length; t++) {
            scratch[t] = new FusedWorkspace.Scratch();
        }
    }

    /** With the fused kernel's defaults for this many threads (1 to 256). */
    public static MultiHeadKernel create(int threads) {
        return new MultiHeadKernel(FusedKernel.Config.defaults(threads));
    }

    /** With explicit tuning knobs (tiles, blocks, threads, entropy, SIMD). */
    public static MultiHeadKernel create(FusedKernel.Config config) {
        return new MultiHeadKernel(config);
    }

    public FusedKernel.Config config() {
        return engine.config();
    }

    public boolean usesSimd() {
        return engine.usesSimd();
    }

    public String name() {
        return "multihead-" + (usesSimd() ? "simd" : "scalar") + "-t" + parallel.threads();
    }

    /** As {@link #attend(List, float[], float[], float[], int, int, int, int, int, MultiHeadOutput)}, one spec for every head. */
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int heads, int kvHeads, int n, int d,
                       int dv, MultiHeadOutput out) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        attend(spec, null, q, k, v, heads, kvHeads, n, d, dv, out);
    }

    /**
     * Attention of every query head; head h uses specs.get(h) and KV head h / (heads / kvHeads).
     *
     * @param specs   one spec per query head (per-head temperatures and rules; positions and masks may differ too)
     * @param heads   query heads, &gt;= 1, a multiple of kvHeads
     * @param kvHeads key/value heads, &gt;= 1
     * @throws IllegalArgumentException on bad sizes, a heads count that kvHeads does not divide, arrays shorter
     *                                  than the layout says, NaN/Inf in q, k or v, or an output of other sizes
     * @throws FloatRangeException when a head's logits or weighted sum of v leave float's range from finite inputs
     *                             (naming the head and its first such row)
     */
    public void attend(List<AttentionSpec> specs, float[] q, float[] k, float[] v, int heads, int kvHeads, int n,
                       int d, int dv, MultiHeadOutput out) {
        if (specs == null) {
            throw new IllegalArgumentException("specs must not be null");
        }
        if (specs.size() != heads) {
            throw new IllegalArgumentException("need one spec per query head (" + heads + "), got " + specs.size());
        }
        attend(null, specs, q, k, v, heads, kvHeads, n, d, dv, out);
    }

    private synchronized void attend(AttentionSpec shared, List<AttentionSpec> specs, float[] q, float[] k,
                                     float[] v, int heads, int kvHeads, int n, int d, int dv, MultiHeadOutput out) {
        check(q, k, v, heads, kvHeads, n, d, dv, out);
        if (callSpecs.length < heads) {
            callSpecs = new AttentionSpec[heads];
        }
        boolean capped = false;
        for (int h = 0; h < heads; h++) {
            AttentionSpec s = shared != null ? shared : specs.get(h);
            if (s == null) {
                throw new IllegalArgumentException("specs[" + h + "] must not be null");
            }
            s.check(n, d);
            if (s.isentropic() != null) {
                throw new IllegalArgumentException("specs[" + h + "]: MultiHeadKernel does not solve isentropic targets;"
                        + " run the head with AttentionKernels.isentropic(kernel)");
            }
            callSpecs[h] = s;
            capped |= s.capWindow() < n;
        }
        if (workspaces.length < heads) {
            FusedWorkspace[] grown = new FusedWorkspace[heads];
            System.arraycopy(workspaces, 0, grown, 0, workspaces.length);
            for (int h = workspaces.length; h < heads; h++) {
                grown[h] = new FusedWorkspace(scratch);
            }
            workspaces = grown;
        }
        for (FusedWorkspace.Scratch sc : scratch) {
            engine.growScratch(sc, capped, engine.paddedWidth(dv), 0);
        }
        callQ = q;
        callK = k;
        callV = v;
        callN = n;
        callD = d;
        callDv = dv;
        callGroup = heads / kvHeads;
        callHeads = heads;
        callOut = out;
        try {
            parallel.run(heads, prepareHead);
            callBlocks = workspaces[0].call.blocks;
            parallel.run(heads * callBlocks, runBlock);
            for (int h = 0; h < heads; h++) {
                engine.finishCall(workspaces[h]);
            }
            for (int h = 0; h < heads; h++) {
                if (workspaces[h].call.nonFiniteRow) {
                    refuseNonFinite(h, n, dv, out);
                }
            }
        } finally {
            for (int h = 0; h < heads; h++) {
                workspaces[h].call.clear();
                callSpecs[h] = null;
            }
            callQ = null;
            callK = null;
            callV = null;
            callOut = null;
        }
    }

    /**
     * Head h had a row with visible keys and a non-finite result (its logits or its weighted sum of v left float's
     * range, from finite inputs): the {@link FloatRangeException} of {@link Checks#finiteResults}, naming the head.
     */
    private void refuseNonFinite(int h, int n, int dv, MultiHeadOutput out) {
        try {
            Checks.finiteResults(callSpecs[h], n, dv, out.head(h), engine.config().entropy());
        } catch (FloatRangeException e) {
            throw e.inHead(h);
        }
    }

    /** Phase 1 body: head h's queries, keys and call state in its workspace. */
    private void prepareHead(int worker, int h) {
        int kv = h / callGroup;
        engine.prepare(workspaces[h], workspaces[h].rowBuffers[0], callSpecs[h], callQ, h * callN, callK, kv * callN,
                callV, kv * callN, callN, callD, callDv, callOut.head(h)); // q, k and v were scanned by attend
    }

    /** Phase 2 body: pair p = (head p % heads, block blocks - 1 - p / heads). */
    private void runBlock(int worker, int p) {
        int h = p % callHeads;
        int b = callBlocks - 1 - p / callHeads;
        FusedWorkspace ws = workspaces[h];
        engine.block(ws, scratch[worker], ws.call, b);
    }

    private static void check(float[] q, float[] k, float[] v, int heads, int kvHeads, int n, int d, int dv,
                              MultiHeadOutput out) {
        Checks.atLeastOne("heads", heads);
        Checks.atLeastOne("kvHeads", kvHeads);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        Checks.atLeastOne("n", n);
        Checks.atLeastOne("d", d);
        Checks.atLeastOne("dv", dv);
        Checks.array("q", q, (long) heads * n * d);
        Checks.array("k", k, (long) kvHeads * n * d);
        Checks.array("v", v, (long) kvHeads * n * dv);
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        if (out.heads() != heads) {
            throw new IllegalArgumentException("output was allocated for " + out.heads() + " heads, the call has " + heads);
        }
        for (int h = 0; h < heads; h++) {
            out.head(h).checkFits(n, dv);
        }
    }
}
