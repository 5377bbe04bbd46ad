package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.isentropic.base.Json;
import org.isentropic.kernels.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isentropic conform} end to end, with real commands: the examples' Python kernels (a correct
 * InfoScale kernel must pass; the log-n kernel, a kernel off by one in N and one that ignores the causal
 * mask must be caught, shrunk and written out), and shell one-liners that hang, crash, write nothing, or
 * write NaN or the wrong shape. The Python tests are skipped when no python3 is on the PATH.
 */
class ConformCommandTest extends InProcessCommandTest {

    /** The examples' Python kernels (the tests run in the cli module's directory). */
    private static final Path PYTHON = Path.of("..", "examples", "python").toAbsolutePath().normalize();
    private static boolean python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() throws Exception {
        python = onPath("python3") && Files.isRegularFile(PYTHON.resolve("attention.py"));
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String kernel(String script, String... extra) {
        return "python3 " + PYTHON.resolve(script) + " {q} {k} {v} {out} {N}" + (extra.length > 0 ? " " : "")
                + String.join(" ", extra);
    }

    private int conform(String cmd, String... extra) {
        List<String> a = new ArrayList<>(List.of("conform", "--cmd", cmd));
        a.addAll(List.of(extra));
        return run(a.toArray(new String[0]));
    }

    /** Data rows of the CSV on stdout. */
    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        String[] lines = out.toString().split("\n");
        for (int i = 1; i < lines.length; i++) {
            rows.add(lines[i].split(",", -1));
        }
        return rows;
    }

    @Test
    void theCorrectInfoScaleKernelPassesEveryCase() {
        assumeTrue(python, "python3 not on PATH");
        int code = conform(kernel("infoscale_kernel.py"), "--rule", "infoscale", "--train-length", "16",
                "--max-length", "40", "--cases", "9");
        assertEquals(0, code, err.toString());
        List<String[]> rows = rows();
        assertEquals(9, rows.size(), out.toString());
        List<Integer> lengths = new ArrayList<>();
        for (String[] r : rows) {
            assertEquals("pass", r[8], String.join(",", r));
            assertTrue(Double.parseDouble(r[5]) <= Double.parseDouble(r[6]), String.join(",", r));
            lengths.add(Integer.parseInt(r[1]));
        }
        assertTrue(lengths.contains(16) && lengths.contains(40) && lengths.contains(17), lengths.toString());
        assertTrue(err.toString().contains("PASS"), err.toString());
    }

    @Test
    void theCorrectKernelPassesCausalCosineAttentionInPlainPython() {
        assumeTrue(python, "python3 not on PATH");
        int code = conform(kernel("infoscale_kernel.py", "--causal", "--cosine", "16", "--no-numpy"),
                "--rule", "infoscale", "--train-length", "8", "--max-length", "24", "--cases", "8",
                "--mask", "causal", "--logits", "cosine", "--cos-scale", "16", "--format", "json");
        assertEquals(0, code, err.toString());
        assertEquals(8, ((List<?>) Json.parse(out.toString())).size());
    }

    @Test
    void theLogNKernelIsCaughtShrunkAndWrittenAsAReproducer() throws Exception {
        assumeTrue(python, "python3 not on PATH");
        Path repro = dir.resolve("repro");
        int code = conform(kernel("logn_kernel_broken.py", "--no-numpy"), "--rule", "infoscale", "--train-length",
                "16", "--max-length", "48", "--cases", "8", "--out", repro.toString());
        assertEquals(1, code, err.toString());
        for (String f : List.of("q.npy", "k.npy", "v.npy", "expected.npy", "actual.npy", "command.txt", "case.json",
                "REPRODUCE.md", "conform.csv")) {
            assertTrue(Files.isRegularFile(repro.resolve(f)), f + " missing; " + err);
        }
        Map<?, ?> c = (Map<?, ?>) Json.parse(Files.readString(repro.resolve("case.json")));
        assertEquals("wrong values", c.get("failure"));
        long n = (Long) c.get("n");
        long original = (Long) ((Map<?, ?>) c.get("shrunk_from")).get("n");
        assertTrue(n < original && n <= 4, "shrunk n = " + n + " from " + original);
        Npy.Array q = Npy.read(repro.resolve("q.npy"));
        assertEquals(n, q.shape()[0]);
        double[] expected = Npy.read(repro.resolve("expected.npy")).data();
        double[] actual = Npy.read(repro.resolve("actual.npy")).data();
        Map<?, ?> worst = (Map<?, ?>) c.get("worst_element");
        double bound = ((Number) worst.get("bound")).doubleValue();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff > bound, maxDiff + " vs bound " + bound);

        // command.txt reruns the kernel on the reproducer and writes out.npy = actual.npy
        String command = Files.readString(repro.resolve("command.txt")).strip();
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(actual.length), List.of(Npy.read(repro.resolve("out.npy")).data().length));
        double[] rerun = Npy.read(repro.resolve("out.npy")).data();
        for (int i = 0; i < actual.length; i++) {
            assertEquals(actual[i], rerun[i], 0.0);
        }
        assertTrue(out.toString().contains("shrunk"), out.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void aKernelOffByOneInTheTrainingLengthIsCaught() throws IOException {
        assumeTrue(python, "python3 not on PATH");
        // InfoScale with N + 1 for N: 1% off in the factor near n = N, far less at long n
        Path script = subtleKernel("math.sqrt((1 - n ** (-2 / d)) / (1 - (N + 1) ** (-2 / d)))");
        int code = conform("python3 " + script + " {q} {k} {v} {out} {N} --no-numpy", "--rule", "infoscale",
                "--train-length", "16", "--max-length", "40", "--cases", "8");
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("FAIL (wrong values)"), err.toString());
    }

    @Test
    void aKernelThatIgnoresTheCausalMaskIsCaught() {
        assumeTrue(python, "python3 not on PATH");
        int code = conform(kernel("infoscale_kernel.py", "--no-numpy"), "--rule", "infoscale", "--train-length", "8",
                "--max-length", "24", "--cases", "2", "--mask", "causal");
        assertEquals(1, code, err.toString());
    }

    @Test
    void aKernelWithTheWrongRowLengthUnderTheCausalMaskIsCaught() {
        assumeTrue(python, "python3 not on PATH");
        // the kernel uses the sequence length for every row; visible means i + 1 under causal
        int code = conform(kernel("infoscale_kernel.py", "--causal", "--no-numpy"), "--rule", "infoscale",
                "--train-length", "8", "--max-length", "24", "--cases", "2", "--mask", "causal", "--n-mode", "visible");
        assertEquals(1, code, err.toString());
        code = conform(kernel("infoscale_kernel.py", "--causal", "--no-numpy"), "--rule", "infoscale",
                "--train-length", "8", "--max-length", "24", "--cases", "6", "--mask", "causal", "--n-mode", "sequence");
        assertEquals(0, code, err.toString());
    }

    @Test
    void aWrongShapeIsAFailureWithAClearMessage() throws IOException {
        assumeTrue(python, "python3 not on PATH");
        Path script = readingKernel("transposed.py",
                "write_npy(sys.argv[4], dv, n, [0.0] * (n * dv))  # dv x n instead of n x dv");
        int code = conform("python3 " + script + " {q} {k} {v} {out}", "--rule", "standard", "--train-length", "8",
                "--cases", "1", "--out", dir.resolve("o").toString());
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("wrote an output of shape"), err.toString());
        assertTrue(err.toString().contains("= (n, dv)"), err.toString());
        assertFalse(Files.exists(dir.resolve("o").resolve("actual.npy")));
        assertTrue(Files.exists(dir.resolve("o").resolve("expected.npy")));
    }

    @Test
    void aCommandThatHangsIsStoppedAtTheTimeout() {
        long start = System.nanoTime();
        int code = conform("sh -c 'sleep 30' sh {q} {k} {v} {out}", "--rule", "infoscale", "--train-length", "8",
                "--cases", "3", "--timeout", "0.5", "--out", dir.resolve("o").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, code, err.toString());
        assertTrue(seconds < 20, "took " + seconds + " s");
        assertTrue(err.toString().contains("did not finish within the timeout of 0.5 s"), err.toString());
        assertTrue(err.toString().contains("not shrinking"), err.toString());
        assertTrue(Files.exists(dir.resolve("o").resolve("case.json")));
        assertEquals(1, rows().size(), out.toString());
        assertEquals("timed out", rows().get(0)[8]);
    }

    @Test
    void aCrashIsAFailureThatShowsTheCommandsStderrAndNoStackTrace() {
        int code = conform("sh -c 'echo kernel exploded >&2; exit 3' sh {q} {k} {v} {out}", "--rule", "infoscale",
                "--cases", "2");
        assertEquals(1, code, err.toString());
        String e = err.toString();
        assertTrue(e.contains("exited with status 3") && e.contains("kernel exploded"), e);
        assertTrue(e.contains("on n = 1, d = 1, dv = 1"), e);   // shrunk all the way: the crash does not depend on the case
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
    }

    @Test
    void noOutputAndNonFiniteOutputAreFailures() throws IOException {
        assertEquals(1, conform("true {q} {k} {v} {out}", "--rule", "infoscale", "--cases", "1"), err.toString());
        assertTrue(err.toString().contains("wrote no {out} file"), err.toString());

        assumeTrue(python, "python3 not on PATH");
        Path script = readingKernel("nan.py", "write_npy(sys.argv[4], n, dv, [float('nan')] * (n * dv))");
        assertEquals(1, conform("python3 " + script + " {q} {k} {v} {out}", "--rule", "infoscale", "--cases", "1"));
        assertTrue(err.toString().contains("wrote NaN"), err.toString());
    }

    @Test
    void aPassingRunRemovesTheReproducerOfAnEarlierFailingRunOnly() throws IOException {
        assumeTrue(python, "python3 not on PATH");
        Path o = dir.resolve("o");
        assertEquals(1, conform(kernel("logn_kernel_broken.py", "--no-numpy"), "--rule", "infoscale",
                "--train-length", "8", "--max-length", "16", "--cases", "3", "--out", o.toString()), err.toString());
        Files.writeString(o.resolve("notes.txt"), "mine");
        assertTrue(Files.exists(o.resolve("q.npy")));
        assertEquals(0, conform(kernel("infoscale_kernel.py", "--no-numpy"), "--rule", "infoscale",
                "--train-length", "8", "--max-length", "16", "--cases", "3", "--out", o.toString()), err.toString());
        assertFalse(Files.exists(o.resolve("q.npy")) || Files.exists(o.resolve("case.json")));
        assertTrue(Files.exists(o.resolve("notes.txt")) && Files.exists(o.resolve("conform.csv")));
    }

    @Test
    void badOptionsExitWith2NamingTheOptionBeforeAnyWork() {
        String ok = "python3 kernel.py {q} {k} {v} {out}";
        String[][] cases = {
            {"--cmd", "python3 kernel.py {q} {k} {v}", "--rule", "infoscale"},
            {"--cmd", "python3 kernel.py {q} {k} {v} {out} {x}", "--rule", "infoscale"},
            {"--cmd", "python3 kernel.py {q} {k} {v} {out} > log", "--rule", "infoscale"},
            {"--cmd", "python3 'kernel.py {q} {k} {v} {out}", "--rule", "infoscale"},
            {"--cmd", "no-such-program-here {q} {k} {v} {out}", "--rule", "infoscale"},
            {"--cmd", ok, "--rule", "isentropic"},
            {"--cmd", ok, "--rule", "nope"},
            {"--cmd", ok, "--rule", "infoscale", "--mask", "window"},
            {"--cmd", ok, "--rule", "infoscale", "--cos-scale", "8"},
            {"--cmd", ok, "--rule", "infoscale", "--n-mode", "rows"},
            {"--cmd", ok, "--rule", "infoscale", "--train-length", "1"},
            {"--cmd", ok, "--rule", "infoscale", "--max-length", "10"},
            {"--cmd", ok, "--rule", "infoscale", "--cases", "0"},
            {"--cmd", ok, "--rule", "infoscale", "--timeout", "0"},
            {"--cmd", ok},
        };
        String[] named = {"--cmd", "--cmd", "--cmd", "--cmd", "--cmd", "--rule", "--rule", "--mask", "--cos-scale",
            "--n-mode", "--train-length", "--max-length", "--cases", "--timeout", "--rule"};
        for (int i = 0; i < cases.length; i++) {
            List<String> a = new ArrayList<>(List.of("conform"));
            a.addAll(List.of(cases[i]));
            int code = run(a.toArray(new String[0]));
            String e = err.toString();
            assertEquals(2, code, String.join(" ", a) + ": " + e);
            assertEquals(1, e.strip().split("\n").length, e);
            assertTrue(e.contains(named[i]), named[i] + " not named: " + e);
            assertFalse(e.contains("conform: case"), e);
            assertEquals("", out.toString());
        }
    }

    @Test
    void helpDescribesTheContract() {
        assertEquals(0, run("conform", "--help"));
        String help = out.toString();
        for (String s : List.of("{q} {k} {v} {out}", "float32", "--timeout", "--max-length", "reproducer",
                "Exit status: 0")) {
            assertTrue(help.contains(s), s + " missing from --help");
        }
    }

    /**
     * A kernel script {@code name} in the test's directory that reads q (n x d) and v (nv x dv) with the
     * examples' attention module, then runs {@code lastLine} (which writes {out}, argv[4]).
     */
    private Path readingKernel(String name, String lastLine) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, String.join("\n",
                "import sys",
                "sys.path.insert(0, " + pyString(PYTHON) + ")",
                "from attention import read_npy, write_npy",
                "n, d, q = read_npy(sys.argv[1])",
                "nv, dv, v = read_npy(sys.argv[3])",
                lastLine,
                ""));
        return script;
    }

    private Path subtleKernel(String factor) throws IOException {
        Path script = dir.resolve("subtle.py");
        Files.writeString(script, String.join("\n",
                "import math, sys",
                "sys.path.insert(0, " + pyString(PYTHON) + ")",
                "from attention import main",
                "main(lambda n, N, d: " + factor + ", 'a subtly wrong kernel')",
                ""));
        return script;
    }

    private static String pyString(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
