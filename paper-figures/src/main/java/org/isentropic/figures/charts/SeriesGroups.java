package org.isentropic.figures.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups series whose values are identical (to a relative 1e-12), so that a chart draws them once with a
 * combined legend entry ("logn = ssmax") instead of hiding one line under another.
 */
public final class SeriesGroups {

    /** Relative tolerance under which two values count as the same point. */
    public static final double SAME = 1e-12;

    private SeriesGroups() {
    }

    /** Indices of identical rows, each group in first-appearance order. NaN equals NaN. */
    public static List<int[]> identical(double[][] rows) {
        List<int[]> groups = new ArrayList<>();
        boolean[] used = new boolean[rows.length];
        for (int a = 0; a < rows.length; a++) {
            if (used[a]) {
                continue;
            }
            List<Integer> g = new ArrayList<>(List.of(a));
            for (int b = a + 1; b < rows.length; b++) {
                if (!used[b] && same(rows[a], rows[b])) {
                    g.add(b);
                    used[b] = true;
                }
            }
            groups.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return groups;
    }

    /** The names of a group joined by " = ". */
    public static String label(int[] group, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i : group) {
            sb.append(sb.length() == 0 ? "" : " = ").append(names.get(i));
        }
        return sb.toString();
    }

    static boolean same(double[] x, double[] y) {
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            boolean bothNaN = Double.isNaN(x[i]) && Double.isNaN(y[i]);
            if (!bothNaN && !(Math.abs(x[i] - y[i]) <= SAME * Math.max(1.0, Math.abs(y[i])))) {
                return false;
            }
        }
        return true;
    }
}
