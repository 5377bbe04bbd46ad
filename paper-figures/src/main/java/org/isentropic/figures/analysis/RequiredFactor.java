package org.isentropic.figures.analysis;

import java.util.List;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.solvers.Base;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.DerivedFactors;
import org.isentropic.theory.solvers.InvarianceSolver;

/**
 * Figure 3's data: the factor {@code lambda_n / lambda_N} that an invariance condition requires at one
 * length n, as a function of how sharp attention is at N, measured by the base entropy held at N (theory:
 * {@link InvarianceSolver} with {@link Base#entropy}).
 *
 * @param model         the model
 * @param trainLength   N
 * @param length        n
 * @param baseEntropy   the entropies held at N (nats), increasing
 * @param conditions    the conditions solved
 * @param factor        {@code factor[c][i]}: factor of condition c at {@code baseEntropy[i]} (NaN where the
 *                      condition has no solution)
 * @param standardError its standard error (0 for deterministic conditions)
 */
public record RequiredFactor(LogitModel model, int trainLength, int length, double[] baseEntropy,
        List<Condition> conditions, double[][] factor, double[][] standardError) {

    public static RequiredFactor compute(LogitModel model, int trainLength, int length, double[] baseEntropy,
            List<Condition> conditions, int samples, long seed, Runnable onPoint) {
        double[][] f = new double[conditions.size()][baseEntropy.length];
        double[][] se = new double[conditions.size()][baseEntropy.length];
        for (int i = 0; i < baseEntropy.length; i++) {
            for (int c = 0; c < conditions.size(); c++) {
                try {
                    DerivedFactors d = InvarianceSolver.solve(conditions.get(c), model, trainLength, new int[] {length},
                            Base.entropy(baseEntropy[i]), samples, seed);
                    f[c][i] = d.factor()[0];
                    se[c][i] = d.standardError()[0];
                } catch (IllegalArgumentException | ArithmeticException noSolution) {
                    f[c][i] = Double.NaN;
                    se[c][i] = Double.NaN;
                }
            }
            if (onPoint != null) {
                onPoint.run();
            }
        }
        return new RequiredFactor(model, trainLength, length, baseEntropy.clone(), List.copyOf(conditions), f, se);
    }

    /**
     * The base entropies where the curve of condition {@code c} crosses {@code level}, by linear
     * interpolation between neighbouring grid points (empty when it never does on the grid).
     */
    public double[] crossings(int c, double level) {
        double[] out = new double[baseEntropy.length];
        int k = 0;
        for (int i = 0; i + 1 < baseEntropy.length; i++) {
            double a = factor[c][i] - level;
            double b = factor[c][i + 1] - level;
            if (Double.isFinite(a) && Double.isFinite(b) && (a == 0 || a * b < 0)) {
                out[k++] = baseEntropy[i] + (baseEntropy[i + 1] - baseEntropy[i]) * a / (a - b);
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }
}
