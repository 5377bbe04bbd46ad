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
 * {@code isentropic derive}: bad options named as typed (not as the solver's fields), degenerate base
 * entropies rejected, sizes refused up front, and imprecise derived factors flagged.
 */
class DeriveFaultsTest {

    @TempDir
    Path dir;

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        Cli cli = new Cli(dir);
        for (String bad : TheoryCommandsFaults.BAD_POSITIVE) {
            cli.assertRefused(2, "--base-scale", "derive", "--base-scale", "1," + bad);
            cli.assertRefused(2, "--q-norm", "derive", "--model", "gaussian", "--q-norm", bad);
        }
        for (String bad : TheoryCommandsFaults.BAD_COUNTS) {
            cli.assertRefused(2, "--lengths", "derive", "--lengths", bad);
        }
        cli.assertRefused(2, "--head-dim", "derive", "--head-dim", "1");
        cli.assertRefused(2, "--samples", "derive", "--samples", "1");
        cli.assertRefused(2, "--train-length", "derive", "--train-length", "1");
        cli.assertRefused(2, "--condition", "derive", "--condition", "nope");
        cli.assertRefused(2, "--model", "derive", "--model", "nope");
        cli.assertRefused(2, "--decay", "derive", "--model", "anisotropic", "--decay", "0");
        cli.assertRefused(2, "--focus-cosine", "derive", "--model", "planted", "--focus-cosine", "2");
        cli.assertRefused(2, "--focus-count", "derive", "--model", "planted", "--focus-count", "0");
        // was: "trainLength must be >= 100, got 64"
        Cli.Result planted = cli.assertRefused(2, "--train-length", "derive", "--model", "planted", "--focus-count", "100");
        assertTrue(planted.err().contains("--focus-count"), planted.err());
        cli.assertRefused(2, "--lengths", "derive", "--model", "planted", "--focus-count", "8", "--lengths", "4");
        cli.assertRefused(2, "--lengths", "derive", "--condition", "focused-cap-exact", "--lengths", "1");
        // was: "give exactly one of base scale and base entropy"
        cli.assertRefused(2, "--base-scale", "derive", "--base-scale", "NaN");
        cli.assertRefused(2, "--base-scale", "derive", "--condition", "mean-field", "--base-scale", "10000");
        cli.assertRefused(2, "--base-scale", "derive", "--base-scale", "1", "--base-entropy", "2");
        cli.assertRefused(2, "--model", "derive", "--condition", "planted-focus");
        cli.assertRefused(2, "--base-entropy", "derive", "--condition", "planted-focus", "--model", "planted",
                "--base-entropy", "1");
        cli.assertRefused(2, "--model", "derive", "--condition", "focused-cap-exact", "--model", "anisotropic");
    }

    @Test
    void aBaseEntropyAtOrAboveLnNIsRejected() {
        Cli cli = new Cli(dir);
        Theories.check("derive rejects a base entropy at or above ln N", 20, 200,
                SourceDSL.integers().between(2, 1 << 20).zip(SourceDSL.doubles().between(0, 10), (n, extra) ->
                        new double[] {n, extra}),
                c -> {
                    int n = (int) c[0];
                    double h = Math.log(n) + c[1];
                    cli.assertRefused(2, "--base-entropy", "derive", "--condition", "mean-field", "--train-length", "" + n,
                            "--base-entropy", "1e-3," + h, "--lengths", "" + n);
                });
        // the reported value: ln 64 to the last digit
        cli.assertRefused(2, "--base-entropy", "derive", "--base-entropy", "4.1588830833596715");
        cli.assertRefused(2, "--base-entropy", "derive", "--base-entropy", "0");
    }

    @Test
    void sizesBeyondTheHeapOrAJavaArrayAreRefusedUpFront() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.assertRefused(2, "--lengths", "derive", "--lengths", "500000000");
        assertTrue(r.err().contains("--samples"), r.err());
        cli.assertRefused(2, "--lengths", "derive", "--lengths", "64,2147483647", "--samples", "2");
        Cli.Result heap = cli.assertRefused(2, "--lengths", "derive", "--lengths", "1000000000", "--samples", "2");
        assertTrue(heap.err().contains("ISENTROPIC_JAVA_OPTS=-Xmx"), heap.err());
        cli.assertRefused(2, "--head-dim", "derive", "--model", "gaussian", "--head-dim", "100000");
        cli.assertRefused(2, "--head-dim", "derive", "--model", "anisotropic", "--head-dim", "30000");
    }

    @Test
    void everyDerivedFactorIsFiniteAndPreciseOrFlagged() {
        String[] scales = {"1", "32", "10000"};
        for (String s : scales) {
            Cli.Result r = Cli.run("derive", "--base-scale", s, "--head-dim", "16", "--lengths", "64,256,1024",
                    "--samples", "40");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            List<String> header = List.of(lines.get(0).split(","));
            int factor = header.indexOf("factor");
            int se = header.indexOf("standard_error");
            int flags = header.indexOf("flags");
            assertEquals(header.size() - 1, flags, lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                double f = Double.parseDouble(cells[factor]);
                double e = Double.parseDouble(cells[se]);
                boolean precise = Double.isFinite(f) && Double.isFinite(e) && e <= 0.1 * Math.abs(f);
                assertEquals(precise, cells[flags].isEmpty(), s + ": " + line);
            }
            if (s.equals("10000")) {
                // entropy near 0 at N: the condition barely constrains lambda at s = 1e4
                assertTrue(r.out().toLowerCase(Locale.ROOT).contains("se>"), r.out());
            }
        }
    }
}
