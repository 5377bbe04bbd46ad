package org.isentropic.kernels;

import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.fused.VectorSupport;
import org.isentropic.kernels.isentropic.IsentropicKernel;
import org.isentropic.kernels.reference.ReferenceKernel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionSpec;

/** Factories of the attention kernels. */
public final class AttentionKernels {

    private AttentionKernels() {
    }

    /** The plain double-precision oracle (slow, obviously correct). Thread-safe. */
    public static AttentionKernel reference() {
        return new ReferenceKernel();
    }

    /**
     * The fused kernel with the default configuration: Vector API tiles when jdk.incubator.vector is
     * present, else the scalar path. Thread-safe (concurrent calls use separate workspaces).
     *
     * @param threads worker threads, 1 to 256
     */
    public static FusedKernel fused(int threads) {
        return new FusedKernel(FusedKernel.Config.defaults(threads));
    }

    /** The fused kernel forced onto its scalar path (same algorithm, no Vector API). */
    public static FusedKernel fusedScalar(int threads) {
        return new FusedKernel(FusedKernel.Config.defaults(threads).withSimd(false));
    }

    /** The fused kernel with explicit tuning knobs (tile shape, block sizes, threads, entropy on/off). */
    public static FusedKernel fused(FusedKernel.Config config) {
        return new FusedKernel(config);
    }

    /**
     * Exactly isentropic attention on top of {@code inner}: a spec with an
     * {@link org.isentropic.kernels.spec.IsentropicTarget} gets a temperature per row solved so that the row keeps
     * its target entropy (see {@link IsentropicKernel}); other specs pass straight to {@code inner}.
     */
    public static AttentionKernel isentropic(AttentionKernel inner) {
        return new IsentropicKernel(inner);
    }

    /** Whether the Vector API is present in this JVM (else fused kernels run their scalar path). */
    public static boolean simdAvailable() {
        return VectorSupport.available();
    }

    /**
     * The n x n logits z_ij of a call exactly as {@link AttentionSpec} defines them (double precision,
     * negative infinity where masked), {@code z[i*n + j]}: for checks and small figures.
     */
    public static double[] referenceLogits(AttentionSpec spec, float[] q, float[] k, int n, int d) {
        return ReferenceKernel.logits(spec, q, k, n, d);
    }
}
