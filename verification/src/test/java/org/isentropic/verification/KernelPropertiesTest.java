package org.isentropic.verification;

import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.isentropic.verification.generators.AttentionInputs;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Property group 4: the kernels agree with each other and with the independent EJML reference. */
class KernelPropertiesTest {

    /** Random inputs with a random spec (see {@link AttentionCase#random}). */
    static Gen<AttentionCase> cases(int maxN, int maxD) {
        return AttentionInputGenerators.gaussian(maxN, maxD).zip(AttentionInputGenerators.seeds(),
                (in, s) -> AttentionCase.random(in, RandomSource.XO_RO_SHI_RO_128_PP.create(s)));
    }

    @Test
    void referenceKernelEqualsEjml() {
        AttentionKernel reference = AttentionKernels.reference();
        Theories.check("kernels: reference = EJML over random specs", 60, 1000, cases(48, 32),
                c -> KernelAgreement.assertAgrees(reference, c, true));
    }
}
