package org.isentropic.kernels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.isentropic.kernels.decode.DecodeOpsSuite;
import org.isentropic.kernels.fused.Exp2Checks;
import org.isentropic.kernels.fused.Exp2Vectors;
import org.isentropic.kernels.fused.TileOpsSuite;
import org.isentropic.kernels.fused.VectorSupport;

/**
 * The per-operation suite, run once per provider as Lucene runs its vector-utility tests per provider: every
 * TileOps and DecodeOps operation of one provider ({@link TileOpsSuite}, {@link DecodeOpsSuite}, which live in
 * the packages of those package-private interfaces) and, for the SIMD provider, VectorExp2 at its width. Every
 * check draws its inputs from its own seed (derived from its name), so each provider sees the same inputs at the
 * same width.
 *
 * <p>The SIMD classes fix their species when they load ({@code FloatVector.SPECIES_PREFERRED} in a static
 * final, which C2 needs constant). To test them at narrower widths without touching that path, {@link #main}
 * runs the SIMD suite in a JVM started with {@code -XX:MaxVectorSize=<bytes>}, which makes the preferred
 * species that wide; it prints one line per check for {@link OpsSuiteTest} to report:
 * {@code CHECK <tab> name <tab> PASS} or {@code CHECK <tab> name <tab> FAIL <tab> message}.
 */
public final class OpsSuite {

    /** One named check. */
    public record Check(String name, Runnable body) {
    }

    private OpsSuite() {
    }

    static List<Check> exp2(Exp2Checks.Exp2Op op) {
        return TileOpsSuite.exp2(op);
    }

    /** The scalar providers (ScalarTiles, ScalarDecodeOps) and the operations every provider shares. */
    static List<Check> scalar() {
        List<Check> checks = new ArrayList<>(TileOpsSuite.scalar());
        checks.addAll(DecodeOpsSuite.scalar());
        checks.add(TileOpsSuite.shared());
        checks.add(DecodeOpsSuite.shared());
        return checks;
    }

    /**
     * The SIMD providers as the kernels load them (SimdTiles, SimdDecodeOps), expected to be {@code bits} wide,
     * and VectorExp2 at that width. Needs jdk.incubator.vector.
     */
    static List<Check> simd(int bits) {
        List<Check> checks = new ArrayList<>(TileOpsSuite.simd(bits));
        checks.addAll(DecodeOpsSuite.simd(bits));
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
