package org.isentropic.experiments.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment across a pre-registered family of m comparisons (Holm 1979, "A simple sequentially
 * rejective multiple test procedure", Scand. J. Statist. 6), and the per-comparison confidence levels of the
 * adjusted intervals.
 *
 * <p>Order the p-values ascending, {@code p(1) <= ... <= p(m)}. The adjusted p-value of rank k is
 * <pre>  p~(k) = min(1, max_{j ≤ k} (m − j + 1) p(j)),</pre>
 * monotone in k and capped at 1; the family-wise error rate is at most α when comparison k is declared at
 * {@code p~(k) <= α}. The adjusted interval of the comparison of rank k is its interval at level
 * <pre>  1 − α / (m − k + 1),</pre>
 * the level at which Holm's step k tests it (Bonferroni's 1 − α/m for the smallest p, the unadjusted 1 − α for the
 * largest).
 *
 * <p>Ties: tied p-values get the same adjusted p-value (the formula guarantees it) and, so that the result does not
 * depend on the input order, the same level — the strictest of their ranks, {@code 1 − α/(m − k_first + 1)}.
 */
public final class Holm {

    private Holm() {
    }

    /**
     * Holm-adjusted p-values, in the order of {@code p}.
     *
     * @param p the family's p-values, each in [0, 1]; an empty family gives an empty result
     * @throws IllegalArgumentException naming the first p-value outside [0, 1] (NaN included)
     */
    public static double[] adjust(double[] p) {
        Integer[] order = ascending(p);
        int m = p.length;
        double[] adjusted = new double[m];
        double running = 0;
        for (int k = 1; k <= m; k++) {
            int i = order[k - 1];
            running = Math.max(running, Math.min(1.0, (m - k + 1) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * The confidence level of each comparison's Holm-adjusted interval, in the order of {@code p}: rank k (by
     * ascending p, ties sharing their first rank) gets {@code 1 − alpha/(m − k + 1)}.
     *
     * @param p the family's p-values, each in [0, 1]
     * @param alpha the family-wise error rate, in (0, 1); 0.05 for 95 % intervals
     * @throws IllegalArgumentException naming a p-value outside [0, 1] or alpha outside (0, 1)
     */
    public static double[] levels(double[] p, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        Integer[] order = ascending(p);
        int m = p.length;
        double[] level = new double[m];
        int tieRank = 1;
        for (int k = 1; k <= m; k++) {
            int i = order[k - 1];
            if (k == 1 || p[i] != p[order[k - 2]]) {
                tieRank = k;
            }
            level[i] = 1 - alpha / (m - tieRank + 1);
        }
        return level;
    }

    /** Indices of p by ascending value, ties in input order; validates p. */
    private static Integer[] ascending(double[] p) {
        if (p == null) {
            throw new IllegalArgumentException("p-values must not be null");
        }
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("p-values must be in [0, 1], got p[" + i + "] = " + p[i]);
            }
        }
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
