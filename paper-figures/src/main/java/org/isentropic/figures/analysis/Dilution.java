package org.isentropic.figures.analysis;

import java.util.List;
import org.isentropic.base.Seeds;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.LogitSample;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * Figure 5's data: the expected softmax mass on the planted focus keys of a theory model as n grows,
 * with each rule's factor on the logits (theory: {@link LogitSample#focusMass}). All rules at one length
 * see the same rows (common random numbers), so their differences are sharper than their errors.
 *
 * @param lengths       n values
 * @param rules         the rules
 * @param mass          {@code mass[r][i]}: expected focus mass of rule r at {@code lengths[i]}
 * @param standardError its Monte Carlo standard error
 * @param samples       rows per length
 */
public record Dilution(int[] lengths, List<TemperatureRule> rules, double[][] mass, double[][] standardError,
        int samples) {

    /**
     * @param model   a model with planted focus keys ({@code focusCount() >= 1})
     * @param samples rows per length, >= 2
     */
    public static Dilution compute(LogitModel model, int[] lengths, List<TemperatureRule> rules, int samples,
            long seed, Runnable onLength) {
        if (model.focusCount() < 1) {
            throw new IllegalArgumentException("model must have planted focus keys, got " + model);
        }
        double[][] mass = new double[rules.size()][lengths.length];
        double[][] se = new double[rules.size()][lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            LogitSample rows = LogitSample.draw(model, lengths[i], samples, Seeds.derive(seed, lengths[i]));
            for (int r = 0; r < rules.size(); r++) {
                Estimate e = rows.focusMass(rules.get(r).factor(lengths[i]));
                mass[r][i] = e.mean();
                se[r][i] = e.standardError();
            }
            if (onLength != null) {
                onLength.run();
            }
        }
        return new Dilution(lengths.clone(), List.copyOf(rules), mass, se, samples);
    }
}
