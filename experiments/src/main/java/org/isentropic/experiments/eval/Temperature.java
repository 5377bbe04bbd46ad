package org.isentropic.experiments.eval;

import java.util.Locale;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * The temperatures of the comparison (docs/method.md, the experiment). The closed forms come from theory's rules:
 * standard (1), log-n (ln n / ln N, 1 at N), InfoScale (sqrt((1 - n^(-2/d)) / (1 - N^(-2/d)))) and
 * softmax_plus as the reference code applies it (ln max(n, 16) / ln 512, <em>not</em> normalised at N: it
 * changes the model at n = N too). Two are per layer and measured: {@link #DERIVED} (theory's exact
 * entropy-invariance solver on sphere keys of the model's d, given the layer's measured mean entropy at N;
 * the same code as {@code isentropic calibrate}) and {@link #ORACLE} (the constant factor that restores the
 * layer's mean attention entropy at N on held-out calibration text, found by a root solver). One is per row:
 * {@link #ISENTROPIC} solves in the kernel, for every row, the temperature that gives the row the entropy it
 * has at factor 1 over the N keys around it ({@code IsentropicTarget.window(N)}; kernels' exactly isentropic
 * attention). Every factor multiplies whatever the checkpoint was trained with in its logits (its
 * {@code logit_rule}); ISENTROPIC replaces it and is not run on such checkpoints.
 */
public enum Temperature {
    STANDARD, LOGN, INFOSCALE, SOFTMAX_PLUS, DERIVED, ORACLE, ISENTROPIC;

    /** The temperature as the report's tables name it. */
    public String label() {
        return switch (this) {
            case STANDARD -> "standard";
            case LOGN -> "log-n";
            case INFOSCALE -> "InfoScale";
            case SOFTMAX_PLUS -> "softmax_plus (ln n/ln 512, unnormalised)";
            case DERIVED -> "derived (theory, per layer)";
            case ORACLE -> "oracle (entropy-matched, per layer)";
            case ISENTROPIC -> "isentropic (per row, window N)";
        };
    }

    /** The temperature whose {@link #id} is {@code id}. */
    public static Temperature parse(String id) {
        for (Temperature v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown temperature '" + id + "'; one of " + java.util.Arrays.stream(values())
                .map(Temperature::id).toList());
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * True when the factor depends on the n a row sees, so that n-mode visible differs from sequence. ORACLE
     * is one constant per layer and ISENTROPIC solves each row from its own keys, so neither takes an n.
     */
    public boolean lengthDependent() {
        return switch (this) {
            case LOGN, INFOSCALE, SOFTMAX_PLUS, DERIVED -> true;
            case STANDARD, ORACLE, ISENTROPIC -> false;
        };
    }

    /** The closed-form rule; DERIVED and ORACLE are per layer, ISENTROPIC per row (see Evaluation.operator). */
    public TemperatureRule rule(int trainLength, int d) {
        return switch (this) {
            case STANDARD -> TemperatureRule.standard();
            case LOGN -> TemperatureRule.logN(trainLength);
            case INFOSCALE -> TemperatureRule.infoScale(trainLength, d);
            case SOFTMAX_PLUS -> TemperatureRule.softmaxPlus();
            case DERIVED, ORACLE, ISENTROPIC -> throw new IllegalStateException(this + " is not a closed form");
        };
    }
}
