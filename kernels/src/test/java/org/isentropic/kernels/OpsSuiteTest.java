package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.fused.Exp2Vectors;
import org.isentropic.kernels.fused.VectorSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The per-operation suite ({@link OpsSuite}) once per provider and width: the scalar providers; the SIMD
 * providers at this JVM's preferred width; {@link org.isentropic.kernels.fused.VectorExp2} at every species of 128,
 * 256 and 512 bits this machine has (in this JVM: it takes the species of its argument); and the SIMD providers at
 * each narrower width in a child JVM started with {@code -XX:MaxVectorSize} (their species is fixed when they
 * load). Without jdk.incubator.vector (the {@code without-vector-module} surefire execution) only the scalar
 * providers run.
 */
class OpsSuiteTest {

    private static final int[] WIDTHS = {128, 256, 512};
    /** A child JVM runs the whole SIMD suite in a few seconds; this only stops a hung one. */
    private static final long CHILD_TIMEOUT_SECONDS = 600;

    private static Stream<DynamicTest> run(String provider, List<OpsSuite.Check> checks) {
        return checks.stream().map(c -> DynamicTest.dynamicTest(provider + ": " + c.name(), c.body()::run));
    }

    @TestFactory
    Stream<DynamicTest> scalarProviders() {
        return run("scalar", OpsSuite.scalar());
    }

    @TestFactory
    Stream<DynamicTest> simdProvidersAtThePreferredWidth() {
        assumeTrue(VectorSupport.available(), "jdk.incubator.vector is not in this JVM");
        int bits = Exp2Vectors.preferredBits();
        return run("SIMD " + bits + "-bit", OpsSuite.simd(bits));
    }

    @TestFactory
    Stream<DynamicTest> vectorExp2AtEverySpecies() {
        assumeTrue(VectorSupport.available(), "jdk.incubator.vector is not in this JVM");
        int widest = Exp2Vectors.preferredBits();
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : WIDTHS) {
            if (bits > widest) {
                tests.add(DynamicTest.dynamicTest("VectorExp2 " + bits + "-bit",
                        () -> abort("this machine's widest float vector has " + widest + " bits")));
            } else if (bits < widest) {
                // the preferred width runs with the SIMD providers above
                run("VectorExp2 " + bits + "-bit", OpsSuite.exp2(Exp2Vectors.at(bits))).forEach(tests::add);
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> simdProvidersAtNarrowerWidths() throws IOException, InterruptedException {
        assumeTrue(VectorSupport.available(), "jdk.incubator.vector is not in this JVM");
        int widest = Exp2Vectors.preferredBits();
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : WIDTHS) {
            if (bits < widest) {
                tests.addAll(inChildJvm(bits));
            }
        }
        assumeTrue(!tests.isEmpty(), "no width narrower than " + widest + " bits among 128, 256, 512");
        return tests.stream();
    }

    /** The SIMD suite in a JVM whose preferred species has {@code bits} bits; one test per check it reports. */
    private static List<DynamicTest> inChildJvm(int bits) throws IOException, InterruptedException {
        String provider = "SIMD " + bits + "-bit (-XX:MaxVectorSize=" + bits / 8 + ")";
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=" + bits / 8,
                "-D" + Seeds.PROPERTY + "=" + Seeds.seed(), "-cp", System.getProperty("java.class.path"),
                OpsSuite.class.getName(), Integer.toString(bits));
        Path stderr = Files.createTempFile("ops-suite-" + bits, ".err");
        Map<String, String> reported = new LinkedHashMap<>();
        int status;
        String errors;
        try {
            Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    String[] fields = line.split("\t", 4);
                    if (fields.length >= 3 && fields[0].equals("CHECK")) {
                        reported.put(fields[1], fields[2].equals("PASS") ? "" : fields.length == 4 ? fields[3] : "?");
                    }
                }
            }
            if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError(provider + ": the child JVM did not finish in " + CHILD_TIMEOUT_SECONDS + " s");
            }
            status = child.exitValue();
            errors = Files.readString(stderr, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stderr);
        }
        if (errors.contains("Unrecognized VM option")) {
            return List.of(DynamicTest.dynamicTest(provider, () -> abort("this JVM has no -XX:MaxVectorSize: "
                    + errors.strip())));
        }
        List<DynamicTest> tests = new ArrayList<>();
        int expectedStatus = reported.values().stream().allMatch(String::isEmpty) ? 0 : 1;
        tests.add(DynamicTest.dynamicTest(provider + ": child JVM", () -> assertEquals(expectedStatus, status,
                "exit status of the child JVM; its stderr:\n" + errors)));
        for (OpsSuite.Check check : OpsSuite.simd(bits)) {
            String outcome = reported.get(check.name());
            tests.add(DynamicTest.dynamicTest(provider + ": " + check.name(), () -> {
                if (outcome == null) {
                    fail("the child JVM did not report this check (exit status " + status + "); its stderr:\n" + errors);
                } else if (!outcome.isEmpty()) {
                    fail(outcome);
                }
            }));
        }
        return tests;
    }
}
