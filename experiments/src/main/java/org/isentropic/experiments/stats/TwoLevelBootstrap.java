package org.isentropic.experiments.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The two-level paired bootstrap of the experiment (issue 23, item 4): seeds, then test streams, so that intervals
 * carry both seed-to-seed and text-to-text variation.
 *
 * <h2>Data and estimate</h2>
 * For one comparison "cell A minus cell B" on one metric, {@code a[i][j]} and {@code b[i][j]} are the per-stream
 * means of seed i (0 ≤ i &lt; S) on stream j (0 ≤ j &lt; T); seed i of A is paired with seed i of B (the same
 * checkpoint or the same seed's fine-tune) and stream j with stream j (the same text). Everything is computed on
 * the paired differences {@code d[i][j] = a[i][j] − b[i][j]}; {@link #single} does the same on one cell. The
 * estimate is the plain mean {@code ḡ = (1/ST) Σ_ij d_ij} (seeds and streams weighted equally). Write
 * {@code m_i = (1/T) Σ_j d_ij} (seed means), {@code n_j = (1/S) Σ_i d_ij} (stream means),
 * {@code r_i = m_i − ḡ}, {@code c_j = n_j − ḡ}.
 *
 * <h2>Resampling, two designs</h2>
 * A resample draws S seeds with replacement, {@code i_1..i_S}, and streams with replacement; its statistic is the
 * mean over the drawn (seed, stream) pairs. Which streams go with which drawn seed depends on the design:
 * <ul>
 *   <li>{@link Design#NESTED}: for each drawn seed, T streams drawn afresh (independently per drawn seed). Right when
 *       stream j of one seed has nothing to do with stream j of another (streams sampled within each seed).
 *       Statistic {@code (1/ST) Σ_k Σ_l x[i_k][j_kl]} on the rescaled values
 *       <pre>  x_ij = ḡ + λ_S r_i + λ_T (d_ij − m_i),   λ_S = √(S/(S−1)),  λ_T = √(T/(T−1)).</pre></li>
 *   <li>{@link Design#CROSSED}: one draw of T streams {@code j_1..j_T}, shared by every drawn seed, because stream j
 *       is the same text under every seed (the experiment's design). Statistic: the drawn grid's mean of the
 *       additive (seed + stream) fit, rescaled,
 *       <pre>  ḡ + λ_S (1/S) Σ_k r[i_k] + λ_T (1/T) Σ_l c[j_l].</pre></li>
 * </ul>
 *
 * <h2>Why the rescaling, and why the crossed design needs its own scheme</h2>
 * Model the differences as {@code d_ij = Δ + u_i + v_j + w_ij} (seed effect, variance σ_u²; stream effect,
 * σ_v²; seed-by-stream noise, σ_w²); in the nested design v is drawn per seed and merges into w. The estimate's
 * variance is {@code Var ḡ = σ_u²/S + σ_v²/T + σ_w²/(ST)}. Resampling S values with replacement gives the plug-in
 * variance, short by the factor (S − 1)/S — 20 % at S = 5, 33 % at S = 3, and then a percentile interval from
 * normal-like tails under-covers. The rescaling multiplies each level's deviations by the square root of the
 * inverse factor, so each level's resampled mean has the unbiased sample variance (Davison and Hinkley 1997,
 * Bootstrap Methods, §3.8, the adjusted two-stage bootstrap). The expected variance of a resample is then
 * <pre>  NESTED on nested data:   (σ_u² + σ_w²/T)/S + σ_w²/(ST)                = Var ḡ + σ_w²/(ST)
 *  NESTED on crossed data:  (σ_u² + σ_w²/T)/S + (σ_v² + σ_w²)/(ST)        = Var ḡ + σ_w²/(ST) − (1 − 1/S) σ_v²/T
 *  CROSSED on either:       (σ_u² + σ_w²/T)/S + (σ_v² + σ_w²/S)/T          = Var ḡ + σ_w²/(ST)</pre>
 * Both count the noise twice — seed means carry σ_w²/T, and the streams (resampled within seeds, or as stream
 * means) carry it again — which makes the intervals conservative by σ_w²/(ST) in expected variance; with 3–5
 * seeds that excess roughly offsets the light tails of a percentile over so few seeds (measured below). It is not
 * subtracted: the unbiased variants (shrinking the seed deviations by the within-seed noise, with or without a
 * Satterthwaite t widening) covered only 90–93 % at S = 5 in a prototype of the same simulation.
 * On crossed data the NESTED scheme sees the shared stream effect only as σ_v²/(ST) instead of σ_v²/T
 * (independent stream draws per seed average it away), so it under-covers whenever the stream-by-method
 * interaction is consistent across seeds; CROSSED keeps it, and on nested data (σ_v = 0) the two agree.
 * Use CROSSED for the experiment.
 *
 * <h2>Coverage (TwoLevelBootstrapTest, seeded simulation)</h2>
 * Δ = 3 points, T = 64, per-stream SD of the difference 10 points (σ_v = 6, σ_w = 8; nested data: v drawn per
 * seed), 95 % intervals, 2000 replications of 500 resamples at the default seed (Monte-Carlo SE ≈ 0.5 %); "plain"
 * is an independently written two-level bootstrap without rescaling (300 replications, SE ≈ 1.3 %), and the
 * widths are relative to its:
 * <pre>
 *                                  S = 5:  σ_u = 1        σ_u = 1.5      σ_u = 2      S = 3: σ_u = 1.5
 *  nested data,  NESTED                  97.5 % ×1.07   95.1 % ×1.08   93.6 % ×1.09      92.2 % ×1.13
 *  nested data,  CROSSED                 97.3 % ×1.06   95.0 % ×1.07   93.8 % ×1.09      92.4 % ×1.13
 *  nested data,  plain                   94.7 %         91.7 %         92.3 %            92.0 %
 *  crossed data, CROSSED                 95.9 % ×1.37   94.5 % ×1.33   94.2 % ×1.29      94.4 % ×1.28
 *  crossed data, NESTED                  88.6 % ×1.06   87.4 % ×1.07   87.9 % ×1.08      90.9 % ×1.12
 *  crossed data, plain                   88.0 %         87.3 %         83.3 %            89.3 %
 * </pre>
 * So the claim, asserted by the test at S = 5 and σ_u = 1.5: 93–97 % for CROSSED on both designs and for NESTED
 * on nested data; NESTED on crossed data under-covers (87–89 %), like the plain scheme. At the edges: σ_u = 2 gives
 * 93.6–94.2 %, σ_u = 1 over-covers on nested data (97.3–97.5 %: the double-counted noise dominates when the seed
 * term is small; with σ_u → 0 about 98.5 % at widths ×1.05), and S = 3 gives 92–94 %. When the seed term
 * dominates (σ_u = 5 here) no percentile interval over 3–5 seeds reaches 95 % (88–90 % at S = 5, 84–85 % at
 * S = 3, in a prototype of this simulation): the seed level then has S − 1 degrees of freedom, and a t interval
 * over seed means would be t_{S−1}/z = 1.4× (S = 5) to 2.2× (S = 3) wider. On crossed data CROSSED is about 1.3×
 * as wide as the plain two-level bootstrap — what the plain scheme leaves out, not an inflation: the plain
 * intervals cover 83–89 % there.
 *
 * <h2>Single seed, intervals and p-values</h2>
 * With S = 1 there is no seed level (r = 0): the interval is a stream bootstrap only and says nothing about
 * seed-to-seed variation. With T = 1 it is a seed bootstrap only. S = T = 1 is refused.
 * All intervals and p-values of one instance come from the same sorted resamples, so the Holm-adjusted intervals
 * ({@link #interval} at {@link Holm#levels}) and the p-values ({@link #pValue}) are mutually consistent: p &lt; α
 * exactly when the (1 − α) interval satisfies the claim ({@link Verdict#decide}), up to the 1/B resolution.
 *
 * <h2>Resamples, seeding, cost</h2>
 * {@link #DEFAULT_RESAMPLES} = 20000 rather than 2000: a Holm family of m comparisons puts α/(2m) in each tail of
 * its strictest interval — with m = 40 that is 12 resamples beyond the quantile at B = 20000 and 1 at B = 2000 —
 * and the smallest p-value, 2/(B + 1), must survive the factor m. A resample costs S·T random draws (NESTED) or
 * S + T (CROSSED): at S = 5, T = 150 about 15 M resp. 3 M draws per comparison, tens of milliseconds. The draws
 * come from one {@link SplittableRandom} seeded with {@code seed}; the same data, design, resamples and seed give
 * the same resamples, and the same (S, T, design, resamples, seed) give the same indices for any data, so two
 * comparisons of the same shape and seed are paired resample by resample.
 */
public final class TwoLevelBootstrap {

    /** The number of resamples the experiment uses (see the class comment for why 20000). */
    public static final int DEFAULT_RESAMPLES = 20_000;

    /** How streams relate across seeds, which fixes the resampling scheme (class comment). */
    public enum Design {
        /** Streams drawn independently per drawn seed: stream j of one seed unrelated to stream j of another. */
        NESTED,
        /** One stream draw shared by all drawn seeds: stream j is the same text under every seed. */
        CROSSED
    }

    /**
     * A percentile interval.
     *
     * @param estimate the plain mean ḡ
     * @param lo the (1 − level)/2 quantile of the resamples
     * @param hi the (1 + level)/2 quantile of the resamples
     * @param level the two-sided confidence level, in (0, 1)
     */
    public record Interval(double estimate, double lo, double hi, double level) {
    }

    private final Design design;
    private final int seeds;
    private final int streams;
    private final double estimate;
    /** The resampled statistics, ascending; length B. */
    private final double[] sorted;

    private TwoLevelBootstrap(Design design, int seeds, int streams, double estimate, double[] sorted) {
        this.design = design;
        this.seeds = seeds;
        this.streams = streams;
        this.estimate = estimate;
        this.sorted = sorted;
    }

    /**
     * The paired bootstrap of A − B.
     *
     * @param a cell A, {@code a[seed][stream]}: S ≥ 1 rows of the same length T ≥ 1, S·T ≥ 2, finite values
     * @param b cell B, the same shape, paired seed by seed and stream by stream
     * @param design how streams relate across seeds ({@link Design#CROSSED} for the experiment)
     * @param resamples B ≥ 2
     * @param seed seed of the resampling
     * @throws IllegalArgumentException naming the argument: null, ragged or mismatched shapes, S·T &lt; 2, a
     *         non-finite value (with its indices), a null design, or resamples &lt; 2
     */
    public static TwoLevelBootstrap paired(double[][] a, double[][] b, Design design, int resamples, long seed) {
        int[] shape = shape("a", a);
        int[] shapeB = shape("b", b);
        if (shape[0] != shapeB[0] || shape[1] != shapeB[1]) {
            throw new IllegalArgumentException("a and b must have the same [seed][stream] shape, got " + shape[0]
                    + "x" + shape[1] + " and " + shapeB[0] + "x" + shapeB[1]);
        }
        double[][] d = new double[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                d[i][j] = a[i][j] - b[i][j];
            }
        }
        return of(d, design, resamples, seed);
    }

    /** {@link #paired(double[][], double[][], Design, int, long)} with {@link #DEFAULT_RESAMPLES}. */
    public static TwoLevelBootstrap paired(double[][] a, double[][] b, Design design, long seed) {
        return paired(a, b, design, DEFAULT_RESAMPLES, seed);
    }

    /**
     * The bootstrap of one cell's mean (for its interval, e.g. a curve's band).
     *
     * @param a the cell, {@code a[seed][stream]}, as in {@link #paired}
     */
    public static TwoLevelBootstrap single(double[][] a, Design design, int resamples, long seed) {
        int[] shape = shape("a", a);
        double[][] d = new double[shape[0]][];
        for (int i = 0; i < shape[0]; i++) {
            d[i] = a[i].clone();
        }
        return of(d, design, resamples, seed);
    }

    /** {@link #single(double[][], Design, int, long)} with {@link #DEFAULT_RESAMPLES}. */
    public static TwoLevelBootstrap single(double[][] a, Design design, long seed) {
        return single(a, design, DEFAULT_RESAMPLES, seed);
    }

    private static TwoLevelBootstrap of(double[][] d, Design design, int resamples, long seed) {
        if (design == null) {
            throw new IllegalArgumentException("design must not be null");
        }
        if (resamples < 2) {
            throw new IllegalArgumentException("resamples must be >= 2, got " + resamples);
        }
        int s = d.length;
        int t = d[0].length;
        double[] seedMean = new double[s]; // m_i
        double[] streamMean = new double[t]; // n_j
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < t; j++) {
                seedMean[i] += d[i][j];
                streamMean[j] += d[i][j];
            }
        }
        double grand = 0;
        for (int i = 0; i < s; i++) {
            seedMean[i] /= t;
            grand += seedMean[i];
        }
        grand /= s;
        double lambdaSeeds = s > 1 ? Math.sqrt(s / (s - 1.0)) : 0; // r_i = 0 when S = 1
        double lambdaStreams = t > 1 ? Math.sqrt(t / (t - 1.0)) : 0; // d_ij - m_i = c_j = 0 when T = 1
        SplittableRandom rng = new SplittableRandom(seed);
        double[] draws = new double[resamples];
        if (design == Design.NESTED) {
            double[][] x = new double[s][t]; // x[i][j] = ḡ + λ_S r_i + λ_T (d_ij − m_i)
            for (int i = 0; i < s; i++) {
                double seedPart = grand + lambdaSeeds * (seedMean[i] - grand);
                for (int j = 0; j < t; j++) {
                    x[i][j] = seedPart + lambdaStreams * (d[i][j] - seedMean[i]);
                }
            }
            for (int b = 0; b < resamples; b++) {
                double sum = 0;
                for (int k = 0; k < s; k++) {
                    double[] drawnSeed = x[rng.nextInt(s)];
                    for (int l = 0; l < t; l++) {
                        sum += drawnSeed[rng.nextInt(t)];
                    }
                }
                draws[b] = sum / ((double) s * t);
            }
        } else {
            double[] r = new double[s]; // r_i = m_i − ḡ
            for (int i = 0; i < s; i++) {
                r[i] = seedMean[i] - grand;
            }
            double[] c = new double[t]; // c_j = n_j − ḡ
            for (int j = 0; j < t; j++) {
                c[j] = streamMean[j] / s - grand;
            }
            for (int b = 0; b < resamples; b++) {
                double seedSum = 0;
                for (int k = 0; k < s; k++) {
                    seedSum += r[rng.nextInt(s)];
                }
                double streamSum = 0;
                for (int l = 0; l < t; l++) {
                    streamSum += c[rng.nextInt(t)];
                }
                draws[b] = grand + lambdaSeeds * seedSum / s + lambdaStreams * streamSum / t;
            }
        }
        Arrays.sort(draws);
        return new TwoLevelBootstrap(design, s, t, grand, draws);
    }

    /** Validates {@code x[seed][stream]} and returns {S, T}. */
    private static int[] shape(String name, double[][] x) {
        if (x == null || x.length == 0 || x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException(name + " must have at least one seed and one stream, got "
                    + (x == null ? "null" : x.length == 0 ? "no seeds" : "no streams in seed 0"));
        }
        int t = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != t) {
                throw new IllegalArgumentException(name + " must have " + t + " streams in every seed, got "
                        + (x[i] == null ? "null" : x[i].length) + " in seed " + i);
            }
            for (int j = 0; j < t; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] must be finite, got " + x[i][j]);
                }
            }
        }
        if (x.length * (long) t < 2) {
            throw new IllegalArgumentException(name + " must have at least 2 seeds or 2 streams to resample, got 1x1");
        }
        return new int[] {x.length, t};
    }

    /** The plain mean of the differences (of the cell, for {@link #single}) over all seeds and streams. */
    public double estimate() {
        return estimate;
    }

    /**
     * The percentile interval at {@code level}: the (1 − level)/2 and (1 + level)/2 quantiles of the resamples
     * (type-7 interpolation, {@link Bootstrap#quantileSorted}).
     *
     * @param level two-sided confidence level in (0, 1), e.g. 0.95 or a {@link Holm#levels} entry
     */
    public Interval interval(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        return new Interval(estimate, Bootstrap.quantileSorted(sorted, (1 - level) / 2),
                Bootstrap.quantileSorted(sorted, (1 + level) / 2), level);
    }

    /**
     * The p-value of a claim, from the same resamples: twice the Monte-Carlo tail on the wrong side of the margin,
     * so that p &lt; α exactly when the two-sided (1 − α) interval lies inside the claim (up to 1/B):
     * <pre>  GREATER:    p = 2 (k + 1)/(B + 1),  k = #{draws ≤ m}
     *  LESS:       p = 2 (k + 1)/(B + 1),  k = #{draws ≥ −m}
     *  EQUIVALENT: p = 2 (k + 1)/(B + 1),  k = max(#{draws ≤ −m}, #{draws ≥ m})   (TOST)</pre>
     * capped at 1. The +1 keeps a Monte-Carlo p-value above 0 (Davison and Hinkley 1997, §4.2): the smallest is
     * 2/(B + 1).
     *
     * @param margin valid for the direction ({@link Direction#requireMargin})
     */
    public double pValue(Direction direction, double margin) {
        if (direction == null) {
            throw new IllegalArgumentException("direction must not be null");
        }
        direction.requireMargin(margin);
        long k = switch (direction) {
            case GREATER -> atMost(margin);
            case LESS -> atLeast(-margin);
            case EQUIVALENT -> Math.max(atMost(-margin), atLeast(margin));
        };
        return Math.min(1.0, 2.0 * (k + 1) / (sorted.length + 1.0));
    }

    /** The number of resamples ≤ x. */
    private int atMost(double x) {
        int lo = 0;
        int hi = sorted.length; // invariant: sorted[< lo] <= x, sorted[>= hi] > x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number of resamples ≥ x. */
    private int atLeast(double x) {
        int lo = 0;
        int hi = sorted.length; // invariant: sorted[< lo] < x, sorted[>= hi] >= x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    /** The design the resamples were drawn under. */
    public Design design() {
        return design;
    }

    /** S, the number of seeds. */
    public int seeds() {
        return seeds;
    }

    /** T, the number of streams per seed. */
    public int streams() {
        return streams;
    }

    /** B, the number of resamples. */
    public int resamples() {
        return sorted.length;
    }

    /** The resampled statistics, ascending (a copy). */
    public double[] draws() {
        return sorted.clone();
    }
}
