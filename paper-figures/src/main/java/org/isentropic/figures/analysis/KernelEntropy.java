package org.isentropic.figures.analysis;

import java.util.List;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.bridge.ModelAttention;

/**
 * Figure 2's data: the mean attention-row entropy measured by an attention kernel on inputs drawn from a
 * theory {@link LogitModel}, with a temperature rule applied by the kernel ({@link AttentionSpec#withRule},
 * n = the sequence length), beside the theory's own Monte Carlo expectation of the same quantity.
 *
 * <p>Inputs and spec: verification's theory-to-kernels bridge {@link ModelAttention}: n keys from one draw of the
 * model and n independent queries, so every row is a draw of the model's query against the same n keys.
 * One repetition = one kernel call; its value is the mean entropy over the n rows. The standard error is
 * taken across repetitions (independent), not across rows (which share their keys).
 *
 * @param lengths      n values
 * @param rules        the rules, in order
 * @param mean         {@code mean[r][i]}: mean row entropy (nats) for rule r at {@code lengths[i]}
 * @param standardError its standard error across repetitions
 * @param theory       the theory's Monte Carlo expectation of the row entropy at the same temperature
 * @param theoryError  its standard error
 * @param repetitions  kernel calls per point
 */
public record KernelEntropy(int[] lengths, List<TemperatureRule> rules, double[][] mean, double[][] standardError,
        double[][] theory, double[][] theoryError, int repetitions) {

    /**
     * @param model       a model without planted focus (every query row must be a draw of the model)
     * @param kernel      the kernel measuring the entropy
     * @param repetitions independent kernel calls per (rule, length), >= 2
     * @param samples     rows of the theory's Monte Carlo per point, >= 2
     * @param seed        seed of all draws
     */
    public static KernelEntropy measure(LogitModel model, int[] lengths, List<TemperatureRule> rules,
            AttentionKernel kernel, int repetitions, int samples, long seed, Runnable onPoint) {
        if (model.focusCount() != 0) {
            throw new IllegalArgumentException("model must have no planted focus, got " + model);
        }
        if (repetitions < 2) {
            throw new IllegalArgumentException("repetitions must be >= 2, got " + repetitions);
        }
        int k = rules.size();
        double[][] mean = new double[k][lengths.length];
        double[][] se = new double[k][lengths.length];
        double[][] th = new double[k][lengths.length];
        double[][] thSe = new double[k][lengths.length];
        int d = model.dim();
        ModelAttention bridge = ModelAttention.of(model);
        for (int i = 0; i < lengths.length; i++) {
            int n = lengths[i];
            double[][] perRep = new double[k][repetitions];
            AttentionOutput out = AttentionOutput.allocate(n, 1, false);
            for (int rep = 0; rep < repetitions; rep++) {
                AttentionInputs in = bridge.sample(n, 1, Seeds.derive(seed + rep * 0x632BE59BD9B4E019L, n));
                // the dot model's scale folded into the queries (the coding figure 2 was computed with)
                float[] q = bridge.scaleQueries(in.q());
                for (int r = 0; r < k; r++) {
                    AttentionSpec spec = bridge.specForScaledQueries(rules.get(r));
                    kernel.attend(spec, q, in.k(), in.v(), n, d, 1, out);
                    double sum = 0;
                    for (float h : out.entropy()) {
                        sum += h;
                    }
                    perRep[r][rep] = sum / n;
                }
            }
            for (int r = 0; r < k; r++) {
                Estimate e = Estimate.of(perRep[r]);
                mean[r][i] = e.mean();
                se[r][i] = e.standardError();
            }
            double[] lambdas = new double[k];
            for (int r = 0; r < k; r++) {
                lambdas[r] = rules.get(r).factor(n);
            }
            Estimate[] est = ExpectedEntropy.monteCarlo(model, n, lambdas, samples,
                    Seeds.derive(seed ^ 0x5DEECE66DL, n));
            for (int r = 0; r < k; r++) {
                th[r][i] = est[r].mean();
                thSe[r][i] = est[r].standardError();
            }
            if (onPoint != null) {
                onPoint.run();
            }
        }
        return new KernelEntropy(lengths.clone(), List.copyOf(rules), mean, se, th, thSe, repetitions);
    }
}
