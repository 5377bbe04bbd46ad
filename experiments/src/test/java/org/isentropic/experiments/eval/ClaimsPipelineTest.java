package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v3 measurement end to end on a v3-shaped family built from the v1 checkpoints (so that it runs before the v3
 * checkpoints exist): the quick plan writes per-target.csv.gz with one row per target and cell, and the claims are
 * decided from that file; an independent recomputation from the file finds every estimate.
 */
class ClaimsPipelineTest {

    @TempDir
    static Path dir;
    static Family family;
    static Plan plan;
    static List<RegisteredClaims.Claim> claims;

    @BeforeAll
    static void run() {
        family = new Family("v3", List.of(
                new Family.Checkpoint("gau-softmax", "softmax-ft-seed1", Family.CONTROL, 1, Double.NaN),
                new Family.Checkpoint("gau-softmax", "softmax-ft-seed2", Family.CONTROL, 2, Double.NaN),
                new Family.Checkpoint("gau-cosscale", "cos128-seed1", Family.COSSCALE, 1, 128),
                new Family.Checkpoint("gau-cosscale", "cos128-seed2", Family.COSSCALE, 2, 128)), "sotu");
        List<RegisteredClaims.Claim> quick = RegisteredClaims.packaged().stream()
                .filter(c -> Plan.QUICK_CLAIMS.contains(c.id())).toList();
        plan = Plan.forClaims(RegisteredClaims.cells(quick), 3, 1, List.of(64, 256), c -> true, "test");
        claims = ExperimentRunner.claimsOf(plan);
        ExperimentRunner.Setup s = ExperimentRunner.setup(family, plan, null);
        ExperimentRunner.run(s, Seeds.DEFAULT_SEED, 2, () -> AttentionKernels.fused(1), dir, "fused(1)", l -> { }, null);
    }

    @Test
    void perTargetHasOneRowPerTargetCellLengthSeedAndStream() throws Exception {
        Set<CellRef> cells = RegisteredClaims.cells(claims);
        Set<String> seen = new HashSet<>();
        int rows = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(dir.resolve(PerTarget.FILE))), StandardCharsets.UTF_8))) {
            assertEquals(PerTarget.HEADER, in.readLine());
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                assertTrue(seen.add(String.join(",", f[0], f[1], f[2], f[3], f[4], f[5], f[6])), "duplicate " + line);
                assertTrue(f[7].equals("0") || f[7].equals("1"));
                assertTrue(Double.parseDouble(f[8]) >= 0);
                rows++;
            }
        }
        // streams of 256 characters: the band is the whole stream, 32 targets
        assertEquals(cells.size() * 2 * 3 * 2 * (256 / Streams.MASK_EVERY), rows);
    }

    @Test
    void everyClaimIsRecomputedFromTheFileAlone() throws Exception {
        Map<String, double[]> sums = new HashMap<>(); // cell@n -> {hits, loss, count}
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(dir.resolve(PerTarget.FILE))), StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                double[] s = sums.computeIfAbsent(f[0] + "/" + f[5] + "/" + f[6] + "@" + f[4], k -> new double[3]);
                s[0] += Integer.parseInt(f[7]);
                s[1] += Double.parseDouble(f[8]);
                s[2]++;
            }
        }
        List<String> results = Files.readAllLines(dir.resolve(ClaimsReport.CLAIMS));
        assertEquals("id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict", results.get(0));
        assertEquals(claims.size() + 1, results.size());
        for (int i = 0; i < claims.size(); i++) {
            RegisteredClaims.Claim c = claims.get(i);
            double[] a = sums.get(c.a() + "@" + c.n());
            double[] b = sums.get(c.b() + "@" + c.n());
            // equal targets per stream and seed, so the mean of per-stream means is the pooled mean
            double expected = c.metric() == Metric.ACCURACY ? 100 * (a[0] / a[2] - b[0] / b[2]) : a[1] / a[2] - b[1] / b[2];
            String[] f = results.get(i + 1).split(",");
            assertEquals(c.id(), f[0]);
            assertEquals(expected, Double.parseDouble(f[2]), 1e-3, results.get(i + 1));
            double lo = Double.parseDouble(f[3]);
            double hi = Double.parseDouble(f[4]);
            assertTrue(lo <= expected + 1e-9 && expected - 1e-9 <= hi, results.get(i + 1));
            assertTrue(Double.parseDouble(f[5]) <= lo + 1e-9 && hi <= Double.parseDouble(f[6]) + 1e-9,
                    "the adjusted interval holds the unadjusted one: " + results.get(i + 1));
            assertTrue(List.of("holds", "does not hold", "inconclusive").contains(f[7]), f[7]);
        }
        String md = Files.readString(dir.resolve("extrapolation.md"));
        assertTrue(md.contains("## Claims (generated sentences)"));
        assertTrue(md.contains("smoke test, not the claim"));
    }

    @Test
    void thePackagedClaimsParseAndEveryCellIsAPlannableRow() {
        List<RegisteredClaims.Claim> all = RegisteredClaims.packaged();
        assertTrue(all.size() >= 40);
        assertTrue(all.stream().anyMatch(c -> c.metric() == Metric.LOSS));
        Plan full = Plan.forClaims(RegisteredClaims.cells(all), 64, 8, Plan.ALL_LENGTHS, c -> true, "full");
        assertEquals(RegisteredClaims.cells(all).size(), full.entries().size());
        assertFalse(all.stream().anyMatch(c -> c.statement().toLowerCase().contains("best of")));
    }

    @Test
    void badClaimFilesAreRefusedWithTheirLine() {
        String header = RegisteredClaims.HEADER + "\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegisteredClaims.parse(header
                + "x,\"a, b\",accuracy,4096,c/rope/standard,c/rope,0,greater\n", "t.csv"));
        assertTrue(e.getMessage().contains("t.csv line 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegisteredClaims.parse(header
                + "x,s,accuracy,4096,c/rope/standard,c/rope/logn,0,equivalent\n", "t.csv"));
        assertTrue(e.getMessage().contains("margin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegisteredClaims.parse(header
                + "x,s,perplexity,4096,c/rope/standard,c/rope/logn,0,greater\n", "t.csv"));
        assertTrue(e.getMessage().contains("metric"), e.getMessage());
        assertEquals("a, b", RegisteredClaims.parse(header + "x,\"a, b\",loss,64,c/rope/standard,c/rope/logn,0,less\n",
                "t.csv").get(0).statement());
    }
}
