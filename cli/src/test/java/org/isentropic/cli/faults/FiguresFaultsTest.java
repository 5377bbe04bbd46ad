package org.isentropic.cli.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isentropic figures} and {@code reproduce}: every bad option or unusable {@code --out} is refused
 * before any figure runs and before the output directory is created.
 */
class FiguresFaultsTest {

    @TempDir
    Path dir;

    @Test
    void badRequestsCreateNothing() throws Exception {
        Cli cli = new Cli(dir);
        String fresh = dir.resolve("out/new").toString();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String command : new String[] {"figures", "reproduce"}) {
            cli.assertRefused(2, "--threads", command, "--threads", "0", "--out", fresh);
            cli.assertRefused(2, "--out", command, "--out", file.toString());
            cli.assertRefused(2, "--out", command, "--out", file.resolve("sub").toString());
            cli.assertRefused(2, "--seed", command, "--seed", "x", "--out", fresh);
            cli.assertRefused(2, "--format", command, "--format", "xml", "--out", fresh);
        }
        // was: the directory was created before the failure
        cli.assertRefused(2, "--only", "figures", "--only", "99", "--out", fresh);
        cli.assertRefused(2, "--only", "figures", "--only", "1,0", "--out", fresh);
        cli.assertRefused(2, "--only", "figures", "--only", "x", "--out", fresh);
    }
}
