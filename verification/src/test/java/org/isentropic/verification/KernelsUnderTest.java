package org.isentropic.verification;

import java.util.List;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;

/**
 * The kernels every kernel and entropy property runs on: the reference, the fused kernel (SIMD when
 * available, and scalar) on 1 and 2 threads with its default tiles, and with the smallest tiles (8 query
 * rows x 16 keys) so that the modest n of the suite crosses many tile boundaries.
 */
final class KernelsUnderTest {
    private KernelsUnderTest() {
    }

    /** Smallest legal blocks: many tiles even at n = 40. */
    static FusedKernel.Config smallTiles(int threads, boolean simd, FusedKernel.QkTile tile) {
        return new FusedKernel.Config(threads, FusedKernel.Config.rowUnit(tile), 16, tile, true, simd);
    }

    /** @return the kernels under test */
    static List<AttentionKernel> all() {
        return List.of(
                AttentionKernels.reference(),
                AttentionKernels.fused(1),
                AttentionKernels.fused(2),
                AttentionKernels.fusedScalar(1),
                named("fused-small-tiles-t2", AttentionKernels.fused(smallTiles(2, true, FusedKernel.QkTile.R4C4))),
                named("fused-scalar-small-tiles-t1",
                        AttentionKernels.fused(smallTiles(1, false, FusedKernel.QkTile.R8C3))));
    }

    /** @return the fused kernels only */
    static List<AttentionKernel> fused() {
        return all().subList(1, all().size());
    }

    /** A kernel under another name (the fused kernel's name does not show its tile sizes). */
    static AttentionKernel named(String name, AttentionKernel k) {
        return new AttentionKernel() {
            @Override
            public void attend(AttentionSpec spec, float[] q, float[] k2, float[] v, int n, int d, int dv,
                    AttentionOutput out) {
                k.attend(spec, q, k2, v, n, d, dv, out);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
