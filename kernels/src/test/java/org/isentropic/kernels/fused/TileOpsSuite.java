package org.isentropic.kernels.fused;

import java.util.List;
import org.isentropic.kernels.OpsSuite.Check;

/**
 * The fused kernel's part of the per-operation suite ({@link org.isentropic.kernels.OpsSuite}): every
 * {@link TileOps} operation of one provider ({@link TileOpsChecks}) and {@link VectorExp2} at a given width
 * ({@link Exp2Checks}). Here because TileOps and its providers are package-private.
 */
public final class TileOpsSuite {

    private TileOpsSuite() {
    }

    static List<Check> tiles(TileOps ops, int expectedLanes) {
        return List.of(new Check("TileOps.lanes", () -> TileOpsChecks.lanes(ops, expectedLanes)),
                new Check("TileOps.scores", () -> TileOpsChecks.scores(ops)),
                new Check("TileOps.alibi", () -> TileOpsChecks.alibi(ops)),
                new Check("TileOps.softmax", () -> TileOpsChecks.softmax(ops)),
                new Check("TileOps.rowMoments", () -> TileOpsChecks.rowMoments(ops)),
                new Check("TileOps.pv", () -> TileOpsChecks.pv(ops)),
                new Check("TileOps.allFinite", () -> TileOpsChecks.allFinite(ops)));
    }

    /** The checks of {@link VectorExp2} (or any 2^x) given as an {@link Exp2Checks.Exp2Op}. */
    public static List<Check> exp2(Exp2Checks.Exp2Op op) {
        return List.of(new Check("VectorExp2.withinBound", () -> Exp2Checks.withinBound(op)),
                new Check("VectorExp2.sameBitsAsScalarSteps", () -> Exp2Checks.sameBitsAsScalarSteps(op)),
                new Check("VectorExp2.exactAtIntegers", () -> Exp2Checks.exactAtIntegers(op)));
    }

    /** The scalar provider {@link ScalarTiles}. */
    public static List<Check> scalar() {
        return tiles(new ScalarTiles(), ScalarTiles.LANES);
    }

    /** The static operation every provider shares (TileOps.laneSum). */
    public static Check shared() {
        return new Check("TileOps.laneSum", TileOpsChecks::laneSum);
    }

    /** The SIMD provider as the fused kernel loads it (SimdTiles), expected to be {@code bits} wide. */
    public static List<Check> simd(int bits) {
        return tiles(VectorSupport.simdTiles(), bits / Float.SIZE);
    }
}
