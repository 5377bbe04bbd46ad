package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar the launcher runs, checked after {@code package} (surefire execution
 * {@code shaded-jar-check} in the verify phase, with the jar's path in {@code isentropic.jar}): it holds no
 * QuickTheories class (a test library: the application draws its inputs through verification's bridge,
 * which does not use it), and the figures that draw attention inputs from theory models (2: kernel entropy,
 * 6: attention maps) run from it.
 */
class ShadedJarIT {

    private static Path jar() {
        String path = System.getProperty("isentropic.jar");
        // only the verify-phase execution names the jar; run by name in the test phase, there is none yet
        Assumptions.assumeTrue(path != null, "runs in the shaded-jar-check execution (mvn verify)");
        assertTrue(Files.isRegularFile(Path.of(path)),
                "the shaded jar must be built before this check (system property isentropic.jar = " + path + ")");
        return Path.of(path);
    }

    @Test
    void holdsNoQuickTheoriesClass() throws Exception {
        try (JarFile j = new JarFile(jar().toFile())) {
            List<String> qt = j.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/quicktheories/")).toList();
            assertEquals(List.of(), qt);
            assertTrue(j.getEntry("org/isentropic/verification/bridge/ModelAttention.class") != null,
                    "the bridge is in the jar");
        }
    }

    @Test
    void figuresThatDrawFromTheoryModelsRunWithoutQuickTheories(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(java.toString(), "--add-modules=jdk.incubator.vector", "-jar", jar().toString(),
                "figures", "--only", "2,6", "--quick", "--threads", "1", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "figures did not finish in 5 minutes");
        String log = Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertTrue(!log.contains("NoClassDefFoundError") && !log.contains("quicktheories"), log);
        assertTrue(Files.isRegularFile(out.resolve("figure-2-kernel-entropy.csv")), log);
        assertTrue(Files.isRegularFile(out.resolve("figure-6b-attention-maps.csv")), log);
    }
}
