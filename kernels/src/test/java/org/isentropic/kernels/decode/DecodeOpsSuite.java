package org.isentropic.kernels.decode;

import java.util.List;
import org.isentropic.kernels.OpsSuite.Check;

/**
 * The decode step's part of the per-operation suite ({@link org.isentropic.kernels.OpsSuite}): every
 * {@link DecodeOps} operation of one provider ({@link DecodeOpsChecks}). Here because DecodeOps and its
 * providers are package-private.
 */
public final class DecodeOpsSuite {

    private DecodeOpsSuite() {
    }

    static List<Check> decode(DecodeOps ops, int expectedLanes) {
        return List.of(new Check("DecodeOps.lanes", () -> DecodeOpsChecks.lanes(ops, expectedLanes)),
                new Check("DecodeOps.scores", () -> DecodeOpsChecks.scores(ops)),
                new Check("DecodeOps.scoresPair", () -> DecodeOpsChecks.scoresPair(ops)),
                new Check("DecodeOps.scoresQuad", () -> DecodeOpsChecks.scoresQuad(ops)),
                new Check("DecodeOps.max", () -> DecodeOpsChecks.max(ops)),
                new Check("DecodeOps.weights", () -> DecodeOpsChecks.weights(ops)),
                new Check("DecodeOps.accumulate", () -> DecodeOpsChecks.accumulate(ops)),
                new Check("DecodeOps.accumulateQuad", () -> DecodeOpsChecks.accumulateQuad(ops)),
                new Check("DecodeOps.valuePanel", () -> DecodeOpsChecks.valuePanel(ops)));
    }

    /** The scalar provider {@link ScalarDecodeOps}. */
    public static List<Check> scalar() {
        return decode(new ScalarDecodeOps(), ScalarDecodeOps.LANES);
    }

    /** The static operation every provider shares (DecodeOps.sumLanes). */
    public static Check shared() {
        return new Check("DecodeOps.sumLanes", DecodeOpsChecks::sumLanes);
    }

    /** The SIMD provider as the decode step loads it (SimdDecodeOps), expected to be {@code bits} wide. */
    public static List<Check> simd(int bits) {
        return decode(DecodeOps.choose(true), bits / Float.SIZE);
    }
}
