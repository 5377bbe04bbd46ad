package org.isentropic.benchmarks.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The cases a run measures and how long. The full JMH matrix (all @Param combinations: 4 n x 2 d x 3
 * masks x 2 thread counts x entropy x logits x rules, 384 fused cases alone) would take hours, so each
 * plan is a documented subset that answers every target of the benchmarks issue with ratios measured in
 * the same run: the peak (1 thread, all threads); fused at n = 4096, d = 128, bidirectional, 1 thread as
 * the anchor, and one dimension changed at a time (n for the cost per n^2 d, d, threads, mask, entropy
 * off, cosine logits, the InfoScale rule); window 256 over n for linearity; the baselines at the anchor
 * (and at n = 1024); the reference kernel at n = 256; the decode step from cache (4096) to DRAM
 * (65536). Anything else can be run with JMH directly
 * ({@code java --add-modules=jdk.incubator.vector -cp isentropic.jar org.openjdk.jmh.Main ...}).
 */
public record BenchPlan(String name, BenchSettings settings, List<BenchCase> cases) {

    /** The fused anchor: n = 4096, d = 128, bidirectional, 1 thread, entropy on, dot, standard. */
    public static final int ANCHOR_N = 4096;
    public static final int ANCHOR_D = 128;

    public BenchPlan {
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
     * The full plan (about 25 cases; about 15 minutes on 2 cores): see the class comment.
     */
    public static BenchPlan full() {
        List<BenchCase> c = new ArrayList<>(peak());
        for (int n : new int[] {256, 1024, 4096, 16384}) {
            c.add(fused(n, ANCHOR_D, "bidirectional", 1, true, "dot", "standard"));
        }
        c.add(fused(ANCHOR_N, 64, "bidirectional", 1, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "bidirectional", 2, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "causal", 1, true, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "bidirectional", 1, false, "dot", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "bidirectional", 1, true, "cosine", "standard"));
        c.add(fused(ANCHOR_N, ANCHOR_D, "bidirectional", 1, true, "dot", "infoscale"));
        for (int n : new int[] {1024, 4096, 16384}) {
            c.add(fused(n, ANCHOR_D, "window256", 1, true, "dot", "standard"));
        }
        c.add(reference(256, ANCHOR_D, "bidirectional"));
        c.add(rowAtATime(1024, ANCHOR_D, "bidirectional", 1));
        c.add(rowAtATime(ANCHOR_N, ANCHOR_D, "bidirectional", 1));
        c.add(rowAtATime(ANCHOR_N, ANCHOR_D, "bidirectional", 2));
        c.add(ejml(1024, ANCHOR_D, "bidirectional", 1));
        c.add(ejml(ANCHOR_N, ANCHOR_D, "bidirectional", 1));
        c.add(ejml(ANCHOR_N, ANCHOR_D, "bidirectional", 2));
        c.add(decode(ANCHOR_N, ANCHOR_D));
        c.add(decode(65536, ANCHOR_D));
        return new BenchPlan("full", BenchSettings.full(), c);
    }

    /**
     * The quick plan: the same kinds of cases at n = 1024 (fused, baselines), n = 256 (reference) and a
     * 4096-key decode, 1 fork and 0.6 s of warm-up: under two minutes, for proving that every benchmark
     * runs and agrees with the reference. Its numbers are rough.
     */
    public static BenchPlan quick() {
        int n = 1024;
        List<BenchCase> c = new ArrayList<>(peak());
        c.add(fused(n, ANCHOR_D, "bidirectional", 1, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "bidirectional", 2, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "causal", 1, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "window256", 1, true, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "bidirectional", 1, false, "dot", "standard"));
        c.add(fused(n, ANCHOR_D, "bidirectional", 1, true, "cosine", "standard"));
        c.add(fused(n, ANCHOR_D, "bidirectional", 1, true, "dot", "infoscale"));
        c.add(reference(256, ANCHOR_D, "bidirectional"));
        c.add(rowAtATime(n, ANCHOR_D, "bidirectional", 1));
        c.add(ejml(n, ANCHOR_D, "bidirectional", 1));
        c.add(decode(ANCHOR_N, ANCHOR_D));
        return new BenchPlan("quick", BenchSettings.quick(), c);
    }

    /** This plan restricted to the cases whose id contains one of the given substrings. */
    public BenchPlan only(List<String> idSubstrings) {
        Predicate<BenchCase> keep = bc -> idSubstrings.stream().anyMatch(bc.id()::contains);
        List<BenchCase> kept = cases.stream().filter(keep).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("--only " + idSubstrings + " matches no case of the " + name
                    + " plan");
        }
        return new BenchPlan(name, settings, kept);
    }

    /** This plan with other settings. */
    public BenchPlan withSettings(BenchSettings s) {
        return new BenchPlan(name, s, cases);
    }

    static List<BenchCase> peak() {
        return List.of(new BenchCase("peak/1t", "PeakBenchmark.oneThread", Map.of()),
                new BenchCase("peak/all", "PeakBenchmark.allThreads", Map.of()));
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

    public static BenchCase decode(int n, int d) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        return new BenchCase(String.format(Locale.ROOT, "decode/n%d/d%d", n, d), "DecodeBenchmark.step", p);
    }

    /** n, d, mask and (when threads > 0) threads. */
    private static Map<String, String> sizes(int n, int d, String mask, int threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("n", Integer.toString(n));
        p.put("d", Integer.toString(d));
        p.put("mask", mask);
        if (threads > 0) {
            p.put("threads", Integer.toString(threads));
        }
        return p;
    }
}
