package org.isentropic.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.isentropic.verification.Theories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.SourceDSL;

/**
 * {@code isentropic cosscale}: bad options named as typed, sizes refused up front, and the large-n
 * approximations of the entropy never printed outside [0, ln n] (flagged instead).
 */
class CosscaleFaultsTest {

    @TempDir
    Path dir;

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        Cli cli = new Cli(dir);
        for (String bad : TheoryCommandsFaults.BAD_POSITIVE) {
            cli.assertRefused(2, "--scales", "cosscale", "--scales", "1," + bad);
            cli.assertRefused(2, "--delta", "cosscale", "--table", "concentration", "--delta", bad);
        }
        cli.assertRefused(2, "--table", "cosscale", "--table", "nope");
        cli.assertRefused(2, "--samples", "cosscale", "--samples", "1");
        cli.assertRefused(2, "--head-dim", "cosscale", "--head-dim", "1");
        cli.assertRefused(2, "--head-dim", "cosscale", "--table", "window", "--head-dim", "31");
        cli.assertRefused(2, "--neighbour-correlation", "cosscale", "--table", "window", "--neighbour-correlation", "1");
        cli.assertRefused(2, "--query-key-correlation", "cosscale", "--table", "window", "--query-key-correlation", "-0.1");
        cli.assertRefused(2, "--rope-base", "cosscale", "--table", "window", "--rope-base", "0.5");
        cli.assertRefused(2, "--eps", "cosscale", "--table", "window", "--eps", "1");
        cli.assertRefused(2, "--half-width", "cosscale", "--table", "window", "--half-width", "-1");
        cli.assertRefused(2, "--target-entropy", "cosscale", "--table", "target", "--lengths", "64",
                "--target-entropy", "4.2");
        cli.assertRefused(2, "--lengths", "cosscale", "--table", "target", "--lengths", "1");
        // was: "standardError must be >= 0, got NaN"
        cli.assertRefused(2, "--target-entropy", "cosscale", "--table", "target", "--lengths", "64", "--samples", "2",
                "--target-entropy", "1e-300");
    }

    @Test
    void sizesBeyondTheHeapOrAJavaArrayAreRefusedUpFront() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.assertRefused(2, "--lengths", "cosscale", "--lengths", "2147483647");
        assertTrue(r.err().contains("ISENTROPIC_JAVA_OPTS=-Xmx"), r.err());
        cli.assertRefused(2, "--lengths", "cosscale", "--table", "maxcos", "--lengths", "1000000000");
        cli.assertRefused(2, "--lengths", "cosscale", "--table", "window", "--lengths", "100000000");
        cli.assertRefused(2, "--lengths", "cosscale", "--table", "target", "--lengths", "500000000");
        cli.assertRefused(2, "--lengths", "cosscale", "--table", "concentration", "--lengths", "2147483647");
    }

    @Test
    void approximateEntropiesAreInRangeOrFlagged() {
        Theories.check("cosscale prints mean-field and Laplace entropies in [0, ln n] or flags them", 25, 250,
                SourceDSL.doubles().between(0, 5).zip(SourceDSL.integers().between(2, 4096), (e, n) -> new double[] {e, n}),
                c -> {
                    String s = String.format(Locale.ROOT, "%.6g", Math.pow(10, c[0]));
                    int n = (int) c[1];
                    Cli.Result r = Cli.run("cosscale", "--scales", s, "--lengths", "" + n, "--samples", "2",
                            "--head-dim", "64");
                    assertEquals(0, r.code(), r.err());
                    List<String> lines = r.out().lines().toList();
                    assertEquals("length,s,entropy_mc,standard_error,mean_field,laplace,ln_n,flags", lines.get(0));
                    String[] cells = lines.get(1).split(",", -1);
                    for (int col : new int[] {4, 5}) {
                        double h = Double.parseDouble(cells[col]);
                        String name = col == 4 ? "mean_field" : "laplace";
                        if (Double.isNaN(h)) {
                            assertTrue(cells[7].contains(name), lines.get(1));
                        } else {
                            assertTrue(h >= 0 && h <= Math.log(n) + 1e-4, lines.get(1));
                            assertTrue(!cells[7].contains(name), lines.get(1));
                        }
                    }
                });
        // the reported case: s = 10000 gave -274 nats
        Cli.Result r = Cli.run("cosscale", "--scales", "10000", "--lengths", "64,512", "--samples", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains(",-"), r.out());
        assertTrue(r.out().contains("mean_field<0 laplace<0"), r.out());
    }
}
