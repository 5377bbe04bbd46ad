package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.isentropic.base.Seeds;
import org.isentropic.experiments.stats.Verdict;
import org.isentropic.kernels.spec.NMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrieval probe's analysis on synthetic hits with known above-floor values: estimates, the three verdicts, the
 * floor comparator, the window each D is read from, "not run" for missing cells, and the evaluation's claims and plan
 * untouched by the probe's rows.
 */
class RetrievalAnalysisTest {

    static final int SEEDS = 3;
    static final int STREAMS = 12;
    /** Characters per stream: varies with the stream, the same in the copy and the control run. */
    static final IntToDoubleFunction CHARS = s -> 6 + s % 4;
    static final int RESAMPLES = 4000;

    @TempDir
    Path dir;

    static Plan.Row row(String family, int seed, Method m, Temperature t) {
        return new Plan.Row(new Family.Checkpoint("x", family + "-seed" + seed, Family.COPY_CONTROL, seed, Double.NaN),
                Protocol.STREAMS, m, t, NMode.SEQUENCE);
    }

    /**
     * Hits of one cell at (D, n): per seed and stream, the copy run correct with probability {@code copy} and the
     * control with {@code floor} (drawn per character; losses -ln of a made-up probability), plus per-stream noise of
     * {@code spread} on the copy's probability.
     */
    static void plant(List<RetrievalProbe.Hit> out, String family, Method m, Temperature t, int d, int n, double copy,
            double floor, double spread, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int k = 1; k <= SEEDS; k++) {
            Plan.Row r = row(family, k, m, t);
            for (int s = 0; s < STREAMS; s++) {
                double p = Math.min(1, Math.max(0, copy + spread * (rng.nextDouble() * 2 - 1)));
                for (int i = 0; i < CHARS.applyAsDouble(s); i++) {
                    boolean hit = rng.nextDouble() < p;
                    out.add(new RetrievalProbe.Hit(r, s, d, n, false, hit, hit ? 0.1 : 3.0, new double[] {0.2, 0.5}));
                    boolean fhit = rng.nextDouble() < floor;
                    out.add(new RetrievalProbe.Hit(r, s, d, n, true, fhit, fhit ? 0.1 : 3.0, new double[] {0.1, 0.01}));
                }
            }
        }
    }

    /** The above-floor accuracy of a cell recomputed from the hits: mean over seeds and streams of per-stream means. */
    static double aboveFloor(List<RetrievalProbe.Hit> hits, String cell, int d, int n) {
        double[][][] s = new double[SEEDS + 1][STREAMS][4];
        for (RetrievalProbe.Hit h : hits) {
            if (CellRef.of(h.row()).toString().equals(cell) && h.distance() == d && h.n() == n) {
                double[] v = s[h.row().checkpoint().seed()][h.stream()];
                v[h.control() ? 2 : 0] += h.correct() ? 1 : 0;
                v[h.control() ? 3 : 1]++;
            }
        }
        double total = 0;
        for (int k = 1; k <= SEEDS; k++) {
            for (int j = 0; j < STREAMS; j++) {
                total += 100 * (s[k][j][0] / s[k][j][1] - s[k][j][2] / s[k][j][3]);
            }
        }
        return total / (SEEDS * STREAMS);
    }

    static RegisteredClaims.Claim claim(String id, String metric, int d, String a, String b, double margin,
            String direction) {
        return RegisteredClaims.parse(RegisteredClaims.HEADER + "\n" + String.join(",", id, "s", metric,
                Integer.toString(d), a, b, Double.toString(margin), direction) + "\n", "t.csv").get(0);
    }

    static List<RetrievalProbe.Hit> synthetic() {
        List<RetrievalProbe.Hit> hits = new ArrayList<>();
        String c = "copy-softmax-ft";
        // D = 32: copies at 90 % in the window of N, none in the full window (both runs at 0: exactly the floor)
        plant(hits, c, Method.ROPE, Temperature.STANDARD, 32, 64, 0.90, 0.05, 0.05, 1);
        plant(hits, c, Method.ROPE, Temperature.STANDARD, 32, 4096, 0.0, 0.0, 0.0, 2);
        // D = 4000 in the full window: standard 25 points above the floor, InfoScale at the floor (noisy)
        plant(hits, c, Method.ROPE, Temperature.STANDARD, 4000, 4096, 0.30, 0.05, 0.05, 3);
        plant(hits, c, Method.ROPE, Temperature.INFOSCALE, 4000, 4096, 0.05, 0.05, 0.05, 4);
        return hits;
    }

    @Test
    void estimatesAndTheThreeVerdictsOnSyntheticHits() {
        List<RetrievalProbe.Hit> hits = synthetic();
        List<RegisteredClaims.Claim> claims = List.of(
                claim("skill", "copy-accuracy", 32, "copy-softmax-ft/rope/standard", "floor", 50, "greater"),
                claim("skill", "copy-loss", 32, "copy-softmax-ft/rope/standard", "floor", 1, "less"),
                claim("worse", "copy-accuracy", 4000, "copy-softmax-ft/rope/infoscale", "copy-softmax-ft/rope/standard",
                        0, "greater"),
                claim("above", "copy-accuracy", 4000, "copy-softmax-ft/rope/infoscale", "floor", 0, "greater"),
                claim("missing", "copy-accuracy", 4000, "copy-cos128/rope/standard", "floor", 0, "greater"),
                claim("missing-b", "copy-accuracy", 4000, "copy-softmax-ft/rope/logn", "copy-softmax-ft/rope/standard",
                        0, "greater"));
        List<ClaimAnalysis.Result> r = RetrievalAnalysis.decide(claims, RetrievalAnalysis.collect(hits), RESAMPLES,
                Seeds.DEFAULT_SEED);

        // the floor comparator: A's own above-floor value, from the window of N at D = 32 (not the full window)
        double at64 = aboveFloor(hits, "copy-softmax-ft/rope/standard", 32, 64);
        assertTrue(at64 > 70, "made to copy at N: " + at64);
        assertEquals(at64, r.get(0).estimate(), 1e-9);
        assertEquals(Verdict.Outcome.HOLDS, r.get(0).verdict().outcome(), r.get(0).sentence());
        assertTrue(r.get(1).estimate() < -1.5, "copy loss below the floor's: " + r.get(1).estimate());
        assertEquals(Verdict.Outcome.HOLDS, r.get(1).verdict().outcome(), r.get(1).sentence());
        // A - B of two above-floor values at D = 4000 from the full window
        double expected = aboveFloor(hits, "copy-softmax-ft/rope/infoscale", 4000, 4096)
                - aboveFloor(hits, "copy-softmax-ft/rope/standard", 4000, 4096);
        assertEquals(expected, r.get(2).estimate(), 1e-9);
        assertEquals(Verdict.Outcome.DOES_NOT_HOLD, r.get(2).verdict().outcome(), r.get(2).sentence());
        assertEquals(Verdict.Outcome.INCONCLUSIVE, r.get(3).verdict().outcome(), r.get(3).sentence());
        assertEquals(List.of(1, 2, 3), r.get(3).seeds());
        assertEquals(STREAMS, r.get(3).streams());
        // cells that were not run: never guessed
        for (ClaimAnalysis.Result missing : r.subList(4, 6)) {
            assertFalse(missing.run());
            assertEquals("not run", missing.verdictToken());
            assertTrue(Double.isNaN(missing.estimate()));
        }
        assertEquals("missing (copy-accuracy): not run (cell copy-cos128/rope/standard at D = 4000 (window of 4096) is"
                + " not in the results).", r.get(4).sentence());
        assertTrue(r.get(0).sentence().startsWith("skill (copy-accuracy): s. copy-softmax-ft/rope/standard above its"
                + " floor at D = 32 (window of 64): +"), r.get(0).sentence());
        assertTrue(r.get(2).sentence().contains("copy-softmax-ft/rope/infoscale - copy-softmax-ft/rope/standard, each"
                + " above its floor, at D = 4000 (window of 4096)"), r.get(2).sentence());
        // Holm across the four that ran: the adjusted interval holds the unadjusted one
        for (ClaimAnalysis.Result x : r.subList(0, 4)) {
            assertTrue(x.loAdjusted() <= x.lo() && x.hi() <= x.hiAdjusted(), x.sentence());
        }
        String csv = ClaimAnalysis.csv(r);
        assertTrue(csv.contains("\nskill,copy-accuracy,"), csv);
        assertTrue(csv.contains("\nskill,copy-loss,"), csv);
        assertTrue(csv.contains("\nmissing,copy-accuracy,,,,,,not run\n"), csv);
    }

    @Test
    void theWindowOfEachDistance() {
        assertEquals(64, RetrievalProbe.windowFor(16));
        assertEquals(64, RetrievalProbe.windowFor(RetrievalProbe.MAX_SHORT));
        assertEquals(RetrievalProbe.WINDOW, RetrievalProbe.windowFor(128));
        assertEquals(RetrievalProbe.WINDOW, RetrievalProbe.windowFor(4000));
        // D = 32 read from the full window would find no copying (the hits put the full window at the floor)
        List<RetrievalProbe.Hit> hits = synthetic();
        Map<PerTarget.Key, PerTarget.Sums> data = RetrievalAnalysis.claimData(RetrievalAnalysis.collect(hits));
        assertEquals(3, data.size(), "one entry per cell and D, in its registered window only");
        double[][] at32 = data.get(new PerTarget.Key(CellRef.parse("copy-softmax-ft/rope/standard", "t"), 32))
                .means(Metric.ACCURACY, List.of(1, 2, 3));
        assertEquals(aboveFloor(hits, "copy-softmax-ft/rope/standard", 32, 64),
                Arrays.stream(at32).flatMapToDouble(Arrays::stream).average().orElseThrow(), 1e-9);
        assertEquals(0, aboveFloor(hits, "copy-softmax-ft/rope/standard", 32, 4096));
    }

    @Test
    void theFileRoundTripsAndEveryCellGetsItsInterval() throws Exception {
        List<RetrievalProbe.Hit> hits = synthetic();
        RetrievalProbe.write(hits, dir.resolve(RetrievalProbe.FILE));
        RetrievalAnalysis.Analysis a = RetrievalAnalysis.write(dir, RegisteredClaims.retrieval(), Seeds.DEFAULT_SEED);
        List<String> lines = Files.readAllLines(dir.resolve(RetrievalAnalysis.CLAIMS));
        assertEquals("id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict", lines.get(0));
        assertEquals(RegisteredClaims.retrieval().size() + 1, lines.size());
        // r1 (copy-softmax-ft/rope/standard vs floor at D = 32) ran on the synthetic cells; r2 (copy-cos128) did not
        assertTrue(lines.get(1).startsWith("r1,copy-accuracy,") && lines.get(1).endsWith(",holds"), lines.get(1));
        assertTrue(lines.get(3).equals("r2,copy-accuracy,,,,,,not run"), lines.get(3));
        assertEquals(4, a.cells().size());
        for (RetrievalAnalysis.CellRow c : a.cells()) {
            // the file holds losses to 5 decimals; the hits' are exact, so compare accuracy only
            assertEquals(aboveFloor(hits, c.cell().toString(), c.distance(), c.n()), c.above(), 1e-9);
            assertEquals(c.accuracy() - c.floor(), c.above(), 1e-9);
            assertTrue(c.aboveLo() <= c.above() && c.above() <= c.aboveHi(), c.toString());
            assertEquals(List.of(1, 2, 3), c.seeds());
            assertEquals(STREAMS, c.streams());
            assertEquals(0.5, c.sourceMass(), 1e-9);
        }
        String md = RetrievalAnalysis.markdown(a, "isentropic experiment retrieval", "Checkpoints: x.",
                Seeds.DEFAULT_SEED, "f.png");
        assertTrue(md.contains("## Claims (generated sentences)\n\n- r1 (copy-accuracy): "), md);
        assertTrue(md.contains("| copy-softmax-ft/rope/standard | 32 | 64 | 1 2 3 | 12 |"), md);
        assertFalse(md.contains("No intervals or verdicts yet"));
    }

    @Test
    void copyAndControlMustScoreTheSameCharacters() {
        List<RetrievalProbe.Hit> hits = new ArrayList<>(synthetic());
        hits.add(new RetrievalProbe.Hit(row("copy-softmax-ft", 1, Method.ROPE, Temperature.STANDARD), 0, 32, 64, true,
                true, 0.1, new double[] {0}));
        Map<RetrievalAnalysis.Key, RetrievalAnalysis.Cell> data = RetrievalAnalysis.collect(hits);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalAnalysis.cellRows(data, RESAMPLES, 1));
        assertTrue(e.getMessage().contains("the same characters"), e.getMessage());
    }

    @Test
    void theRegisteredRetrievalRowsAreTheirOwnFamily() {
        List<RegisteredClaims.Claim> all = RegisteredClaims.packagedAll();
        List<RegisteredClaims.Claim> evaluation = RegisteredClaims.packaged();
        List<RegisteredClaims.Claim> retrieval = RegisteredClaims.retrieval();
        assertEquals(78, evaluation.size(), "the evaluation's family is unchanged");
        assertEquals(20, retrieval.size());
        assertEquals(all.size(), evaluation.size() + retrieval.size());
        assertTrue(evaluation.stream().noneMatch(c -> c.metricId().startsWith("copy-") || c.againstFloor()));
        for (RegisteredClaims.Claim c : retrieval) {
            assertTrue(c.a().checkpoint().startsWith("copy-"), c.toString());
            assertTrue(c.againstFloor() || c.b().checkpoint().startsWith("copy-"), c.toString());
            assertTrue(Arrays.stream(RetrievalProbe.DISTANCES).anyMatch(d -> d == c.n()), c.toString());
            Method.parse(c.a().method());
            Temperature.parse(c.a().temperature());
        }
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"),
                retrieval.stream().map(RegisteredClaims.Claim::id).distinct().toList());
        // a copy metric's n is a distance of the probe; the floor is no cell of the evaluation
        String notADistance = assertThrows(IllegalArgumentException.class, () -> claim("x", "copy-accuracy", 100,
                "c/rope/standard", "floor", 0, "greater")).getMessage();
        assertTrue(notADistance.contains("a distance of the probe"), notADistance);
        String floorInTheEvaluation = assertThrows(IllegalArgumentException.class, () -> claim("x", "accuracy", 4096,
                "c/rope/standard", "floor", 0, "greater")).getMessage();
        assertTrue(floorInTheEvaluation.contains("t.csv line 2 cell_b"), floorInTheEvaluation);
        assertThrows(IllegalArgumentException.class, () -> RetrievalAnalysis.decide(evaluation, Map.of(), 10, 1));
    }

    @Test
    void theEvaluationsPlanIsComputedFromItsOwnClaimsAlone() {
        Family v3 = Family.of("v3");
        List<RegisteredClaims.Claim> evaluation = RegisteredClaims.packagedAll().stream()
                .filter(c -> List.of("accuracy", "loss").contains(c.metricId())).toList();
        assertEquals(78, evaluation.size());
        Plan expected = Plan.forClaims(RegisteredClaims.cells(evaluation), Plan.CLAIM_STREAMS,
                Plan.CLAIM_CALIBRATION_STREAMS, Plan.ALL_LENGTHS, c -> true, "full");
        assertEquals(expected.rows(v3), Plan.forFamily(v3).rows(v3));
        assertTrue(Plan.forFamily(v3).rows(v3).keySet().stream().noneMatch(r -> r.checkpoint().name()
                .startsWith("copy-")));
        assertEquals(evaluation, ExperimentRunner.claimsOf(Plan.forFamily(v3)));
        // an evaluation claim's sentences are as before the probe's rows existed
        RegisteredClaims.Claim c1 = evaluation.get(0);
        assertEquals("c1 (accuracy): not run (cells softmax-ft/rope/standard and softmax-ft/window/standard at"
                + " n = 4096 are not in the results).", ClaimAnalysis.run(List.of(c1), Map.of(), 10, 1).get(0)
                .sentence());
        assertEquals("softmax-ft/rope/standard - softmax-ft/window/standard at n = 4096", c1.comparison());
    }
}
