package org.isentropic.kernels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-operation suite, run once per provider as Lucene runs its vector-utility tests per provider: every
 * {@link TileOps} and {@link DecodeOps} operation of one provider ({@link TileOpsChecks}, {@link DecodeOpsChecks})
 * and, for the SIMD provider, {@link VectorExp2} at its width ({@link Exp2Checks}). Every check draws its inputs
 * from its own seed (derived from its name), so each provider sees the same inputs at the same width.
 *
 * <p>The SIMD classes fix their species when they load ({@code FloatVector.SPECIES_PREFERRED} in a static
 * final, which C2 needs constant). To test them at narrower widths without touching that path, {@link #main}
 * runs the SIMD suite in a JVM started with {@code -XX:MaxVectorSize=<bytes>}, which makes the preferred
 * species that wide; it prints one line per check for {@link OpsSuiteTest} to report:
 * {@code CHECK <tab> name <tab> PASS} or {@code CHECK <tab> name <tab> FAIL <tab> message}.
 */
final class OpsSuite {

    /** One named check. */
    record Check(String name, Runnable body) {
    }

    private OpsSuite() {
    }

    static List<Check> tiles(TileOps ops, int expectedLanes) {
        return List.of(new Check("TileOps.lanes", () -> TileOpsChecks.lanes(ops, expectedLanes)),
                new Check("TileOps.scores", () -> TileOpsChecks.scores(ops)),
                new Check("TileOps.alibi", () -> TileOpsChecks.alibi(ops)),
                new Check("TileOps.softmax", () -> TileOpsChecks.softmax(ops)),
                new Check("TileOps.pv", () -> TileOpsChecks.pv(ops)));
    }

    static List<Check> decode(DecodeOps ops, int expectedLanes) {
        return List.of(new Check("DecodeOps.lanes", () -> DecodeOpsChecks.lanes(ops, expectedLanes)),
                new Check("DecodeOps.scores", () -> DecodeOpsChecks.scores(ops)),
                new Check("DecodeOps.max", () -> DecodeOpsChecks.max(ops)),
                new Check("DecodeOps.weights", () -> DecodeOpsChecks.weights(ops)),
                new Check("DecodeOps.accumulate", () -> DecodeOpsChecks.accumulate(ops)));
    }

    static List<Check> exp2(Exp2Checks.Exp2Op op) {
        return List.of(new Check("VectorExp2.withinBound", () -> Exp2Checks.withinBound(op)),
                new Check("VectorExp2.sameBitsAsScalarSteps", () -> Exp2Checks.sameBitsAsScalarSteps(op)),
                new Check("VectorExp2.exactAtIntegers", () -> Exp2Checks.exactAtIntegers(op)));
    }

    /** The static operations every provider shares (TileOps.commitRow, DecodeOps.sumLanes). */
    static List<Check> shared() {
        return List.of(new Check("TileOps.commitRow", TileOpsChecks::commitRow),
                new Check("DecodeOps.sumLanes", DecodeOpsChecks::sumLanes));
    }

    /** The scalar providers ({@link ScalarTiles}, {@link ScalarDecodeOps}) and the shared operations. */
    static List<Check> scalar() {
        List<Check> checks = new ArrayList<>(tiles(new ScalarTiles(), ScalarTiles.LANES));
        checks.addAll(decode(new ScalarDecodeOps(), ScalarDecodeOps.LANES));
        checks.addAll(shared());
        return checks;
    }

    /**
     * The SIMD providers as the kernels load them (SimdTiles, SimdDecodeOps), expected to be {@code bits} wide,
     * and VectorExp2 at that width. Needs jdk.incubator.vector.
     */
    static List<Check> simd(int bits) {
        int lanes = bits / Float.SIZE;
        List<Check> checks = new ArrayList<>(tiles(VectorSupport.simdTiles(), lanes));
        checks.addAll(decode(DecodeOps.choose(true), lanes));
        checks.addAll(exp2(Exp2Vectors.at(bits)));
        return checks;
    }

    /**
     * Runs {@link #simd} for the width given as the only argument (in bits) and prints one line per check; exit
     * status 0 when every check passed, 1 otherwise, 2 on bad arguments or without the Vector API.
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length != 1 || !args[0].matches("\\d+")) {
            System.err.println("usage: OpsSuite <vector bits>");
            System.exit(2);
        }
        if (!VectorSupport.available()) {
            System.err.println("OpsSuite: jdk.incubator.vector is not available");
            System.exit(2);
        }
        int failed = 0;
        for (Check check : simd(Integer.parseInt(args[0]))) {
            try {
                check.body().run();
                out.println("CHECK\t" + check.name() + "\tPASS");
            } catch (AssertionError | RuntimeException e) {
                failed++;
                String message = (e instanceof AssertionError ? "" : e + ": ") + e.getMessage();
                out.println("CHECK\t" + check.name() + "\tFAIL\t" + message.replace('\n', ' ').replace('\t', ' '));
            }
        }
        out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }
}
