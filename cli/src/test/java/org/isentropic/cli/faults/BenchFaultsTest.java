package org.isentropic.cli.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isentropic bench}: bad options and an unusable {@code --out} are refused before any JMH run. */
class BenchFaultsTest {

    @TempDir
    Path dir;

    @Test
    void badRequestsAreRefusedBeforeAnyBenchmarkRuns() throws Exception {
        Cli cli = new Cli(dir);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        cli.assertRefused(2, "--out", "bench", "--quick", "--out", file.toString());
        cli.assertRefused(2, "--out", "bench", "--quick", "--out", file.resolve("sub").toString());
        cli.assertRefused(2, "--table", "bench", "--quick", "--table", "nope", "--out", dir.resolve("new").toString());
        cli.assertRefused(2, "--forks", "bench", "--quick", "--forks", "0", "--out", dir.resolve("new").toString());
    }
}
