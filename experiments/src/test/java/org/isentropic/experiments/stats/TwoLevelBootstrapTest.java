package org.isentropic.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.experiments.stats.TwoLevelBootstrap.Design;
import org.isentropic.experiments.stats.TwoLevelBootstrap.Interval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The two-level bootstrap against closed forms, its own p-values, and a coverage simulation. */
class TwoLevelBootstrapTest {

    static final long SEED = Seeds.seed();

    /** Relative standard error of a sample variance of B near-normal draws is about sqrt(2/(B-1)); 4 of them. */
    static double varianceTolerance(int b) {
        return 4 * Math.sqrt(2.0 / (b - 1));
    }

    static double[][] data(int s, int t, long seed, double seedSd, double streamSd, double noiseSd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[t];
        for (int j = 0; j < t; j++) {
            v[j] = streamSd * r.nextGaussian();
        }
        double[][] d = new double[s][t];
        for (int i = 0; i < s; i++) {
            double u = seedSd * r.nextGaussian();
            for (int j = 0; j < t; j++) {
                d[i][j] = 1.0 + u + v[j] + noiseSd * r.nextGaussian();
            }
        }
        return d;
    }

    static double[][] plus(double[][] x, double c) {
        return Arrays.stream(x).map(row -> Arrays.stream(row).map(v -> v + c).toArray()).toArray(double[][]::new);
    }

    static double variance(double[] x) {
        double m = Arrays.stream(x).average().orElseThrow();
        return Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1);
    }

    @Test
    void theEstimateIsThePlainMeanOfThePairedDifferences() {
        double[][] a = {{1, 2, 3}, {4, 5, 9}};
        double[][] b = {{0, 0, 1}, {1, 1, 1}};
        // differences {1, 2, 2}, {3, 4, 8}: mean 20 / 6
        for (Design design : Design.values()) {
            assertEquals(20.0 / 6, TwoLevelBootstrap.paired(a, b, design, 100, SEED).estimate(), 1e-15);
            assertEquals(24.0 / 6, TwoLevelBootstrap.single(a, design, 100, SEED).estimate(), 1e-15);
        }
    }

    @Test
    void aConstantShiftGivesAPointIntervalAtTheShiftWhileOneCellAloneIsWide() {
        double[][] b = data(4, 20, SEED, 2, 10, 5);
        double[][] a = plus(b, 0.75);
        for (Design design : Design.values()) {
            Interval paired = TwoLevelBootstrap.paired(a, b, design, 2000, SEED).interval(0.95);
            assertEquals(0.75, paired.lo(), 1e-12, design.name());
            assertEquals(0.75, paired.hi(), 1e-12, design.name());
            Interval single = TwoLevelBootstrap.single(a, design, 2000, SEED).interval(0.95);
            assertTrue(single.hi() - single.lo() > 2, design + ": one cell varies between streams: " + single);
        }
    }

    @Test
    void theResampleVarianceIsTheRescaledTwoLevelVarianceOfEachDesign() {
        // Closed forms (class comment), with r_i = m_i - g, c_j = n_j - g, q_i the unbiased within-seed variance:
        //   NESTED:  sum r^2 / (S(S-1)) + mean_i(q_i) / (S T)
        //   CROSSED: sum r^2 / (S(S-1)) + sum c^2 / (T(T-1))
        // Data with a strong shared stream effect make the two differ by far more than the tolerance.
        int s = 4;
        int t = 30;
        double[][] d = data(s, t, SEED, 2, 6, 3);
        double g = Arrays.stream(d).flatMapToDouble(Arrays::stream).average().orElseThrow();
        double sumR = 0;
        double meanQ = 0;
        for (double[] row : d) {
            double m = Arrays.stream(row).average().orElseThrow();
            sumR += (m - g) * (m - g);
            meanQ += variance(row) / s;
        }
        double sumC = 0;
        for (int j = 0; j < t; j++) {
            double n = 0;
            for (double[] row : d) {
                n += row[j] / s;
            }
            sumC += (n - g) * (n - g);
        }
        double seedPart = sumR / (s * (s - 1.0));
        double nested = seedPart + meanQ / (s * t);
        double crossed = seedPart + sumC / (t * (t - 1.0));
        int b = 20000;
        double tol = varianceTolerance(b);
        assertTrue(crossed > nested * (1 + 3 * tol), "the shared stream effect must separate the designs: " + nested
                + " vs " + crossed);
        double[] nestedDraws = TwoLevelBootstrap.single(d, Design.NESTED, b, SEED).draws();
        double[] crossedDraws = TwoLevelBootstrap.single(d, Design.CROSSED, b, SEED).draws();
        assertEquals(nested, variance(nestedDraws), tol * nested, "NESTED");
        assertEquals(crossed, variance(crossedDraws), tol * crossed, "CROSSED");
        double se = Math.sqrt(crossed / b);
        assertEquals(g, Arrays.stream(crossedDraws).average().orElseThrow(), 4 * se, "resamples centre on the mean");
    }

    @Test
    void oneSeedIsAStreamBootstrapWithTheUnbiasedStreamVariance() {
        // S = 1: no seed level; Var* = q / T for both designs (q the unbiased variance of the T values).
        double[][] d = data(1, 40, SEED, 0, 5, 5);
        double expected = variance(d[0]) / 40;
        int b = 20000;
        for (Design design : Design.values()) {
            TwoLevelBootstrap boot = TwoLevelBootstrap.single(d, design, b, SEED);
            assertEquals(1, boot.seeds());
            assertEquals(expected, variance(boot.draws()), varianceTolerance(b) * expected, design.name());
        }
    }

    @Test
    void oneStreamIsASeedBootstrapWithTheUnbiasedSeedVariance() {
        double[][] d = {{1.0}, {4.0}, {2.5}, {7.0}, {3.0}};
        double expected = variance(Arrays.stream(d).mapToDouble(row -> row[0]).toArray()) / 5;
        int b = 20000;
        for (Design design : Design.values()) {
            assertEquals(expected, variance(TwoLevelBootstrap.single(d, design, b, SEED).draws()),
                    varianceTolerance(b) * expected, design.name());
        }
    }

    @Test
    void theSameSeedDrawsTheSameResamplesAndAnotherSeedOthers() {
        double[][] a = data(3, 10, SEED, 1, 3, 3);
        double[][] b = data(3, 10, SEED + 1, 1, 3, 3);
        for (Design design : Design.values()) {
            assertArrayEquals(TwoLevelBootstrap.paired(a, b, design, 500, 7).draws(),
                    TwoLevelBootstrap.paired(a, b, design, 500, 7).draws());
            assertFalse(Arrays.equals(TwoLevelBootstrap.paired(a, b, design, 500, 7).draws(),
                    TwoLevelBootstrap.paired(a, b, design, 500, 8).draws()));
        }
    }

    @Test
    void intervalsAtHigherLevelsComeFromTheSameDrawsAndContainTheLowerOnes() {
        TwoLevelBootstrap boot = TwoLevelBootstrap.single(data(5, 64, SEED, 1.5, 6, 8), Design.CROSSED,
                TwoLevelBootstrap.DEFAULT_RESAMPLES, SEED);
        double[] sorted = boot.draws();
        Interval previous = boot.interval(0.5);
        for (double level : new double[] {0.8, 0.95, 0.975, 0.99, 0.99875}) {
            Interval i = boot.interval(level);
            assertEquals(Bootstrap.quantileSorted(sorted, (1 - level) / 2), i.lo(), 0);
            assertEquals(Bootstrap.quantileSorted(sorted, (1 + level) / 2), i.hi(), 0);
            assertTrue(i.lo() <= previous.lo() && i.hi() >= previous.hi(), level + ": " + i + " vs " + previous);
            assertEquals(boot.estimate(), i.estimate(), 0);
            previous = i;
        }
    }

    @Test
    void pValuesInvertTheIntervalsForEveryDirection() {
        // p < alpha exactly when the (1 - alpha) interval lies inside the claim, up to the 1/B resolution of the
        // percentile (type-7 interpolation moves an endpoint by at most one order statistic): 5/(B-1) of slack.
        int b = 4000;
        TwoLevelBootstrap boot = TwoLevelBootstrap.single(data(5, 40, SEED, 1, 2, 4), Design.CROSSED, b, SEED);
        double slack = 5.0 / (b - 1);
        Object[][] claims = {{Direction.GREATER, -0.5}, {Direction.GREATER, 0.0}, {Direction.GREATER, 0.8},
            {Direction.GREATER, 1.3}, {Direction.LESS, -1.0}, {Direction.LESS, -1.4}, {Direction.LESS, 0.0},
            {Direction.EQUIVALENT, 1.2}, {Direction.EQUIVALENT, 2.0}, {Direction.EQUIVALENT, 3.0}};
        List<Executable> checks = new ArrayList<>();
        int decided = 0;
        for (Object[] c : claims) {
            Direction direction = (Direction) c[0];
            double margin = (double) c[1];
            double p = boot.pValue(direction, margin);
            for (int k = 1; k < 200; k++) {
                double alpha = k / 200.0;
                if (Math.abs(alpha - p) < slack) {
                    continue;
                }
                decided++;
                Interval i = boot.interval(1 - alpha);
                boolean holds = Verdict.decide(direction, margin, i.lo(), i.hi()) == Verdict.Outcome.HOLDS;
                checks.add(() -> assertEquals(p < alpha, holds, direction + " " + margin + ": p = " + p
                        + ", alpha = " + alpha + ", interval " + i));
            }
        }
        assertAll(checks);
        assertTrue(decided > 1500, "most (claim, alpha) pairs are away from the boundary: " + decided);
    }

    @Test
    void pValuesRunFromTwoOverBPlusOneToOne() {
        double[][] d = {{5.0, 5.2, 4.9}, {5.1, 4.8, 5.0}};
        TwoLevelBootstrap boot = TwoLevelBootstrap.single(d, Design.NESTED, 999, SEED);
        assertEquals(2.0 / 1000, boot.pValue(Direction.GREATER, 0), 1e-15, "every draw is above 0");
        assertEquals(1.0, boot.pValue(Direction.LESS, 0), 0, "no draw is below 0");
        assertEquals(2.0 / 1000, boot.pValue(Direction.EQUIVALENT, 10), 1e-15, "every draw is inside (-10, 10)");
        assertEquals(1.0, boot.pValue(Direction.EQUIVALENT, 1), 0, "every draw is above 1");
    }

    @Test
    void badInputIsRefusedNamingIt() {
        double[][] ok = {{1, 2}, {3, 4}};
        assertMessage("a[1][0] must be finite", () -> TwoLevelBootstrap.paired(new double[][] {{1, 2}, {Double.NaN, 4}},
                ok, Design.CROSSED, 100, 1));
        assertMessage("b must have 2 streams in every seed", () -> TwoLevelBootstrap.paired(ok,
                new double[][] {{1, 2}, {3}}, Design.CROSSED, 100, 1));
        assertMessage("same [seed][stream] shape", () -> TwoLevelBootstrap.paired(ok, new double[][] {{1, 2}},
                Design.CROSSED, 100, 1));
        assertMessage("at least 2 seeds or 2 streams", () -> TwoLevelBootstrap.single(new double[][] {{1}},
                Design.NESTED, 100, 1));
        assertMessage("at least one seed", () -> TwoLevelBootstrap.single(new double[0][], Design.NESTED, 100, 1));
        assertMessage("design must not be null", () -> TwoLevelBootstrap.single(ok, null, 100, 1));
        assertMessage("resamples must be >= 2, got 1", () -> TwoLevelBootstrap.single(ok, Design.NESTED, 1, 1));
        TwoLevelBootstrap boot = TwoLevelBootstrap.single(ok, Design.NESTED, 100, 1);
        assertMessage("level must be in (0, 1), got 1.0", () -> boot.interval(1.0));
        assertMessage("margin must be finite and > 0 for direction equivalent, got 0.0",
                () -> boot.pValue(Direction.EQUIVALENT, 0));
        assertMessage("margin must be finite for direction greater, got NaN",
                () -> boot.pValue(Direction.GREATER, Double.NaN));
    }

    static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Coverage by simulation.
    //
    // Model of a paired difference, per-stream means in percentage points (issue 23):
    //   b_ij = 40 + 12 z_j + 2 z_i + 4 z_ij        (the control cell: stream difficulty, seed level, noise)
    //   a_ij = b_ij + DELTA + SEED_SD u_i + STREAM_SD v + NOISE_SD w_ij
    // v = v_j shared by every seed (crossed: the same text under every seed, our design) or v_ij drawn per seed
    // (nested). Per-stream SD of the difference sqrt(6^2 + 8^2) = 10 points; T = 64; seed SD 1, 1.5, 2.
    // The band 93-97 % is asserted where the class claims it — S = 5, seed SD 1.5 (the middle of the 1-2):
    // CROSSED on both designs, NESTED on nested data — and NESTED on crossed data is asserted to fall short (the
    // simulation can see under-coverage). The other settings are printed and quoted in the class comment.
    // 2000 replications: Monte-Carlo SE of a coverage near 95 % is 0.5 %, so the band is 4 SE either side and a
    // correct method cannot flake under any seed. 500 resamples per interval (the percentile's own Monte-Carlo
    // error moves coverage by about 0.1 %).
    // ---------------------------------------------------------------------------------------------------------

    static final double DELTA = 3.0;
    static final double STREAM_SD = 6.0;
    static final double NOISE_SD = 8.0;
    static final int STREAMS = 64;
    static final int REPLICATIONS = 2000;
    static final int SIM_RESAMPLES = 500;
    /** Replications on which the plain two-level bootstrap is also run, for the width comparison. */
    static final int WIDTH_REPLICATIONS = 300;

    /**
     * Coverage of the two schemes and of the plain two-level bootstrap, and the mean widths of the two schemes
     * relative to the plain one's (over the first {@link #WIDTH_REPLICATIONS} replications).
     */
    record Coverage(double nested, double crossed, double plain, double nestedWidth, double crossedWidth) {
    }

    static Coverage simulate(int seeds, double seedSd, boolean crossedData, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int nestedHits = 0;
        int crossedHits = 0;
        int plainHits = 0;
        double nestedWidth = 0;
        double crossedWidth = 0;
        double plainWidth = 0;
        double[][] a = new double[seeds][STREAMS];
        double[][] b = new double[seeds][STREAMS];
        double[] difficulty = new double[STREAMS];
        double[] shared = new double[STREAMS];
        for (int rep = 0; rep < REPLICATIONS; rep++) {
            for (int j = 0; j < STREAMS; j++) {
                difficulty[j] = 12 * r.nextGaussian();
                shared[j] = STREAM_SD * r.nextGaussian();
            }
            for (int i = 0; i < seeds; i++) {
                double level = 2 * r.nextGaussian();
                double u = seedSd * r.nextGaussian();
                for (int j = 0; j < STREAMS; j++) {
                    b[i][j] = 40 + difficulty[j] + level + 4 * r.nextGaussian();
                    double v = crossedData ? shared[j] : STREAM_SD * r.nextGaussian();
                    a[i][j] = b[i][j] + DELTA + u + v + NOISE_SD * r.nextGaussian();
                }
            }
            long bootSeed = r.nextLong();
            Interval n = TwoLevelBootstrap.paired(a, b, Design.NESTED, SIM_RESAMPLES, bootSeed).interval(0.95);
            Interval c = TwoLevelBootstrap.paired(a, b, Design.CROSSED, SIM_RESAMPLES, bootSeed).interval(0.95);
            nestedHits += n.lo() <= DELTA && DELTA <= n.hi() ? 1 : 0;
            crossedHits += c.lo() <= DELTA && DELTA <= c.hi() ? 1 : 0;
            if (rep < WIDTH_REPLICATIONS) {
                double[] p = plainTwoLevel(a, b, SIM_RESAMPLES, bootSeed);
                plainHits += p[0] <= DELTA && DELTA <= p[1] ? 1 : 0;
                plainWidth += p[1] - p[0];
                nestedWidth += n.hi() - n.lo();
                crossedWidth += c.hi() - c.lo();
            }
        }
        return new Coverage(nestedHits / (double) REPLICATIONS, crossedHits / (double) REPLICATIONS,
                plainHits / (double) WIDTH_REPLICATIONS, nestedWidth / plainWidth, crossedWidth / plainWidth);
    }

    /**
     * The plain two-level bootstrap written out independently (no rescaling): S seeds with replacement, T streams
     * with replacement per drawn seed, the mean of a - b over the drawn pairs; 95 % percentile interval.
     */
    static double[] plainTwoLevel(double[][] a, double[][] b, int resamples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int s = a.length;
        int t = a[0].length;
        double[] stats = new double[resamples];
        for (int k = 0; k < resamples; k++) {
            double sum = 0;
            for (int i = 0; i < s; i++) {
                int seedIndex = r.nextInt(s);
                for (int j = 0; j < t; j++) {
                    int stream = r.nextInt(t);
                    sum += a[seedIndex][stream] - b[seedIndex][stream];
                }
            }
            stats[k] = sum / (s * t);
        }
        Arrays.sort(stats);
        return new double[] {Bootstrap.quantileSorted(stats, 0.025), Bootstrap.quantileSorted(stats, 0.975)};
    }

    @Test
    void theNinetyFivePercentIntervalCoversTheTrueDifferenceWhereTheClassClaimsIt() {
        long seed = Seeds.derive(SEED, "TwoLevelBootstrapTest.coverage");
        List<Executable> claims = new ArrayList<>();
        System.out.printf(Locale.ROOT, "two-level bootstrap coverage of 95 %% intervals, %d replications, seed %d"
                + " (plain two-level: first %d replications; widths relative to it)%n", REPLICATIONS, seed,
                WIDTH_REPLICATIONS);
        int setting = 0;
        for (int s : new int[] {5, 3}) {
            for (double seedSd : s == 5 ? new double[] {1.0, 1.5, 2.0} : new double[] {1.5}) {
                for (boolean crossedData : new boolean[] {false, true}) {
                    Coverage c = simulate(s, seedSd, crossedData, Seeds.derive(seed, setting++));
                    String name = String.format(Locale.ROOT, "S = %d, seed SD %.1f, %s data", s, seedSd,
                            crossedData ? "crossed" : "nested");
                    System.out.printf(Locale.ROOT, "  %-32s NESTED %.3f (width x%.2f)  CROSSED %.3f (width x%.2f)"
                            + "  plain %.3f%n", name, c.nested(), c.nestedWidth(), c.crossed(), c.crossedWidth(),
                            c.plain());
                    if (s == 5 && seedSd == 1.5) {
                        claims.add(() -> assertBand(name + ", CROSSED", c.crossed()));
                        if (crossedData) {
                            claims.add(() -> assertTrue(c.nested() < 0.93, name + ", NESTED should under-cover: "
                                    + c.nested()));
                        } else {
                            claims.add(() -> assertBand(name + ", NESTED", c.nested()));
                        }
                    }
                }
            }
        }
        assertAll(claims);
    }

    static void assertBand(String name, double coverage) {
        assertTrue(coverage >= 0.93 && coverage <= 0.97, name + ": coverage " + coverage + " outside [0.93, 0.97]"
                + " (rerun with -D" + Seeds.PROPERTY + "=" + SEED + ")");
    }
}
