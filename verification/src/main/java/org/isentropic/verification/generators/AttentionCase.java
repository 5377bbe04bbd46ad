package org.isentropic.verification.generators;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.reference.EjmlAttention;

/**
 * One attention example described twice: as the kernels' {@link AttentionSpec} and as the independent
 * {@link EjmlAttention.Config}, over the same inputs, so that a kernel can be compared with the
 * double-precision reference.
 *
 * @param description the choices made (printed when the example falsifies a property)
 * @param inputs q, k, v
 * @param spec the kernels' spec
 * @param reference the same computation for {@link EjmlAttention}
 * @param maxPosition largest rotary position (0 without RoPE), for {@code Tolerances.logit}
 */
public record AttentionCase(String description, AttentionInputs inputs, AttentionSpec spec,
        EjmlAttention.Config reference, int maxPosition) {

    @Override
    public String toString() {
        return description + " on " + inputs;
    }

    /**
     * A random spec for inputs of length n and dimension d (even), chosen by {@code rng}: dot or cosine
     * (s in {1, 8, 32, 128}); no positions, RoPE (interleaved or halves, base 10000) or ALiBi (slope
     * 1/256 or 0.25); mask full, causal, window, window and causal, StreamingLLM or LM-Infinite (random
     * sinks and window); optionally a temperature rule that is positive for every n &gt;= 1 (clamped
     * InfoScale, softmax_plus, Qwen logn, YaRN, LongRoPE, Llama 4 with F = 8) under a random
     * {@link NMode}; optionally per-row temperatures in [0.5, 2].
     *
     * @param inputs the inputs (n, d taken from them; d must be even)
     * @param rng the random choices
     * @return the case
     */
    public static AttentionCase random(AttentionInputs inputs, UniformRandomProvider rng) {
        return random(inputs, rng, true, true, true);
    }

    /**
     * As {@link #random(AttentionInputs, UniformRandomProvider)} with some families left out.
     *
     * @param inputs the inputs
     * @param rng the random choices
     * @param allowCosine whether cosine logits may be chosen (else always dot)
     * @param allowRope whether RoPE may be chosen
     * @param allowAlibi whether ALiBi may be chosen
     * @return the case
     */
    public static AttentionCase random(AttentionInputs inputs, UniformRandomProvider rng, boolean allowCosine,
            boolean allowRope, boolean allowAlibi) {
        int n = inputs.n();
        int d = inputs.d();
        if (allowRope && d % 2 != 0) {
            throw new IllegalArgumentException("d must be even when RoPE may be chosen, got " + d);
        }
        List<String> what = new ArrayList<>();
        AttentionSpec spec;
        EjmlAttention.Config ref;
        if (rng.nextBoolean() || !allowCosine) {
            spec = AttentionSpec.dot();
            ref = EjmlAttention.Config.dot();
            what.add("dot");
        } else {
            double s = new double[] {1, 8, 32, 128}[rng.nextInt(4)];
            spec = AttentionSpec.cosine(s);
            ref = EjmlAttention.Config.cosine(s);
            what.add("cosine(s=" + s + ")");
        }
        int maxPosition = 0;
        int positions = rng.nextInt(4);
        if (!allowRope && (positions == 1 || positions == 2) || !allowAlibi && positions == 3) {
            positions = 0;
        }
        switch (positions) {
            case 0:
                break;
            case 1:
            case 2:
                // interleaved pairs (1) or the two halves of the vector (2), base 10000, in both implementations
                boolean interleaved = positions == 1;
                spec = spec.withPositions(interleaved ? Positions.rope(10000) : Positions.ropeHalf(10000));
                ref = ref.withRope(interleaved ? EjmlAttention.Rope.INTERLEAVED : EjmlAttention.Rope.HALVES, 10000);
                maxPosition = n - 1;
                what.add(interleaved ? "rope(10000)" : "ropeHalf(10000)");
                break;
            default:
                double slope = rng.nextBoolean() ? 1.0 / 256 : 0.25;
                spec = spec.withPositions(Positions.alibi(slope));
                ref = ref.withAlibi(slope);
                what.add("alibi(" + slope + ")");
                break;
        }
        int w = 1 + rng.nextInt(Math.max(1, n));
        int sinks = rng.nextInt(5);
        boolean causal = rng.nextBoolean();
        Mask mask;
        EjmlAttention.Mask refMask;
        switch (rng.nextInt(4)) {
            case 0:
                mask = Mask.full();
                refMask = EjmlAttention.Mask.FULL;
                break;
            case 1:
                mask = Mask.window(w);
                refMask = EjmlAttention.Mask.WINDOW;
                break;
            case 2:
                mask = Mask.streaming(sinks, w);
                refMask = EjmlAttention.Mask.STREAMING;
                break;
            default:
                mask = Mask.lambda(sinks, w);
                refMask = EjmlAttention.Mask.LAMBDA;
                break;
        }
        if (causal) {
            mask = mask.kind() == Mask.Kind.FULL ? Mask.causal() : mask.andCausal();
        }
        spec = spec.withMask(mask);
        ref = ref.withMask(refMask, refMask == EjmlAttention.Mask.FULL ? 0 : w, sinks, causal);
        what.add("mask=" + mask);
        if (rng.nextBoolean()) {
            int trainLength = 2 + rng.nextInt(16);
            TemperatureRule rule;
            switch (rng.nextInt(6)) {
                case 0: rule = TemperatureRule.infoScale(trainLength, d, true); break;
                case 1: rule = TemperatureRule.softmaxPlus(); break;
                case 2: rule = TemperatureRule.qwenLogN(trainLength); break;
                case 3: rule = TemperatureRule.yarn(trainLength); break;
                case 4: rule = TemperatureRule.longRope(trainLength); break;
                default: rule = TemperatureRule.llama4(0.1, 8); break;
            }
            NMode mode = NMode.values()[rng.nextInt(NMode.values().length)];
            EjmlAttention.RowLength rowLength = EjmlAttention.RowLength.valueOf(mode.name());
            IntToDoubleFunction r = rule;
            spec = spec.withRule(r, mode);
            ref = ref.withRule(r, rowLength);
            what.add("rule=" + rule.formula() + " n=" + mode);
        }
        if (rng.nextInt(3) == 0) {
            float[] t = new float[n];
            double[] td = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = (float) (0.5 + 1.5 * rng.nextDouble());
                td[i] = t[i];
            }
            spec = spec.withTemperature(t);
            ref = ref.withTemperature(td);
            what.add("perRowTemperature");
        }
        return new AttentionCase(String.join(", ", what), inputs, spec, ref, maxPosition);
    }
}
