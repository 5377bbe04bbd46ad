package org.isentropic.benchmarks.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Environment variables for a JMH fork. JMH starts each fork with the parent's environment and offers no
 * option to change it, but it does let the run name the java executable: this class writes (once per
 * setting, into a temporary directory removed at exit) a small POSIX shell launcher that adjusts the
 * environment and then runs this JVM's own java binary with the fork's arguments.
 *
 * <p>OpenBLAS reads {@code OPENBLAS_NUM_THREADS} once, when the library loads, so it has to be in the fork's
 * environment. {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, which some machines set for older
 * OpenBLAS builds and which pin a current one to slower kernels, are removed so that the library picks its
 * kernels for the CPU it detects (as a NumPy user's would).
 */
final class ForkEnvironment {

    private static final Map<Integer, Path> LAUNCHERS = new ConcurrentHashMap<>();

    private ForkEnvironment() {
    }

    /** A java launcher whose processes run OpenBLAS with {@code threads} threads. */
    static Path openBlasLauncher(int threads) {
        return LAUNCHERS.computeIfAbsent(threads, ForkEnvironment::write);
    }

    private static Path write(int threads) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "#!/bin/sh\n"
                + "unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE\n"
                + "OPENBLAS_NUM_THREADS=" + threads + "\n"
                + "export OPENBLAS_NUM_THREADS\n"
                + "exec '" + java.toString().replace("'", "'\\''") + "' \"$@\"\n";
        try {
            Path dir = Files.createTempDirectory("isentropic-bench-");
            dir.toFile().deleteOnExit(); // registered first, deleted last (after the file)
            Path file = dir.resolve("java-openblas-t" + threads);
            file.toFile().deleteOnExit();
            Files.writeString(file, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fork launcher for OpenBLAS", e);
        }
    }
}
