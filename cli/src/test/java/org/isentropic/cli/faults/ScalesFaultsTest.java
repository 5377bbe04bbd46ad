package org.isentropic.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isentropic.verification.Theories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.SourceDSL;

/** {@code isentropic scales}: every bad option value named as typed; every accepted request finite. */
class ScalesFaultsTest {

    @TempDir
    Path dir;

    @Test
    void badOptionValuesAreRefusedNamingTheOption() throws Exception {
        Cli cli = new Cli(dir);
        for (String bad : TheoryCommandsFaults.BAD_COUNTS) {
            cli.assertRefused(2, "--lengths", "scales", "--lengths", "64," + bad);
            cli.assertRefused(2, "--head-dim", "scales", "--head-dim", bad);
            cli.assertRefused(2, "--llama4-f", "scales", "--llama4-f", bad);
        }
        for (String bad : List.of("1", "0", "-5", "x")) {
            cli.assertRefused(2, "--train-length", "scales", "--train-length", bad);
        }
        for (String bad : TheoryCommandsFaults.BAD_POSITIVE) {
            cli.assertRefused(2, "--ssmax-scale", "scales", "--ssmax-scale", bad);
        }
        for (String bad : List.of("-0.5", "NaN", "Infinity")) {
            cli.assertRefused(2, "--llama4-a", "scales", "--llama4-a", bad);
        }
        cli.assertRefused(2, "--rules", "scales", "--rules", "infoscale,nope");
        cli.assertRefused(2, "--rules", "scales", "--rules", "derived");
        cli.assertRefused(2, "--format", "scales", "--format", "xml");
        Path file = Files.writeString(dir.resolve("f"), "x");
        cli.assertRefused(2, "--out", "scales", "--out", file.toString());
        cli.assertRefused(2, "--out", "scales", "--out", file.resolve("sub").toString());
        cli.assertRefused(2, "--train-length", "scales", "--train-length", "1", "--out", dir.resolve("new").toString());
    }

    @Test
    void everyAcceptedRequestPrintsFiniteFactors() {
        Theories.check("scales prints a finite factor for every rule at any length", 40, 400,
                SourceDSL.integers().between(2, Integer.MAX_VALUE).zip(SourceDSL.integers().between(1, Integer.MAX_VALUE),
                        SourceDSL.integers().between(1, 1 << 16), (n, len, d) -> new int[] {n, len, d}),
                c -> {
                    Cli.Result r = Cli.run("scales", "--train-length", "" + c[0], "--lengths", c[1] + ",1," + c[0],
                            "--head-dim", "" + c[2]);
                    assertEquals(0, r.code(), r.err());
                    for (String line : r.out().lines().skip(1).toList()) {
                        for (String cell : line.split(",")) {
                            double x = Double.parseDouble(cell);
                            assertTrue(Double.isFinite(x) && x >= 0, line);
                        }
                    }
                });
    }
}
