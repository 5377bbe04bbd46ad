package org.isentropic.figures.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;

/**
 * Figure 1's data: the factor of every registered temperature rule over a grid of lengths. Rules are
 * created through the one registry, {@link TemperatureRules#create}; a rule whose domain excludes a length
 * (the derived rule outside its table) gets NaN there.
 *
 * @param lengths the grid, increasing
 * @param rules   the rules, in registry order
 * @param factors {@code factors[r][i]} = factor of rule r at {@code lengths[i]}
 */
public record FactorCurves(int[] lengths, List<TemperatureRule> rules, double[][] factors) {

    /**
     * @param parameters   N, d and the rules' parameters (a derived table makes the derived rule appear)
     * @param minLength    smallest length (>= 1)
     * @param maxLength    largest length (> minLength)
     * @param perOctave    grid points per doubling (>= 1); powers of two times minLength are always included
     */
    public static FactorCurves compute(RuleParameters parameters, int minLength, int maxLength, int perOctave) {
        if (minLength < 1 || maxLength <= minLength) {
            throw new IllegalArgumentException("need 1 <= minLength < maxLength, got " + minLength + ", " + maxLength);
        }
        if (perOctave < 1) {
            throw new IllegalArgumentException("perOctave must be >= 1, got " + perOctave);
        }
        TreeSet<Integer> grid = new TreeSet<>();
        double octaves = Math.log((double) maxLength / minLength) / Math.log(2);
        int steps = (int) Math.ceil(octaves * perOctave);
        for (int k = 0; k <= steps; k++) {
            long n = Math.round(minLength * Math.pow(2, (double) k / perOctave));
            if (n <= maxLength) {
                grid.add((int) n);
            }
        }
        grid.add(maxLength);
        int[] lengths = grid.stream().mapToInt(Integer::intValue).toArray();
        List<TemperatureRule> rules = new ArrayList<>();
        for (String id : TemperatureRules.ids()) {
            if (id.equals("derived") && !parameters.hasDerived()) {
                continue;
            }
            rules.add(TemperatureRules.create(id, parameters));
        }
        double[][] f = new double[rules.size()][lengths.length];
        for (int r = 0; r < rules.size(); r++) {
            for (int i = 0; i < lengths.length; i++) {
                f[r][i] = factorOrNaN(rules.get(r), lengths[i]);
            }
        }
        return new FactorCurves(lengths, List.copyOf(rules), f);
    }

    private static double factorOrNaN(TemperatureRule rule, int n) {
        try {
            return rule.factor(n);
        } catch (IllegalArgumentException outsideDomain) {
            return Double.NaN;
        }
    }

    /** Index of a rule by id, or -1. */
    public int indexOf(String id) {
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r).id().equals(id)) {
                return r;
            }
        }
        return -1;
    }
}
