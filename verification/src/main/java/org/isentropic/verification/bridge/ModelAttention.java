package org.isentropic.verification.bridge;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.isentropic.base.LogitKind;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.models.LogitModel;

/**
 * The one bridge from a theory {@link LogitModel} and a temperature rule to what a kernel runs: the
 * {@link AttentionSpec} whose logits are the model's logits times the rule's factor, and inputs drawn from
 * the model ({@link #sample}).
 *
 * <p>The model's logit of a query q and a key k is {@code z = s cos(q, k)} (cosine models, s the model's
 * scale) or {@code z = s q.k / sqrt(d)} (dot models); with the rule the kernel computes
 * {@code lambda(n) z}, n the sequence length ({@link NMode#SEQUENCE}: every row attends all n keys). A
 * cosine model's s is CosScale's scale of the spec. A dot model's s has two codings, which are the same
 * logits in exact arithmetic (z is linear in q) and differ in float only by the rounding of where s is
 * applied:
 * <ul>
 *   <li>{@link #spec}: s as the per-row temperature of the spec (the kernel multiplies the logit by s);</li>
 *   <li>{@link #specForScaledQueries} with {@link #scaleQueries}: s folded into the queries before the
 *       call ({@code (float) (q s)}), the spec without a temperature.</li>
 * </ul>
 * Callers keep the coding their committed numbers were computed with; both are defined only here.
 */
public final class ModelAttention {

    private final LogitModel model;

    private ModelAttention(LogitModel model) {
        this.model = model;
    }

    /** The bridge for one model. */
    public static ModelAttention of(LogitModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new ModelAttention(model);
    }

    public LogitModel model() {
        return model;
    }

    /** Whether a dot model's scale has to be applied at all (cosine models carry it in the spec). */
    private boolean scalesDotLogits() {
        return model.kind() == LogitKind.DOT && model.scale() != 1.0;
    }

    private AttentionSpec base(IntToDoubleFunction rule) {
        AttentionSpec s = model.kind() == LogitKind.COSINE ? AttentionSpec.cosine(model.scale()) : AttentionSpec.dot();
        return s.withRule(rule, NMode.SEQUENCE);
    }

    /**
     * The spec of {@code lambda(n) z} for rows of length n, a dot model's scale as the per-row temperature.
     *
     * @param rule n -&gt; lambda(n)
     * @param n    the sequence length (the temperature array's length), &gt;= 1
     */
    public AttentionSpec spec(IntToDoubleFunction rule, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        AttentionSpec s = base(rule);
        if (scalesDotLogits()) {
            float[] t = new float[n];
            Arrays.fill(t, (float) model.scale());
            s = s.withTemperature(t);
        }
        return s;
    }

    /** The spec of {@code lambda(n) z} for queries that {@link #scaleQueries} scaled (no temperature). */
    public AttentionSpec specForScaledQueries(IntToDoubleFunction rule) {
        return base(rule);
    }

    /**
     * Queries for {@link #specForScaledQueries}: a dot model's scale folded in, {@code (float) (q[x] s)} (a
     * copy), or {@code q} itself when there is nothing to fold (cosine models, s = 1).
     */
    public float[] scaleQueries(float[] q) {
        if (!scalesDotLogits()) {
            return q;
        }
        float[] scaled = q.clone();
        for (int x = 0; x < scaled.length; x++) {
            scaled[x] = (float) (scaled[x] * model.scale());
        }
        return scaled;
    }

    /**
     * One attention problem drawn from the model: n keys from one draw and n queries from independent
     * draws, values standard normal ({@link AttentionInputs#fromModel}).
     */
    public AttentionInputs sample(int n, int dv, long seed) {
        return AttentionInputs.fromModel(model, n, dv, seed);
    }
}
