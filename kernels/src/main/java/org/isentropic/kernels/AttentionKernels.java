package org.isentropic.kernels;

/** Factories of the attention kernels. */
public final class AttentionKernels {

    private AttentionKernels() {
    }

    /** The plain double-precision oracle (slow, obviously correct). Thread-safe. */
    public static AttentionKernel reference() {
        return new ReferenceKernel();
    }

    /**
     * The n x n logits z_ij of a call exactly as {@link AttentionSpec} defines them (double precision,
     * negative infinity where masked), {@code z[i*n + j]}: for checks and small figures.
     */
    public static double[] referenceLogits(AttentionSpec spec, float[] q, float[] k, int n, int d) {
        return ReferenceKernel.logits(spec, q, k, n, d);
    }
}
