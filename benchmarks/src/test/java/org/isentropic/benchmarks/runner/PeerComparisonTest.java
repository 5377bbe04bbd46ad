package org.isentropic.benchmarks.runner;

import static org.isentropic.benchmarks.runner.ReportTargets.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The peers against the fused kernel on made-up results whose ratios are known: each peer at its faster setting
 * among the thread counts the budget allows (both settings reported), causal against causal, multi-head against
 * the multi-head kernel, and nothing claimed for a side that did not run. The times are about those of the
 * recorded full run (benchmarks/results.md), where PyTorch SDPA was slower on 2 threads than on 1.
 */
class PeerComparisonTest {

    private static final MachineInfo MACHINE = new MachineInfo("test VM", "test OS", "test CPU", List.of("fma"), 2,
            "Species[float, 16, S_512_BIT]");
    private static final int LENGTH = BenchPlan.ANCHOR_N;
    private static final int D = BenchPlan.ANCHOR_D;

    private static BenchResult ms(BenchCase c, double millis) {
        return new BenchResult(c, millis, millis / 100, "ms/op", 0);
    }

    /** A PyTorch SDPA case (PeerCases.pyTorch lists one only when the peers profile is on the class path). */
    private static BenchCase pyTorch(int heads, int kvHeads, int n, String mask, int threads) {
        return PeerCases.pyTorchCase(n, D, mask, threads, heads, kvHeads);
    }

    private static BenchCase fused(int n, String mask, int threads) {
        return BenchPlan.fused(n, D, mask, threads, true, "dot", "standard");
    }

    private static BenchReport report(List<BenchResult> results) {
        return new BenchReport(BenchPlan.full(), results, List.of(), MACHINE, "isentropic bench",
                Instant.parse("2026-01-01T00:00:00Z"), "");
    }

    private static BenchReport.PeerComparison comparison(BenchReport r, String problem, String peer, int threads) {
        return r.peerComparisons().stream().filter(c -> c.problem().equals(problem) && c.peer().equals(peer)
                && c.threads() == threads).findFirst().orElseThrow(() -> new AssertionError(
                "no comparison " + problem + " " + peer + " " + threads + " in " + r.peerComparisons()));
    }

    /**
     * About the recorded run's anchor times (ms, 1 / 2 threads): fused 69.80 / 38.03, OpenBLAS 75.21 / 62.80,
     * PyTorch 73.48 / 145.84.
     */
    private static List<BenchResult> recordedAnchor() {
        List<BenchResult> rs = new ArrayList<>();
        rs.add(ms(fused(LENGTH, "full", 1), 69.80));
        rs.add(ms(fused(LENGTH, "full", 2), 38.03));
        rs.add(ms(BenchPlan.openBlas(LENGTH, D, "full", 1), 75.21));
        rs.add(ms(BenchPlan.openBlas(LENGTH, D, "full", 2), 62.80));
        rs.add(ms(pyTorch(1, 1, LENGTH, "full", 1), 73.48));
        rs.add(ms(pyTorch(1, 1, LENGTH, "full", 2), 145.84));
        return rs;
    }

    @Test
    void eachPeerIsComparedAtItsFasterSettingWithinTheThreadBudget() {
        BenchReport r = report(recordedAnchor());
        String problem = "1 head, n = 4096, d = 128, full";

        // PyTorch is slower on 2 threads: with 2 threads the fused kernel is compared with its 1-thread time.
        BenchReport.PeerComparison torch2 = comparison(r, problem, "PyTorch", 2);
        assertEquals(1, torch2.bestThreads());
        assertEquals(73.48 / 38.03, torch2.ratio(), 1e-12); // 1.93x, not the 3.83x of 145.84 / 38.03
        assertEquals(List.of(73.48e-3, 145.84e-3), torch2.peerSeconds().stream()
                .map(s -> Math.round(s * 1e5) / 1e5).toList());
        // OpenBLAS is faster on 2 threads: its 2-thread time.
        BenchReport.PeerComparison blas2 = comparison(r, problem, "OpenBLAS", 2);
        assertEquals(2, blas2.bestThreads());
        assertEquals(62.80 / 38.03, blas2.ratio(), 1e-12);
        // With 1 thread the peer gets 1 thread, even where its 2-thread time is faster.
        BenchReport.PeerComparison blas1 = comparison(r, problem, "OpenBLAS", 1);
        assertEquals(1, blas1.bestThreads());
        assertEquals(75.21 / 69.80, blas1.ratio(), 1e-12);
        assertEquals(73.48 / 69.80, comparison(r, problem, "PyTorch", 1).ratio(), 1e-12);

        // The table reports both settings of each peer and the one compared with.
        String alternatives = r.alternativesMarkdown();
        assertTrue(alternatives.contains("| 1 head, n = 4096, d = 128, full | 2 | 38.03 | 75.21 / 62.80 | 1.65x (2t) |"
                + " 73.48 / 145.84 | 1.93x (1t) |"), alternatives);
        assertTrue(alternatives.contains("| 1 head, n = 4096, d = 128, full | 1 | 69.80 | 75.21 / 62.80 | 1.08x (1t) |"
                + " 73.48 / 145.84 | 1.05x (1t) |"), alternatives);

        // The summary's "fused is Nx faster" for the peers' 2-thread rows uses the same best setting.
        String summary = r.summaryMarkdown();
        assertTrue(summary.contains("| pytorch/n4096/d128/full/t2 | 145.8 | "), summary);
        assertTrue(summary.contains(" | 1.9x (1t) |"), summary);
        assertFalse(summary.contains("3.8x"), summary);
        assertTrue(summary.contains("| openblas/n4096/d128/full/t2 | 62.8 | "), summary);
        assertTrue(summary.contains(" | 1.7x |"), summary);

        // Targets: one per peer and budget, naming the setting the peer ran on.
        BenchReport.Target torchTarget = target(r, "fused vs PyTorch SDPA, 2 threads");
        assertEquals(73.48 / 38.03, torchTarget.value(), 1e-12);
        assertEquals("1.93x (peer on 1t)", torchTarget.measured());
        assertTrue(torchTarget.met());
        BenchReport.Target blasTarget = target(r, "fused vs OpenBLAS materialised, 2 threads");
        assertEquals("1.65x (peer on 2t)", blasTarget.measured());
        assertEquals(75.21 / 69.80, target(r, "fused vs OpenBLAS materialised, 1 thread").value(), 1e-12);
        assertFalse(r.json().contains("NaN"));
    }

    @Test
    void causalRowsDivideByTheCausalTimes() {
        List<BenchResult> rs = new ArrayList<>(recordedAnchor());
        rs.add(ms(fused(LENGTH, "causal", 1), 34.70));
        rs.add(ms(fused(LENGTH, "causal", 2), 18.0));
        rs.add(ms(BenchPlan.openBlas(LENGTH, D, "causal", 1), 46.83));
        rs.add(ms(BenchPlan.openBlas(LENGTH, D, "causal", 2), 30.0));
        BenchReport r = report(rs);

        String summary = r.summaryMarkdown();
        // 46.83 / 34.70 = 1.35x against the fused causal case (the full-mask time would give 0.67x).
        assertTrue(summary.contains("| openblas/n4096/d128/causal/t1 | 46.8 | "), summary);
        assertTrue(summary.contains(" | 1.3x |"), summary);
        assertFalse(summary.contains("0.7x"), summary);
        assertEquals(46.83 / 34.70, comparison(r, "1 head, n = 4096, d = 128, causal", "OpenBLAS", 1).ratio(), 1e-12);
        assertEquals(30.0 / 18.0, comparison(r, "1 head, n = 4096, d = 128, causal", "OpenBLAS", 2).ratio(), 1e-12);
        assertTrue(r.alternativesMarkdown().contains(
                "| 1 head, n = 4096, d = 128, causal | 2 | 18.00 | 46.83 / 30.00 | 1.67x (2t) | - | - |"),
                r.alternativesMarkdown());

        // Without a fused causal case there is nothing to divide by: no ratio at all.
        List<BenchResult> noFusedCausal = new ArrayList<>(recordedAnchor());
        noFusedCausal.add(ms(BenchPlan.openBlas(LENGTH, D, "causal", 1), 46.83));
        String alone = report(noFusedCausal).summaryMarkdown();
        assertTrue(alone.contains("| openblas/n4096/d128/causal/t1 | 46.8 | "), alone);
        assertTrue(alone.lines().filter(l -> l.startsWith("| openblas/n4096/d128/causal/t1 "))
                .allMatch(l -> l.endsWith("| - |")), alone);
    }

    @Test
    void multiHeadProblemsCompareWithTheMultiHeadKernel() {
        List<BenchResult> rs = new ArrayList<>();
        rs.add(ms(BenchPlan.multiHead(32, 8, LENGTH, D, "causal", 1), 1089.11));
        rs.add(ms(BenchPlan.multiHead(32, 8, LENGTH, D, "causal", 2), 621.40));
        rs.add(ms(BenchPlan.openBlasMultiHead(32, 8, LENGTH, D, "causal", 1), 1427.15));
        rs.add(ms(BenchPlan.openBlasMultiHead(32, 8, LENGTH, D, "causal", 2), 1043.67));
        rs.add(ms(pyTorch(32, 8, LENGTH, "causal", 1), 1442.92));
        rs.add(ms(pyTorch(32, 8, LENGTH, "causal", 2), 2984.44));
        BenchReport r = report(rs);
        String problem = "32 heads / 8 KV heads, n = 4096, d = 128, causal";
        assertEquals(1442.92 / 621.40, comparison(r, problem, "PyTorch", 2).ratio(), 1e-12); // 2.32x, not 4.80x
        assertEquals(1043.67 / 621.40, comparison(r, problem, "OpenBLAS", 2).ratio(), 1e-12);
        assertTrue(r.alternativesMarkdown().contains("| " + problem + " | 2 | 621.40 | 1427.15 / 1043.67 | 1.68x (2t) |"
                + " 1442.92 / 2984.44 | 2.32x (1t) |"), r.alternativesMarkdown());
    }

    @Test
    void aSettingThatDidNotRunIsNeitherComparedNorClaimed() {
        List<BenchResult> rs = new ArrayList<>();
        rs.add(ms(fused(LENGTH, "full", 1), 70));
        rs.add(ms(fused(LENGTH, "full", 2), 38));
        rs.add(ms(BenchPlan.openBlas(LENGTH, D, "full", 2), 50)); // no 1-thread OpenBLAS case
        rs.add(ms(pyTorch(1, 1, LENGTH, "full", 1), 80)); // no 2-thread PyTorch case
        BenchReport r = report(rs);
        String problem = "1 head, n = 4096, d = 128, full";

        BenchReport.PeerComparison blas1 = comparison(r, problem, "OpenBLAS", 1);
        assertEquals(0, blas1.bestThreads());
        assertTrue(Double.isNaN(blas1.ratio()));
        BenchReport.Target t = target(r, "fused vs OpenBLAS materialised, 1 thread");
        assertNull(t.met());
        assertEquals("not measured in this run", t.measured());
        assertEquals(50.0 / 38, comparison(r, problem, "OpenBLAS", 2).ratio(), 1e-12);
        // PyTorch's only setting is within both budgets.
        assertEquals(80.0 / 38, comparison(r, problem, "PyTorch", 2).ratio(), 1e-12);
        assertEquals(1, comparison(r, problem, "PyTorch", 2).bestThreads());
        String alternatives = r.alternativesMarkdown();
        assertTrue(alternatives.contains("| " + problem + " | 1 | 70.00 | - / 50.00 | - | 80.00 / - | 1.14x (1t) |"),
                alternatives);
        // No n = 1024 case in the run: its target says so rather than failing.
        String at1024 = "fused vs OpenBLAS materialised, 1 thread: the peer's 1-thread time / fused time (n = 1024";
        assertNull(target(r, at1024).met());
        assertFalse(r.json().contains("NaN"));
    }

    @Test
    void theFullPlanRunsEveryPeerOnEveryProblemWithOneAndTwoThreads() {
        BenchPlan plan = BenchPlan.full();
        List<String> ids = plan.cases().stream().map(BenchCase::id).toList();
        for (int threads : BenchReport.PEER_THREADS) {
            for (String problem : List.of("n1024/d128/full", "n4096/d128/full", "n4096/d128/causal")) {
                assertTrue(ids.contains("fused/" + problem + "/t" + threads), problem + " fused t" + threads);
                assertTrue(ids.contains("openblas/" + problem + "/t" + threads), problem + " OpenBLAS t" + threads);
                if (PeerCases.pyTorchAvailable()) {
                    assertTrue(ids.contains("pytorch/" + problem + "/t" + threads), problem + " PyTorch t" + threads);
                }
            }
            assertTrue(ids.contains("multihead/h32/kv8/n4096/d128/causal/t" + threads));
            assertTrue(ids.contains("openblas/h32/kv8/n4096/d128/causal/t" + threads));
        }
    }
}
