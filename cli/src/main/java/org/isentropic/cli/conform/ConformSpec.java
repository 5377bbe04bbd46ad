package org.isentropic.cli.conform;

import java.util.Locale;
import org.isentropic.base.LogitKind;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.reference.EjmlAttention;

/**
 * The attention a kernel under test declares it computes: logits (dot or cosine with scale s), a mask
 * (full or causal), a closed-form temperature rule of the theory registry at training length N, and the
 * n the rule sees. For inputs of head dimension d it is the kernels' {@link AttentionSpec}
 *
 * <pre>
 *   z_ij = lambda(n_i) * c * q_i . k_j    (visible j)   c = 1/sqrt(d) (dot), s with unit q, k (cosine)
 * </pre>
 *
 * with {@code lambda = TemperatureRules.create(rule, RuleParameters.of(N, headDim or d))} and n_i chosen by
 * the {@link NMode} (sequence: n for every row, the paper's reference implementation; visible: the keys
 * row i sees; position: i + 1).
 *
 * @param logits    {@code AttentionSpec.dot()} or {@code AttentionSpec.cosine(s)}
 * @param causal    whether row i sees only keys j &lt;= i
 * @param ruleId    a closed-form rule id of the registry
 * @param trainLength N, at least 2
 * @param headDim   the d of the rule, or 0 for the d of each case's inputs
 * @param nMode     the n the rule sees, or null for the rule's own default (position for per-position
 *                  rules, else sequence)
 */
public record ConformSpec(AttentionSpec logits, boolean causal, String ruleId, int trainLength, int headDim,
        NMode nMode) {

    /** The rule for inputs of head dimension d. */
    public TemperatureRule rule(int d) {
        return TemperatureRules.create(ruleId, RuleParameters.of(trainLength, headDim > 0 ? headDim : d));
    }

    /** The n the rule sees. */
    public NMode mode(TemperatureRule rule) {
        return nMode != null ? nMode : rule.perPosition() ? NMode.POSITION : NMode.SEQUENCE;
    }

    /** The kernels' spec for inputs of head dimension d. */
    public AttentionSpec spec(int d) {
        TemperatureRule r = rule(d);
        return logits.withMask(causal ? Mask.causal() : Mask.full()).withRule(r, mode(r));
    }

    /**
     * The same computation described for the verification library ({@link AttentionCase}), whose
     * {@code KernelAgreement.bounds} derive the tolerances.
     */
    public AttentionCase attentionCase(AttentionInputs in) {
        TemperatureRule r = rule(in.d());
        EjmlAttention.Config ref = logits.kind() == LogitKind.DOT ? EjmlAttention.Config.dot()
                : EjmlAttention.Config.cosine(logits.cosScale());
        ref = ref.withMask(EjmlAttention.Mask.FULL, 0, 0, causal)
                .withRule(r, EjmlAttention.RowLength.valueOf(mode(r).name()));
        return new AttentionCase(describe(in.d()), in, spec(in.d()), ref, 0);
    }

    /** One line: logits, mask, rule formula and n mode at head dimension d. */
    public String describe(int d) {
        TemperatureRule r = rule(d);
        return logitsText() + ", mask " + (causal ? "causal" : "full") + ", rule " + r.id() + " (" + r.formula()
                + ", n = " + mode(r).name().toLowerCase(Locale.ROOT) + ")";
    }

    /** {@code dot} or {@code cosine(s=...)}. */
    public String logitsText() {
        return logits.kind() == LogitKind.DOT ? "dot q.k/sqrt(d)" : "cosine s cos(q, k), s = " + logits.cosScale();
    }
}
