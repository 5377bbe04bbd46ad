package org.example.attention;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.KernelAgreement;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.reference.EjmlAttention;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainAttention} against the verification library's double-precision reference, within the
 * library's derived float bounds; and the check must reject the same kernel with a temperature off by 1 %.
 */
class PlainAttentionTest {

    /** The README's five-line example, as it stands there. */
    @Test
    void infoScaleAgreesWithTheReference() {
        AttentionInputs in = AttentionInputs.gaussian(200, 64, 64, 1.0, 42);   // n = 200, d = dv = 64, seed 42
        TemperatureRule rule = TemperatureRule.infoScale(64, 64);             // N = 64, d = 64
        AttentionCase c = new AttentionCase("infoscale", in, AttentionSpec.dot().withRule(rule, NMode.SEQUENCE),
                EjmlAttention.Config.dot().withRule(rule, EjmlAttention.RowLength.SEQUENCE), 0);
        KernelAgreement.assertAgrees(new PlainAttention(), c, false);   // outputs, entropies, logsumexps
    }

    @Test
    void causalCosineInfoScaleAgreesAtEveryLengthAndHeadDimensionTried() {
        for (int n : new int[] {1, 2, 17, 63, 64, 65, 130}) {
            for (int d : new int[] {3, 16, 64}) {
                TemperatureRule rule = TemperatureRule.infoScale(64, d);
                AttentionInputs in = AttentionInputs.gaussian(n, d, 5, 1.0, 1000L * n + d);
                AttentionCase c = new AttentionCase("causal cosine infoscale", in,
                        AttentionSpec.cosine(32).withMask(Mask.causal()).withRule(rule, NMode.SEQUENCE),
                        EjmlAttention.Config.cosine(32).withMask(EjmlAttention.Mask.FULL, 0, 0, true)
                                .withRule(rule, EjmlAttention.RowLength.SEQUENCE), 0);
                KernelAgreement.assertAgrees(new PlainAttention(), c, false);
            }
        }
    }

    @Test
    void aTemperatureOffByOnePercentIsCaught() {
        AttentionInputs in = AttentionInputs.gaussian(200, 64, 64, 1.0, 42);
        TemperatureRule rule = TemperatureRule.infoScale(64, 64);
        AttentionCase c = new AttentionCase("infoscale", in, AttentionSpec.dot().withRule(rule, NMode.SEQUENCE),
                EjmlAttention.Config.dot().withRule(rule, EjmlAttention.RowLength.SEQUENCE), 0);
        assertThrows(AssertionError.class,
                () -> KernelAgreement.assertAgrees(PlainAttention.withWrongTemperature(1.01f), c, false));
    }
}
