package org.isentropic.benchmarks.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.isentropic.base.UserInputException;

/**
 * The cases a run measures and how long. Every combination of the benchmarks' parameters (n, d, masks,
 * thread counts, entropy, logits, rules: hundreds of fused cases alone) would take hours, so each plan is
 * a documented subset that answers every performance target of docs/performance.md with ratios measured in
 * the same run: the peak (1 thread, all threads); fused at n = 4096, d = 128, full mask, 1 thread as
 * the anchor, and one dimension changed at a time (n for the cost per n^2 d, d, threads, mask, entropy
 * off, cosine logits, the InfoScale rule); window 256 over n for linearity; the baselines at the anchor
 * (and at n = 1024); the reference kernel at n = 256; the decode step from cache (4096) to DRAM
 * (65536) on 1 and 2 threads beside the memory-bandwidth probe; the peers (OpenBLAS materialised attention,
 * and PyTorch's scaled_dot_product_attention when the jar was built with the {@code peers} profile) on every
 * problem they are compared on (n = 1024 and 4096 full, 4096 causal, the multi-head case) with 1 and 2
 * threads each, beside the fused kernel with 1 and 2 threads, so that the report compares each peer at its
 * faster setting and causal with causal; and a Llama-3-8B-shaped multi-head case (32 query heads, 8 KV heads)
 * causal at n = 4096 and in decode at n = 32768. Anything else can be run with JMH directly, naming the parameters
 * ({@code java --add-modules=jdk.incubator.vector -cp isentropic.jar org.openjdk.jmh.Main FusedAttention
 * -p n=1024,4096 ...}; without {@code -p} a benchmark measures the anchor problem).
 *
 * <p>The entropy's cost (target <= 3 %) is the difference of two cases measured in forks of their own, the fused
 * anchor with entropy on and off at {@code entropyCostN}, and its interval comes from the spread between forks
 * (BenchReport), so those two cases run {@link #ENTROPY_COST_FORKS_FACTOR} times the plan's forks
 * ({@link #forks(BenchCase)}).
 *
 * @param entropyCostN the n of the entropy-cost pair ({@link #entropyCostPair(int)})
 */
public record BenchPlan(String name, BenchSettings settings, List<BenchCase> cases, int entropyCostN) {

    /** The fused anchor: n = 4096, d = 128, full mask, 1 thread, entropy on, dot, standard. */
    public static final int ANCHOR_N = 4096;
    public static final int ANCHOR_D = 128;

    /** How many times the plan's forks the two cases of the entropy-cost pair run. */
    public static final int ENTROPY_COST_FORKS_FACTOR = 3;

    public BenchPlan {
        if (entropyCostN < 1) {
            throw new IllegalArgumentException("entropyCostN must be >= 1, got " + entropyCostN);
        }
        cases = List.copyOf(cases);
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one case");
        }
        long distinct = cases.stream().map(BenchCase::id).distinct().count();
        if (distinct != cases.size()) {
            throw new IllegalArgumentException("case ids must be unique in plan " + name);
        }
    }

    /**
     * The full plan (43 cases, 51 with the PyTorch peer; 2 forks x 10 s each, 6 for the entropy-cost pair at
     * n = 4096, so about 20-25 minutes on 2 cores alone on the machine): see the class comment.
     */
    public static BenchPlan full() {
        List<BenchCase> c = new ArrayList<>(peak());
        for (int n : new int[] {256, 1024, 4096, 16384}) {
            c.add(fused(n, ANCHOR_D, "full", 1, true, "dot", "standard"));
        }
        c.add(fused(ANCHOR_N, 64, "full", 1, true, "dot", "standard"));
        c.add(fused(1024, ANCHOR_D, "full", 2, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "full", 2, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "causal", 1, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "causal", 2, true, "dot", "standard"));
        c.addAll(entropyAndTemperature(ANCHOR_N));
        for (int n : new int[] {1024, 4096, 16384}) {
            c.add(fused(n, ANCHOR_D, "window256", 1, true, "dot", "standard"));
        }
        c.add(reference(256, ANCHOR_D, "full"));
        c.add(rowAtATime(1024, ANCHOR_D, "full", 1));
        c.add(rowAtATime(ANCHOR_N, ANCHOR_D, "full", 1));
        c.add(rowAtATime(ANCHOR_N, ANCHOR_D, "full", 2));
        c.add(ejml(1024, ANCHOR_D, "full", 1));
        c.add(ejml(ANCHOR_N, ANCHOR_D, "full", 1));
        c.add(ejml(ANCHOR_N, ANCHOR_D, "full", 2));
        // Every peer on every problem with 1 and 2 threads: the report compares each at its faster setting.
        for (int threads : new int[] {1, 2}) {
            for (int n : new int[] {1024, ANCHOR_N}) {
                c.add(openBlas(n, ANCHOR_D, "full", threads));
                c.addAll(PeerCases.pyTorch(n, ANCHOR_D, "full", threads, 1, 1));
            }
            c.add(openBlas(ANCHOR_N, ANCHOR_D, "causal", threads));
            c.addAll(PeerCases.pyTorch(ANCHOR_N, ANCHOR_D, "causal", threads, 1, 1));
        }
        for (int threads : new int[] {1, 2}) {
            c.add(decode(ANCHOR_N, ANCHOR_D, threads));
            c.add(decode(65536, ANCHOR_D, threads));
        }
        // Llama-3-8B-shaped attention: 32 query heads, 8 KV heads, d = 128, causal at n = 4096, decode at 32768.
        for (int threads : new int[] {1, 2}) {
            c.add(multiHead(LLAMA_HEADS, LLAMA_KV_HEADS, ANCHOR_N, ANCHOR_D, "causal", threads));
            c.add(openBlasMultiHead(LLAMA_HEADS, LLAMA_KV_HEADS, ANCHOR_N, ANCHOR_D, "causal", threads));
            c.addAll(PeerCases.pyTorch(ANCHOR_N, ANCHOR_D, "causal", threads, LLAMA_HEADS, LLAMA_KV_HEADS));
            c.add(multiHeadDecode(LLAMA_HEADS, LLAMA_KV_HEADS, 32768, ANCHOR_D, threads));
        }
        return new BenchPlan("full", BenchSettings.full(), c, ANCHOR_N);
    }

    /**
     * The quick plan: the same kinds of cases at n = 1024 (fused, baselines, OpenBLAS, the Llama shape with a
     * quarter of the heads), n = 256 (reference) and 4096-key decodes, 1 fork and 0.9 s of warm-up: for
     * proving that every benchmark runs and agrees with the reference (22 cases, 25 with the PyTorch peer; the
     * entropy-cost pair at n = 1024 in 3 forks each). Its numbers are rough.
     */
    public static BenchPlan quick() {
        int n = 1024;
        List<BenchCase> c = new ArrayList<>(peak());
        c.add(fused(n, ANCHOR_D, "full", 1, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "full", 2, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "causal", 1, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "window256", 1, true, "dot", "standard"));
        c.addAll(entropyAndTemperature(n));
        c.add(reference(256, ANCHOR_D, "full"));
        c.add(rowAtATime(n, ANCHOR_D, "full", 1));
        c.add(ejml(n, ANCHOR_D, "full", 1));
        c.add(openBlas(n, ANCHOR_D, "full", 1));
        c.add(openBlas(n, ANCHOR_D, "full", 2));
        c.addAll(PeerCases.pyTorch(n, ANCHOR_D, "full", 1, 1, 1));
        c.addAll(PeerCases.pyTorch(n, ANCHOR_D, "full", 2, 1, 1));
        c.add(decode(ANCHOR_N, ANCHOR_D, 1));
        c.add(decode(ANCHOR_N, ANCHOR_D, 2));
        // The Llama-3-8B shape scaled down: a quarter of the heads (same group size 4), n = 1024, decode at 4096.
        c.add(multiHead(LLAMA_HEADS / 4, LLAMA_KV_HEADS / 4, n, ANCHOR_D, "causal", 2));
        c.add(openBlasMultiHead(LLAMA_HEADS / 4, LLAMA_KV_HEADS / 4, n, ANCHOR_D, "causal", 2));
        c.addAll(PeerCases.pyTorch(n, ANCHOR_D, "causal", 2, LLAMA_HEADS / 4, LLAMA_KV_HEADS / 4));
        c.add(multiHeadDecode(LLAMA_HEADS / 4, LLAMA_KV_HEADS / 4, ANCHOR_N, ANCHOR_D, 2));
        return new BenchPlan("quick", BenchSettings.quick(), c, n);
    }

    /** This plan restricted to the cases whose id contains one of the given substrings. */
    public BenchPlan only(List<String> idSubstrings) {
        Predicate<BenchCase> keep = bc -> idSubstrings.stream().anyMatch(bc.id()::contains);
        List<BenchCase> kept = cases.stream().filter(keep).toList();
        if (kept.isEmpty()) {
            throw new UserInputException("--only " + idSubstrings + " matches no case of the " + name
                    + " plan");
        }
        return new BenchPlan(name, settings, kept, entropyCostN);
    }

    /** This plan with other settings. */
    public BenchPlan withSettings(BenchSettings s) {
        return new BenchPlan(name, s, cases, entropyCostN);
    }

    /**
     * The JMH forks of one case: {@link #ENTROPY_COST_FORKS_FACTOR} times the plan's for the two cases of the
     * entropy-cost pair, the plan's for every other case.
     */
    public int forks(BenchCase c) {
        boolean entropyCost = entropyCostPair(entropyCostN).stream().anyMatch(p -> p.id().equals(c.id()));
        return entropyCost ? ENTROPY_COST_FORKS_FACTOR * settings.forks() : settings.forks();
    }

    /**
     * The entropy-cost pair at n: the fused anchor (d = 128, full mask, 1 thread, dot logits, standard rule) with
     * entropy on, then the same case with entropy off. Each case runs in forks of its own, so the entropy-off
     * time is that of a JVM that never asked for the entropy and compiled its loop for that.
     */
    public static List<BenchCase> entropyCostPair(int n) {
        return List.of(fused(n, ANCHOR_D, "full", 1, true, "dot", "standard"),
                fused(n, ANCHOR_D, "full", 1, false, "dot", "standard"));
    }

    /**
     * The anchor's variants that change what one call computes (d = 128, full mask, 1 thread): entropy off (the
     * entropy-cost pair's second case), isentropic vs plain paired, cosine logits, the InfoScale rule.
     */
    private static List<BenchCase> entropyAndTemperature(int n) {
        return List.of(entropyCostPair(n).get(1), isentropicCost(n, ANCHOR_D, 1),
                fused(n, ANCHOR_D, "full", 1, true, "cosine", "standard"),
                fused(n, ANCHOR_D, "full", 1, true, "dot", "infoscale"));
    }

    /** The FMA peak and the memory bandwidth, 1 thread and all processors. */
    static List<BenchCase> peak() {
        return List.of(new BenchCase("peak/1t", "PeakBenchmark.oneThread", Map.of()),
                new BenchCase("peak/all", "PeakBenchmark.allThreads", Map.of()),
                new BenchCase(BANDWIDTH_ONE, "BandwidthBenchmark.oneThread", Map.of()),
                new BenchCase(BANDWIDTH_ALL, "BandwidthBenchmark.allThreads", Map.of()));
    }

    /** Ids of the bandwidth probe's cases. */
    public static final String BANDWIDTH_ONE = "bandwidth/1t";
    public static final String BANDWIDTH_ALL = "bandwidth/all";

    /** Llama-3-8B's attention shape: 32 query heads sharing 8 KV heads (d = 128). */
    public static final int LLAMA_HEADS = 32;
    public static final int LLAMA_KV_HEADS = 8;

    /** The OpenBLAS peer (materialised attention by sgemm), its BLAS threads set to {@code threads}. */
    public static BenchCase openBlas(int n, int d, String mask, int threads) {
        return new BenchCase(String.format(Locale.ROOT, "openblas/n%d/d%d/%s/t%d", n, d, mask, threads),
                "OpenBlasBenchmark.attend", sizes(n, d, mask, threads));
    }

    /** The OpenBLAS peer head by head on a multi-head / GQA problem. */
    public static BenchCase openBlasMultiHead(int heads, int kvHeads, int n, int d, String mask, int threads) {
        return grouped("openblas", "OpenBlasBenchmark.attend", heads, kvHeads, n, d, mask, threads);
    }

    /** The multi-head / GQA kernel on [heads, n, d] queries and [kvHeads, n, d] keys and values. */
    public static BenchCase multiHead(int heads, int kvHeads, int n, int d, String mask, int threads) {
        return grouped("multihead", "MultiHeadBenchmark.attend", heads, kvHeads, n, d, mask, threads);
    }

    /** A multi-head case, id {@code name/hH/kvK/nN/dD/mask/tT}. */
    private static BenchCase grouped(String name, String benchmark, int heads, int kvHeads, int n, int d, String mask,
                                     int threads) {
        return new BenchCase(String.format(Locale.ROOT, "%s/h%d/kv%d/n%d/d%d/%s/t%d", name, heads, kvHeads, n, d,
                mask, threads), benchmark, headsAndSizes(heads, kvHeads, n, d, mask, threads));
    }

    /**
     * The parameters of a multi-head case, in the order its results list them: heads, kvHeads, n, d, then the
     * mask (none for a decode step: null) and the threads (none when 0).
     */
    static Map<String, String> headsAndSizes(int heads, int kvHeads, int n, int d, String mask, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("heads", Integer.toString(heads));
        p.put("kvHeads", Integer.toString(kvHeads));
        p.putAll(sizes(n, d, mask, threads));
        return p;
    }

    /** Multi-head / GQA decode: every query head's newest query against a cache of n tokens per KV head. */
    public static BenchCase multiHeadDecode(int heads, int kvHeads, int n, int d, int threads) {
        return new BenchCase(String.format(Locale.ROOT, "decode-multihead/h%d/kv%d/n%d/d%d/t%d", heads, kvHeads, n, d,
                threads), "MultiHeadDecodeBenchmark.step", headsAndSizes(heads, kvHeads, n, d, null, threads));
    }

    /** A fused-kernel case; the id lists n, d, mask, threads and every non-default variant. */
    public static BenchCase fused(int n, int d, String mask, int threads, boolean entropy, String logits,
                                  String rule) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        p.put("mask", mask);
        p.put("threads", Integer.toString(threads));
        p.put("entropy", Boolean.toString(entropy));
        p.put("logits", logits);
        p.put("rule", rule);
        String id = String.format(Locale.ROOT, "fused/n%d/d%d/%s/t%d%s%s%s", n, d, mask, threads,
                entropy ? "" : "/no-entropy", logits.equals("dot") ? "" : "/" + logits,
                rule.equals("standard") ? "" : "/" + rule);
        return new BenchCase(id, "FusedAttentionBenchmark.attend", p);
    }

    /** Exactly isentropic attention (per-row temperature, window N = 64) against the plain kernel, paired. */
    public static BenchCase isentropicCost(int n, int d, int threads) {
        return sized("isentropic-paired", "IsentropicCostBenchmark.pair", n, d, threads);
    }

    public static BenchCase reference(int n, int d, String mask) {
        return new BenchCase(String.format(Locale.ROOT, "reference/n%d/d%d/%s", n, d, mask),
                "ReferenceAttentionBenchmark.attend", sizes(n, d, mask, 0));
    }

    public static BenchCase rowAtATime(int n, int d, String mask, int threads) {
        return new BenchCase(String.format(Locale.ROOT, "row-at-a-time/n%d/d%d/%s/t%d", n, d, mask, threads),
                "RowAtATimeBenchmark.attend", sizes(n, d, mask, threads));
    }

    public static BenchCase ejml(int n, int d, String mask, int threads) {
        return new BenchCase(String.format(Locale.ROOT, "ejml/n%d/d%d/%s/t%d", n, d, mask, threads),
                "EjmlBenchmark.attend", sizes(n, d, mask, threads));
    }

    /** The decode step over a causal cache of n tokens, split over {@code threads}. */
    public static BenchCase decode(int n, int d, int threads) {
        return sized("decode", "DecodeBenchmark.step", n, d, threads);
    }

    /** A case with parameters n, d and threads only, id {@code name/nN/dD/tT}. */
    private static BenchCase sized(String name, String benchmark, int n, int d, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        p.put("threads", Integer.toString(threads));
        return new BenchCase(String.format(Locale.ROOT, "%s/n%d/d%d/t%d", name, n, d, threads), benchmark, p);
    }

    /** n, d, mask and (when threads > 0) threads. */
    private static Map<String, String> sizes(int n, int d, String mask, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        if (mask != null) {
            p.put("mask", mask);
        }
        if (threads > 0) {
            p.put("threads", Integer.toString(threads));
        }
        return p;
    }
}
