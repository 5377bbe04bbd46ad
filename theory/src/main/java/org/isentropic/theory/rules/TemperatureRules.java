package org.isentropic.theory.rules;

import java.util.List;

/** The one registry of temperature rules, by id. */
public final class TemperatureRules {

    private static final List<String> IDS = List.of("standard", "infoscale", "logn", "softmax_plus",
            "qwen_logn", "yarn", "longrope", "ssmax", "llama4", "derived");

    private TemperatureRules() {
    }

    /**
     * All ids, in this order: standard, infoscale, logn, softmax_plus, qwen_logn, yarn, longrope, ssmax,
     * llama4, derived.
     */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * Builds the rule with the given id.
     *
     * @throws IllegalArgumentException for an unknown id, or {@code derived} without a table in {@code p}
     */
    public static TemperatureRule create(String id, RuleParameters p) {
        if (p == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        switch (String.valueOf(id)) {
            case "standard": return TemperatureRule.standard();
            case "infoscale": return TemperatureRule.infoScale(p.trainLength(), p.headDim(), p.clampAtOne());
            case "logn": return TemperatureRule.logN(p.trainLength());
            case "softmax_plus": return TemperatureRule.softmaxPlus();
            case "qwen_logn": return TemperatureRule.qwenLogN(p.trainLength());
            case "yarn": return TemperatureRule.yarn(p.trainLength());
            case "longrope": return TemperatureRule.longRope(p.trainLength());
            case "ssmax": return TemperatureRule.ssmax(p.ssmaxScale());
            case "llama4": return TemperatureRule.llama4(p.llama4A(), p.llama4F());
            case "derived":
                if (!p.hasDerived()) {
                    throw new IllegalArgumentException("rule 'derived' needs a table (RuleParameters.withDerived)");
                }
                return TemperatureRule.derived(p.derivedLengths(), p.derivedFactors());
            default:
                throw new IllegalArgumentException("unknown rule id '" + id + "'; known: " + String.join(", ", IDS));
        }
    }
}
