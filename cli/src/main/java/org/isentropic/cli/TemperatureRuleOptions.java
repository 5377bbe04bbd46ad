package org.isentropic.cli;

import java.util.Locale;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The temperature of attention ({@code --rule}, {@code --n-mode}, with {@code --train-length} and
 * {@code --head-dim}, and the isentropic target): a closed-form rule of the theory registry applied by
 * the kernel at the n that {@code --n-mode} chooses, or a temperature per row that keeps a target entropy.
 */
public final class TemperatureRuleOptions {

    @Option(names = "--rule", paramLabel = "ID", completionCandidates = ScalesCommand.RuleIds.class,
            description = "Temperature rule from the theory registry (${COMPLETION-CANDIDATES}), or isentropic: a"
                    + " temperature per row, solved so that the row keeps its target entropy (see --reference);"
                    + " default: none.")
    String rule;

    @Mixin
    NModeOption nMode;

    @Mixin
    HeadDimOption headDim;

    @Mixin
    IsentropicTargetOptions target;

    /**
     * {@code spec} with the temperature the options describe; {@code d} is the tensors' head dimension,
     * {@code trainLength} the command's {@code --train-length}.
     */
    AttentionSpec apply(AttentionSpec spec, int d, int trainLength) {
        if (rule != null && rule.toLowerCase(Locale.ROOT).equals("isentropic")) {
            if (nMode.given()) {
                throw new UserInputException("--n-mode: does not apply to --rule isentropic (a temperature per row)");
            }
            return spec.withIsentropic(target.target(spec.mask().isCausal(), trainLength));
        }
        target.requireUnused();
        if (rule == null) {
            if (nMode.given()) {
                throw new UserInputException("--n-mode: '" + nMode.value + "' given without --rule");
            }
            return spec;
        }
        if (trainLength < 2) {
            throw new UserInputException("--train-length: must be >= 2 for a rule, got " + trainLength);
        }
        int hd = headDim.orTensors(d);
        if (hd < 1) {
            throw new UserInputException("--head-dim: must be >= 1, got " + hd);
        }
        ScalesCommand.rule("--rule", rule);
        TemperatureRule r = TemperatureRules.create(rule, RuleParameters.of(trainLength, hd));
        return spec.withRule(r, nMode.orDefault(r.perPosition()));
    }
}
