package org.isentropic.verification;

import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run by the build: its body is exactly the README snippet. */
class ReadmeExampleTest {

    @Test
    void myKernelAndMyRule() {
        AttentionKernel mine = AttentionKernels.fused(2);            // or your own AttentionKernel
        Theories.check("my kernel = EJML double-precision reference", 50, 1000,
                AttentionInputGenerators.cases(64, 32),              // random q, k, v, masks, RoPE, rules
                c -> KernelAgreement.assertAgrees(mine, c, true));
        EntropyInvariance.of("infoscale", TemperatureRule.infoScale(16, 16), // N = 16, d = 16
                        LogitModels.sphere(16, 12.0), 16, EntropyInvariance.doublings(16, 64))
                .withKernel(mine)
                .assertMatchesTheory(2000);  // drift per length = theory's Monte Carlo, else a drift table
    }
}
