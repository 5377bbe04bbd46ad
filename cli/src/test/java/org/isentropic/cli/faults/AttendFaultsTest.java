package org.isentropic.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.io.Npy;
import org.isentropic.verification.Theories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * {@code isentropic attend} under the faults the output policy covers: outputs that are inputs or each other, outputs
 * that cannot be written, malformed and oversized inputs, finite inputs whose float32 result overflows,
 * rules that are 0 at n = 1, and option values the library would report by its field names.
 */
class AttendFaultsTest {

    private static final int LENGTH = 6;
    private static final int D = 4;
    private static final int DV = 2;

    @TempDir
    Path dir;

    private Cli cli;
    private Path q;
    private Path k;
    private Path v;

    @BeforeEach
    void inputs() {
        cli = new Cli(dir);
        SplittableRandom r = new SplittableRandom(Seeds.seed());
        q = write("q.npy", LENGTH, D, r, 1);
        k = write("k.npy", LENGTH, D, r, 1);
        v = write("v.npy", LENGTH, DV, r, 1);
    }

    private Path write(String name, int rows, int cols, SplittableRandom r, double scale) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        Path p = dir.resolve(name);
        Npy.write(p, new int[] {rows, cols}, x);
        return p;
    }

    private String[] attend(String... extra) {
        List<String> a = new ArrayList<>(List.of("attend", "--q", q.toString(), "--k", k.toString(), "--v", v.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void anOutputThatIsAnInputOrAnotherOutputIsRefusedBeforeAnyWork() throws IOException {
        Path linkToQ = Files.createSymbolicLink(dir.resolve("link-to-q.npy"), q);
        Path hardK = Files.createLink(dir.resolve("hard-k.npy"), k);
        Path chain = Files.createSymbolicLink(dir.resolve("link-to-link.npy"), linkToQ);
        List<Path> taken = List.of(q, k, v, linkToQ, hardK, chain, dir.resolve("sub/../v.npy"));
        Path fresh = dir.resolve("fresh.npy");
        // --out-o: an input (any spelling), or fresh; --out-probs: an input, the same as --out-o, or fresh
        Gen<int[]> choice = SourceDSL.integers().between(0, taken.size()).zip(
                SourceDSL.integers().between(0, taken.size() + 1), (a, b) -> new int[] {a, b});
        Files.createDirectories(dir.resolve("sub"));
        Theories.check("attend refuses an output that is an input or another output, changing nothing", 30, 300,
                choice, c -> {
                    Path o = c[0] < taken.size() ? taken.get(c[0]) : fresh;
                    Path p = c[1] < taken.size() ? taken.get(c[1]) : c[1] == taken.size() ? o : dir.resolve("p.npy");
                    String option = c[0] < taken.size() ? "--out-o" : "--out-probs";
                    if (c[0] == taken.size() && c[1] > taken.size()) {
                        return; // both outputs are fresh and distinct: a valid request
                    }
                    Cli.Result r = cli.assertRefused(2, option, attend("--out-o", o.toString(), "--out-probs", p.toString()));
                    assertTrue(r.err().contains("same file as the input") || r.err().contains("also the output of"),
                            r.err());
                });
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        Files.createDirectories(dir.resolve("a-directory"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.npy"), dir.resolve("nowhere/x.npy"));
        cli.assertRefused(2, "--out-o", attend("--out-o", dir.resolve("missing/o.npy").toString()));
        cli.assertRefused(2, "--out-o", attend("--out-o", dir.resolve("a-directory").toString()));
        cli.assertRefused(2, "--out-o", attend("--out-o", dangling.toString()));
        cli.assertRefused(2, "--out-probs", attend("--out-probs", file.resolve("p.npy").toString()));
        cli.assertRefused(2, "--out", attend("--out", file.toString()));
        cli.assertRefused(2, "--out", attend("--out", file.resolve("sub").toString()));
        cli.assertRefused(2, "--out-o", attend("--out-o", "/dev/null/o.npy"));
        if (Files.isDirectory(Path.of("/proc/self"))) {
            // a pseudo file system that access(2) calls writable for root: caught by the probe
            cli.assertRefused(2, "--out", attend("--out", "/proc/isentropic-out"));
            cli.assertRefused(2, "--out-o", attend("--out-o", "/proc/isentropic-o.npy"));
        }
        // bad input with a new --out directory: the directory is not created
        cli.assertRefused(2, "--q", "attend", "--q", dir.resolve("nope.npy").toString(), "--k", k.toString(), "--v",
                v.toString(), "--out", dir.resolve("new/dir").toString(), "--out-o", dir.resolve("o.npy").toString());
        cli.assertRefused(2, "--threads", attend("--threads", "0", "--out", dir.resolve("new").toString()));
    }

    @Test
    void aReadOnlyDirectoryIsRefusedBeforeAnyWork() throws IOException {
        assumeFalse(Cli.root(), "root writes anywhere: permissions cannot be tested");
        Path ro = Files.createDirectories(dir.resolve("read-only"));
        assertTrue(ro.toFile().setWritable(false, false));
        try {
            cli.assertRefused(2, "--out-o", attend("--out-o", ro.resolve("o.npy").toString()));
            cli.assertRefused(2, "--out", attend("--out", ro.resolve("sub").toString()));
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void malformedDeviceAndOversizedInputsAreRefusedNamingTheirOption() throws Exception {
        byte[] good = Files.readAllBytes(k);
        Map<String, byte[]> bad = Map.of(
                "truncated.npy", java.util.Arrays.copyOf(good, good.length - 5),
                "text.npy", "just text".getBytes(StandardCharsets.UTF_8),
                "empty.npy", new byte[0],
                "extra-key.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), 'x': 1}", 96),
                "three-d.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", 96),
                "wrong-rows.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 4), }", 80),
                "duplicate.npy", header("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), 'shape': (6, 5)}", 96));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path f = Files.write(dir.resolve(e.getKey()), e.getValue());
            cli.assertRefused(2, "--k", "attend", "--q", q.toString(), "--k", f.toString(), "--v", v.toString());
            Files.delete(f);
        }
        cli.assertRefused(2, "--k", "attend", "--q", q.toString(), "--k", dir.toString(), "--v", v.toString());
        cli.assertRefused(2, "--q", "attend", "--q", "/dev/zero", "--k", k.toString(), "--v", v.toString());
        Path fifo = dir.resolve("fifo.npy");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            cli.assertRefused(2, "--v", "attend", "--q", q.toString(), "--k", k.toString(), "--v", fifo.toString());
        }
        Cli.Result missing = cli.assertRefused(2, "--q", "attend", "--q", dir.resolve("nope.npy").toString(), "--k",
                k.toString(), "--v", v.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());
        // generated garbage after a valid magic string and version
        Theories.check("attend refuses a .npy with a garbled header in one line naming the option", 40, 400,
                SourceDSL.integers().between(0, Integer.MAX_VALUE), seed -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] b = good.clone();
                    int flips = 1 + r.nextInt(6);
                    for (int i = 0; i < flips; i++) {
                        b[10 + r.nextInt(60)] = (byte) " ',:(){}0123456789xLTrueFalse\n".charAt(r.nextInt(30));
                    }
                    Path f = dir.resolve("garbled.npy");
                    try {
                        Files.write(f, b);
                        Cli.Result res = Cli.run("attend", "--q", q.toString(), "--k", f.toString(), "--v", v.toString());
                        if (res.code() == 2) {
                            Cli.assertOneLineNaming(res, "--k", res.err());
                        } else if (res.code() == 1) {
                            // a header that still parses may turn the data into huge finite floats
                            Cli.assertOneLineNaming(res, "--q, --k", res.err());
                        } else {
                            assertEquals(0, res.code(), res.err());
                        }
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A version-1.0 .npy with the given dict and {@code dataBytes} zero bytes of data. */
    private static byte[] header(String dict, int dataBytes) {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    @Test
    void aSparseFileDeclaringMoreThanTheHeapIsRefusedBeforeReadingIt() throws IOException {
        // (1, 500000000) float32 with a file of the right size: 2 GB on disk as a hole, nothing to read.
        long count = 500_000_000L;
        // outside the snapshot (hashing 2 GB of a hole would only measure the disk); checked by size and time
        Path big = Files.createTempFile("isentropic-sparse", ".npy");
        big.toFile().deleteOnExit();
        byte[] h = header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 500000000), }", 0);
        Files.write(big, h);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(h.length + 4 * count);
        }
        Path v1 = write("v1.npy", 1, 1, new SplittableRandom(1), 1);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(big);
        try {
            Cli.Result r = cli.assertRefused(2, "--q, --k, --v", "attend", "--q", big.toString(), "--k", big.toString(),
                    "--v", v1.toString(), "--out-o", dir.resolve("o.npy").toString());
            assertTrue(r.err().contains("ISENTROPIC_JAVA_OPTS=-Xmx"), r.err());
            assertEquals(h.length + 4 * count, Files.size(big));
            assertEquals(modified, Files.getLastModifiedTime(big));
        } finally {
            Files.delete(big);
        }
        // declared larger than the file: refused from the header
        Path lying = Files.write(dir.resolve("lying.npy"),
                header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 500000000), }", 16));
        Cli.Result t = cli.assertRefused(2, "--q", "attend", "--q", lying.toString(), "--k", k.toString(), "--v",
                v.toString());
        assertTrue(t.err().contains("truncated data"), t.err());
    }

    @Test
    void finiteInputsGiveFiniteRightResultsOrARefusalNamingTheInput() {
        Gen<int[]> exponents = SourceDSL.integers().between(0, 25).zip(SourceDSL.integers().between(0, 38),
                SourceDSL.integers().between(0, 1), (a, b, c) -> new int[] {a, b, c});
        Theories.check("attend on finite inputs prints finite, correct numbers or exits 1 naming the input", 25, 250,
                exponents, e -> {
                    SplittableRandom r = new SplittableRandom(31L * e[0] + e[1]);
                    Path qq = write("qq.npy", LENGTH, D, r, Math.pow(10, e[0]));
                    Path kk = write("kk.npy", LENGTH, D, r, Math.pow(10, e[0]));
                    Path vv = write("vv.npy", LENGTH, DV, r, 3.4 * Math.pow(10, e[1]));
                    boolean cosine = e[2] == 1;
                    Path o = dir.resolve("o.npy");
                    Map<String, String> before = cli.snapshot();
                    List<String> args = new ArrayList<>(List.of("attend", "--q", qq.toString(), "--k", kk.toString(),
                            "--v", vv.toString(), "--out-o", o.toString()));
                    if (cosine) {
                        args.addAll(List.of("--logits", "cosine", "--cos-scale", "1e" + (e[0] + 13)));
                    }
                    Cli.Result res = Cli.run(args.toArray(new String[0]));
                    if (res.code() == 1) {
                        Cli.assertOneLineNaming(res, "--", res.err());
                        assertTrue(res.err().matches("(?s).*(--q, --k|--v|--cos-scale): row \\d+.*"), res.err());
                        assertEquals(before, cli.snapshot(), "a refused run changed files");
                        return;
                    }
                    assertEquals(0, res.code(), res.err());
                    double[] expected = logSumExp(Npy.read(qq).data(), Npy.read(kk).data(), cosine, e[0] + 13);
                    List<String> lines = res.out().lines().toList();
                    assertEquals(LENGTH + 1, lines.size(), res.out());
                    for (int i = 0; i < LENGTH; i++) {
                        String[] cells = lines.get(i + 1).split(",");
                        double h = Double.parseDouble(cells[1]);
                        double lse = Double.parseDouble(cells[2]);
                        assertTrue(h >= 0 && h <= Math.log(LENGTH) + 1e-5, lines.get(i + 1));
                        // float32 logits: relative error a few units of 2^-24 of the largest logit
                        assertEquals(expected[i], lse, 1e-5 * Math.max(1, Math.abs(expected[i])) + 1e-6, lines.get(i + 1));
                    }
                    float[] out = Npy.read(o).toFloats();
                    double[] vals = Npy.read(vv).data();
                    for (int i = 0; i < out.length; i++) {
                        int c = i % DV;
                        double lo = Double.MAX_VALUE;
                        double hi = -Double.MAX_VALUE;
                        for (int j = 0; j < LENGTH; j++) {
                            lo = Math.min(lo, vals[j * DV + c]);
                            hi = Math.max(hi, vals[j * DV + c]);
                        }
                        // O is a convex combination of the values (up to float rounding)
                        double slack = 1e-5 * Math.max(Math.abs(lo), Math.abs(hi));
                        assertTrue(Float.isFinite(out[i]) && out[i] >= lo - slack && out[i] <= hi + slack,
                                "O[" + i + "] = " + out[i] + " outside [" + lo + ", " + hi + "]");
                    }
                    try {
                        Files.delete(o);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
    }

    /** logsumexp of each row of q.k / sqrt(d) (or s cos), in double, from the float32 inputs. */
    private static double[] logSumExp(double[] qd, double[] kd, boolean cosine, int scaleExponent) {
        double[] lse = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            double[] z = new double[LENGTH];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < LENGTH; j++) {
                double dot = 0;
                double qq = 0;
                double kk = 0;
                for (int c = 0; c < D; c++) {
                    dot += qd[i * D + c] * kd[j * D + c];
                    qq += qd[i * D + c] * qd[i * D + c];
                    kk += kd[j * D + c] * kd[j * D + c];
                }
                z[j] = cosine ? Math.pow(10, scaleExponent) * dot / Math.sqrt(qq * kk) : dot / Math.sqrt(D);
                max = Math.max(max, z[j]);
            }
            double s = 0;
            for (double x : z) {
                s += Math.exp(x - max);
            }
            lse[i] = max + Math.log(s);
        }
        return lse;
    }

    @Test
    void aRowWithOneVisibleKeyIsValidWhateverTheRule() {
        Path q1 = write("q1.npy", 1, D, new SplittableRandom(3), 1);
        Path k1 = write("k1.npy", 1, D, new SplittableRandom(4), 1);
        Path v1 = write("v1.npy", 1, DV, new SplittableRandom(5), 1);
        for (String rule : List.of("infoscale", "logn", "ssmax", "qwen_logn", "standard")) {
            Cli.Result one = Cli.run("attend", "--q", q1.toString(), "--k", k1.toString(), "--v", v1.toString(), "--rule",
                    rule);
            assertEquals(0, one.code(), rule + ": " + one.err());
            assertEquals("0,0.000000,", one.out().lines().toList().get(1).substring(0, 11), one.out());
            for (String[] mode : List.of(new String[] {"--n-mode", "position"},
                    new String[] {"--n-mode", "visible", "--mask", "causal"},
                    new String[] {"--n-mode", "position", "--mask", "causal"})) {
                List<String> args = new ArrayList<>(List.of(attend("--rule", rule)));
                args.addAll(List.of(mode));
                Cli.Result r = Cli.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), rule + " " + String.join(" ", mode) + ": " + r.err());
                for (String line : r.out().lines().skip(1).toList()) {
                    String[] cells = line.split(",");
                    assertTrue(Double.isFinite(Double.parseDouble(cells[1])) && Double.isFinite(Double.parseDouble(cells[2])),
                            line);
                }
            }
        }
    }

    @Test
    void optionValuesAreRefusedNamingTheOptionNotAField() {
        String odd = write("odd.npy", LENGTH, 3, new SplittableRandom(6), 1).toString();
        List<String[]> cases = List.of(
                new String[] {"--threads", "--threads", "0"},
                new String[] {"--threads", "--threads", "1000"},
                new String[] {"--cos-scale", "--logits", "cosine", "--cos-scale", "-1"},
                new String[] {"--cos-scale", "--logits", "cosine", "--cos-scale", "NaN"},
                new String[] {"--cos-scale", "--cos-scale", "8"},
                new String[] {"--logits", "--logits", "sine"},
                new String[] {"--rule", "--rule", "nope"},
                new String[] {"--rule", "--rule", "derived"},
                new String[] {"--n-mode", "--rule", "logn", "--n-mode", "sideways"},
                new String[] {"--n-mode", "--n-mode", "visible"},
                new String[] {"--train-length", "--rule", "infoscale", "--train-length", "1"},
                new String[] {"--head-dim", "--rule", "infoscale", "--head-dim", "0"},
                new String[] {"--half-width", "--mask", "window"},
                new String[] {"--half-width", "--mask", "window", "--half-width", "0"},
                new String[] {"--window", "--mask", "window", "--window", "3"},
                new String[] {"--window", "--mask", "streaming"},
                new String[] {"--sinks", "--mask", "streaming", "--window", "3", "--sinks", "-1"},
                new String[] {"--mask", "--mask", "diagonal"},
                new String[] {"--position", "--position", "spiral"},
                new String[] {"--rope-base", "--position", "rope", "--rope-base", "1"},
                new String[] {"--slope", "--position", "alibi", "--slope", "-2"},
                new String[] {"--train-length", "--position", "pi", "--train-length", "0"},
                new String[] {"--no-such-option", "--no-such-option"});
        for (String[] c : cases) {
            cli.assertRefused(2, c[0], attend(java.util.Arrays.copyOfRange(c, 1, c.length)));
        }
        cli.assertRefused(2, "--q", "attend", "--q", odd, "--k", odd, "--v", v.toString(), "--position", "rope");
        cli.assertRefused(2, "--k", "attend", "--q", q.toString(), "--k", odd, "--v", v.toString());
    }

    @Test
    void verboseAddsTheStackTraceAndNothingElseDoes() {
        Cli.Result plain = Cli.run(attend("--threads", "0"));
        assertEquals(1, plain.errLines().size(), plain.err());
        Cli.Result verbose = Cli.run(attend("--threads", "0", "--verbose"));
        assertEquals(2, verbose.code());
        assertTrue(verbose.errLines().get(0).contains("--threads"), verbose.err());
        assertTrue(verbose.err().contains("\tat org.isentropic."), verbose.err());
        assertFalse(plain.err().contains("\tat "), plain.err());
    }
}
