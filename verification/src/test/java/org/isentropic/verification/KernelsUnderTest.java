package org.isentropic.verification;

import java.util.List;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;

/** The kernels every kernel and entropy property runs on. */
final class KernelsUnderTest {
    private KernelsUnderTest() {
    }

    /** @return the reference kernel and the fused kernels */
    static List<AttentionKernel> all() {
        return List.of(AttentionKernels.reference());
    }
}
