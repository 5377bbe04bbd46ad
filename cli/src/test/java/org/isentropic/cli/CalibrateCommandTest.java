package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isentropic calibrate} on .npy files written by numpy ({@code src/test/resources/calibrate/}, made
 * by {@code make_fixture.py} there), against two independent computations: the oracle factor numpy found by
 * bisection with float64 softmax entropies ({@code expected.csv}), and, for head 0 (Gaussian q and k, so
 * directions uniform on the sphere, cosine logits), theory's derived factor, which solves the same entropy
 * condition by Monte Carlo on sphere keys.
 */
class CalibrateCommandTest extends InProcessCommandTest {

    /**
     * float32 inputs and kernel entropies against numpy's float64: entropies agree to ~1e-6 relative; the
     * factor to about that over |d ln H / d ln f| (~0.5 here), so 1e-4 relative is a loose bound that a wrong
     * window, scale or entropy formula breaks by orders of magnitude.
     */
    static final double ORACLE_RELATIVE = 1e-4;
    static final double ENTROPY_ABSOLUTE = 1e-4;


    static Path fixture(String name) throws URISyntaxException {
        return Path.of(CalibrateCommandTest.class.getClassLoader().getResource("calibrate/" + name).toURI());
    }

    private int calibrate(Path dir, String... extra) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("calibrate", "--q", fixture("q.npy").toString(), "--k",
                fixture("k.npy").toString(), "--logits", "cosine", "--cos-scale", "8", "--train-length", "64",
                "--lengths", "128,256,512", "--resamples", "400", "--samples", "4000"));
        if (dir != null) {
            a.add("--out");
            a.add(dir.toString());
        }
        a.addAll(List.of(extra));
        return run(a.toArray(String[]::new));
    }

    @Test
    void oracleMatchesNumpyAndDerivedMatchesItOnSphereKeys(@TempDir Path dir) throws Exception {
        assertEquals(0, calibrate(dir), err.toString());
        List<String> lines = Files.readAllLines(dir.resolve("calibrate.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, String[]> byKey = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            byKey.put(f[header.indexOf("head")] + "," + f[header.indexOf("length")], f);
        }
        List<String> expected = Files.readAllLines(fixture("expected.csv"));
        assertEquals(7, expected.size());
        for (String e : expected.subList(1, expected.size())) {
            String[] x = e.split(",");
            String[] got = byKey.get(x[0] + "," + x[1]);
            double oracle = Double.parseDouble(got[header.indexOf("oracle")]);
            double expectedOracle = Double.parseDouble(x[4]);
            assertEquals(expectedOracle, oracle, ORACLE_RELATIVE * expectedOracle, e);
            assertEquals(Double.parseDouble(x[2]), Double.parseDouble(got[header.indexOf("entropy_at_N")]),
                    ENTROPY_ABSOLUTE, e);
            assertEquals(Double.parseDouble(x[3]), Double.parseDouble(got[header.indexOf("entropy_standard")]),
                    ENTROPY_ABSOLUTE, e);
            double lo = Double.parseDouble(got[header.indexOf("oracle_lo")]);
            double hi = Double.parseDouble(got[header.indexOf("oracle_hi")]);
            assertTrue(lo < oracle && oracle < hi, "the bootstrap interval contains the estimate: " + String.join(",", got));
            if (x[0].equals("0")) {
                // sphere keys: the derived factor solves the same condition by Monte Carlo; the two agree within
                // their combined errors (derived standard error, oracle bootstrap half-width / 1.96), 4 sigma
                double derived = Double.parseDouble(got[header.indexOf("derived")]);
                double se = Double.parseDouble(got[header.indexOf("derived_se")]);
                double oracleSe = (hi - lo) / (2 * 1.96);
                double tol = 4 * Math.hypot(se, oracleSe);
                assertEquals(oracle, derived, tol, "oracle vs derived on sphere keys: " + String.join(",", got));
            }
        }
        assertEquals(lines.size() - 1, 6, "2 heads x 3 lengths");
    }

    @Test
    void aMissingInputIsAUsageErrorNamingTheOptionAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        assertEquals(2, run("calibrate", "--q", dir.resolve("none.npy").toString(), "--k", dir.resolve("k.npy").toString(),
                "--train-length", "64", "--lengths", "128", "--out", out.toString()));
        assertTrue(err.toString().startsWith("isentropic calibrate: --q: no such file"), err.toString());
        assertEquals(1, err.toString().strip().split("\n").length, err.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void aLengthBeyondTheRowsIsAUsageError(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertEquals(2, calibrate(out, "--lengths", "4096"));
        assertTrue(err.toString().contains("--lengths: each must be in [2, 512]"), err.toString());
        assertEquals(1, err.toString().strip().split("\n").length, err.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void aScaleWithDotLogitsIsAUsageError(@TempDir Path dir) throws Exception {
        assertEquals(2, run("calibrate", "--q", fixture("q.npy").toString(), "--k", fixture("k.npy").toString(),
                "--cos-scale", "8", "--train-length", "64", "--lengths", "128"));
        assertTrue(err.toString().contains("--cos-scale: only with --logits cosine"), err.toString());
    }

    @Test
    void cosineWithoutAScaleUsesTheDefaultScale(@TempDir Path dir) throws Exception {
        String[] common = {"calibrate", "--q", fixture("q.npy").toString(), "--k", fixture("k.npy").toString(),
            "--logits", "cosine", "--lengths", "128", "--resamples", "100", "--samples", "2"};
        assertEquals(0, run(common));
        String byDefault = out.toString();
        out.getBuffer().setLength(0);
        String[] explicit = java.util.Arrays.copyOf(common, common.length + 2);
        explicit[common.length] = "--cos-scale";
        explicit[common.length + 1] = "128";
        assertEquals(0, run(explicit));
        assertEquals(byDefault, out.toString());
    }

    @Test
    void positionsAndMasksComeFromTheKernelsRegistryNamingTheOption() throws Exception {
        String[][] cases = {
            {"--position", "--position", "spiral"},
            {"--rope-base", "--position", "rope", "--rope-base", "1"},
            {"--window", "--window", "8"},
            {"--mask", "--mask", "diagonal"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = java.util.Arrays.copyOf(new String[] {"calibrate", "--q", fixture("q.npy").toString(), "--k",
                fixture("k.npy").toString(), "--lengths", "128"}, 7 + c.length - 1);
            System.arraycopy(c, 1, args, 7, c.length - 1);
            assertEquals(2, run(args), String.join(" ", c));
            assertTrue(err.toString().startsWith("isentropic calibrate: " + c[0]), err.toString());
        }
    }
}
