package org.isentropic.benchmarks.runner;

import static org.isentropic.benchmarks.runner.ReportTargets.assertTarget;
import static org.isentropic.benchmarks.runner.ReportTargets.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The entropy's cost: the entropy-cost pair runs in more forks than the plan's other cases, and the report's
 * target is the extra time over the two cases' fork means, with a bootstrap interval over forks, on made-up fork
 * means whose ratio is known.
 */
class EntropyCostTest {

    private static final MachineInfo MACHINE = new MachineInfo("test VM", "test OS", "test CPU", List.of("fma"), 2,
            "Species[float, 16, S_512_BIT]");

    /** Seconds per call of six forks of the entropy-off case: 10 ms, spread by a few percent. */
    private static final List<Double> OFF = List.of(0.0100, 0.0102, 0.0098, 0.0101, 0.0097, 0.0103);

    private static List<Double> scaled(List<Double> seconds, double factor) {
        return seconds.stream().map(s -> s * factor).toList();
    }

    /** A result with the given fork means; its score is their mean, in ms/op as JMH gives it. */
    private static BenchResult withForks(BenchCase c, List<Double> forkSeconds) {
        double meanMs = forkSeconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow() * 1e3;
        return new BenchResult(c, meanMs, meanMs / 100, "ms/op", 0, 0, Double.NaN, Double.NaN, forkSeconds);
    }

    /** A full-plan report on the entropy-cost pair at n = 4096 with these fork means. */
    private static BenchReport report(List<Double> on, List<Double> off) {
        List<BenchCase> pair = BenchPlan.entropyCostPair(BenchPlan.ANCHOR_N);
        return new BenchReport(BenchPlan.full(), List.of(withForks(pair.get(0), on), withForks(pair.get(1), off)),
                List.of(), MACHINE, "isentropic bench", Instant.parse("2026-01-01T00:00:00Z"), "");
    }

    @Test
    void theFullPlansEntropyCostPairRunsInThreeTimesTheForksAndNoOtherCaseDoes() {
        BenchPlan full = BenchPlan.full();
        assertEquals(BenchPlan.ANCHOR_N, full.entropyCostN());
        List<BenchCase> more = full.cases().stream().filter(c -> full.forks(c) != full.settings().forks()).toList();
        assertEquals(List.of("fused/n4096/d128/full/t1", "fused/n4096/d128/full/t1/no-entropy"),
                more.stream().map(BenchCase::id).sorted().toList());
        for (BenchCase c : more) {
            assertEquals(BenchPlan.ENTROPY_COST_FORKS_FACTOR * 2, full.forks(c), c.id());
        }
        // Other n of the same variant keep the plan's forks.
        assertEquals(2, full.forks(BenchPlan.fused(1024, 128, "full", 1, true, "dot", "standard")));
        BenchPlan quick = BenchPlan.quick();
        assertEquals(3, quick.forks(BenchPlan.entropyCostPair(1024).get(1)));
        assertEquals(1, quick.forks(BenchPlan.fused(1024, 128, "causal", 1, true, "dot", "standard")));
        // --forks overrides the plan's forks; the pair keeps its factor.
        assertEquals(12, full.withSettings(full.settings().withForks(4)).forks(more.get(0)));
    }

    @Test
    void noPlanHasThePairedEntropyMeasurement() {
        for (BenchPlan plan : List.of(BenchPlan.full(), BenchPlan.quick())) {
            assertTrue(plan.cases().containsAll(BenchPlan.entropyCostPair(plan.entropyCostN())), plan.name());
            assertFalse(plan.cases().stream().anyMatch(c -> c.id().startsWith("entropy-paired")
                    || c.benchmark().startsWith("PairedEntropy")), plan.name());
        }
    }

    @Test
    void aKnownRatioOfForkMeansIsTheEstimateAndItsIntervalContainsIt() {
        BenchReport.Target t = target(report(scaled(OFF, 1.05), OFF), "entropy");
        assertEquals(5.0, t.value(), 1e-9);
        assertFalse(t.met(), "+5 % is above the 3 % target");
        assertTrue(t.name().contains("separate forks, 6 forks each"), t.name());
        // "+5.0 % [low, high]" with low <= 5 <= high and an interval of some width: the forks differ.
        String[] ends = t.measured().replaceAll("^\\+5\\.0 % \\[(.*)\\]$", "$1").split(", ");
        assertEquals(2, ends.length, t.measured());
        double low = Double.parseDouble(ends[0]);
        double high = Double.parseDouble(ends[1]);
        assertTrue(low < 5 && 5 < high && high - low > 0.5, t.measured());
        // The same fork means always give the same interval (fixed seed).
        assertEquals(t.measured(), target(report(scaled(OFF, 1.05), OFF), "entropy").measured());
    }

    @Test
    void theTargetIsMetAtOrBelowThreePercentOnly() {
        assertTarget(report(scaled(OFF, 1.02), OFF), "entropy", 2.0, true);
        assertTarget(report(scaled(OFF, 1.031), OFF), "entropy", 3.1, false);
        assertTarget(report(scaled(OFF, 0.99), OFF), "entropy", -1.0, true);
    }

    @Test
    void oneForkEachGivesTheEstimateWithoutAnInterval() {
        BenchReport.Target t = target(report(List.of(0.0115), List.of(0.0100)), "entropy");
        assertEquals(15.0, t.value(), 1e-9);
        assertEquals("+15.0 % (one fork each: no interval)", t.measured());
        assertTrue(t.name().contains("1 fork each"), t.name());
        assertFalse(t.met());
        ForkRatio.Estimate e = ForkRatio.extraTime(List.of(0.011, 0.012), List.of(0.010));
        assertFalse(e.hasInterval());
        assertEquals("+15.0 % (2 and 1 forks: no interval)", e.text());
    }

    @Test
    void theIntervalIsThePercentilesOfTheResampledRatios() {
        // off: 1 s in both forks; on: 1 s and 3 s. A resample of on has mean 1, 2 or 3 s with probabilities
        // 1/4, 1/2, 1/4: extra time 0, 100 or 200 %, so the 2.5 % and 97.5 % quantiles are 0 and 200.
        ForkRatio.Estimate e = ForkRatio.extraTime(List.of(1.0, 3.0), List.of(1.0, 1.0));
        assertEquals(100, e.percent(), 1e-12);
        assertEquals(0, e.low(), 1e-12);
        assertEquals(200, e.high(), 1e-12);
        // Forks that agree exactly leave nothing to resample: the interval is the estimate.
        ForkRatio.Estimate exact = ForkRatio.extraTime(List.of(2.0, 2.0, 2.0), List.of(1.0, 1.0));
        assertEquals("+100.0 % [+100.0, +100.0]", exact.text());
    }

    @Test
    void forkMeansMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ForkRatio.extraTime(List.of(), List.of(1.0)));
        assertThrows(IllegalArgumentException.class, () -> ForkRatio.extraTime(List.of(1.0), List.of(0.0)));
        assertThrows(IllegalArgumentException.class, () -> ForkRatio.extraTime(List.of(Double.NaN), List.of(1.0)));
    }

    @Test
    void aRunWithoutThePairReportsNothing() {
        BenchReport r = new BenchReport(BenchPlan.full(), List.of(), List.of(), MACHINE, "isentropic bench",
                Instant.parse("2026-01-01T00:00:00Z"), "");
        BenchReport.Target t = target(r, "entropy");
        assertNull(t.met());
        assertTrue(t.name().contains("6 forks each"), t.name());
    }

    @Test
    void resultsMdSaysHowTheCostIsMeasuredAndWhyThePairedMeasurementWasDropped() {
        String md = report(scaled(OFF, 1.05), OFF).markdown();
        assertTrue(md.contains("(6 forks for the entropy-cost pair)"), md);
        assertTrue(md.contains("entropy-off calls ran code compiled for entropy on"), md);
        assertTrue(md.contains("| entropy: extra time a user pays, entropy on vs the kernel compiled for entropy off"
                + " (separate forks, 6 forks each) (n = 4096, d = 128) | +5.0 % ["), md);
    }
}
