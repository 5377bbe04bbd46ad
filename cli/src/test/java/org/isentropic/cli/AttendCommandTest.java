package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.io.Npy;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.theory.rules.TemperatureRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttendCommandTest extends InProcessCommandTest {

    private static final long SEED = Seeds.seed();
    /** The CSV prints 6 decimals: half a unit in the last place, plus the kernel's float rounding. */
    private static final double PRINTED = 0.5e-6 + 1e-6;
    /**
     * Fused vs reference at n = 24, |v| < 1: the kernels module's derived per-row tolerance is below this
     * (its tests check every spec combination); here it only has to catch wiring mistakes.
     */
    private static final double KERNEL = 1e-5;

    @TempDir
    Path dir;

    private final int n = 24;
    private final int d = 8;
    private final int dv = 3;
    private float[] q;
    private float[] k;
    private float[] v;

    @BeforeEach
    void tensors() {
        SplittableRandom r = new SplittableRandom(SEED);
        q = normal(r, n * d);
        k = normal(r, n * d);
        v = normal(r, n * dv);
        Npy.write(dir.resolve("q.npy"), new int[] {n, d}, q);
        Npy.write(dir.resolve("k.npy"), new int[] {n, d}, k);
        double[] vd = new double[n * dv];
        for (int i = 0; i < vd.length; i++) {
            vd[i] = v[i];
        }
        Npy.write(dir.resolve("v.npy"), new int[] {n, dv}, vd); // float64 input is accepted too
    }

    private static float[] normal(SplittableRandom r, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("attend", "--q", dir.resolve("q.npy").toString(),
                "--k", dir.resolve("k.npy").toString(), "--v", dir.resolve("v.npy").toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void printsEntropyAndWritesOutputsMatchingTheKernel() {
        Path o = dir.resolve("o.npy");
        Path p = dir.resolve("p.npy");
        int code = run(args("--logits", "cosine", "--cos-scale", "16", "--rule", "infoscale", "--train-length", "8",
                "--n-mode", "visible", "--position", "rerope", "--window", "5", "--mask", "lambda", "--sinks", "2",
                "--threads", "2", "--out-o", o.toString(), "--out-probs", p.toString()));
        assertEquals(0, code, err.toString());
        AttentionSpec spec = AttentionSpec.cosine(16).withPositions(Positions.rerope(10000, 5))
                .withMask(Mask.lambda(2, 5)).withRule(TemperatureRule.infoScale(8, d), NMode.VISIBLE);
        AttentionOutput expect = AttentionOutput.allocate(n, dv, true);
        AttentionKernels.reference().attend(spec, q, k, v, n, d, dv, expect);
        List<String> lines = out.toString().lines().toList();
        assertEquals("row,entropy,logsumexp", lines.get(0));
        assertEquals(n + 1, lines.size());
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(i, Integer.parseInt(cells[0]));
            assertEquals(expect.entropy()[i], Double.parseDouble(cells[1]), PRINTED, "row " + i);
            assertEquals(expect.logSumExp()[i], Double.parseDouble(cells[2]), PRINTED * 4, "row " + i);
        }
        Npy.Array oa = Npy.read(o);
        assertArrayEquals(new int[] {n, dv}, oa.shape());
        float[] got = oa.toFloats();
        for (int t = 0; t < n * dv; t++) {
            assertEquals(expect.o()[t], got[t], KERNEL, "o[" + t + "]");
        }
        Npy.Array pa = Npy.read(p);
        assertArrayEquals(new int[] {n, n}, pa.shape());
        for (int t = 0; t < n * n; t++) {
            assertEquals(expect.probs()[t], pa.data()[t], KERNEL, "p[" + t + "]");
        }
        assertEquals(0.0, pa.data()[10], 0.0); // row 0 sees sinks 0, 1 and |i - j| <= 4 only
    }

    @Test
    void isentropicRulePrintsEachRowsTargetEntropyAndSolvedTemperature() {
        int code = run(args("--position", "rope", "--mask", "causal", "--rule", "isentropic", "--train-length", "8"));
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("row,target_entropy,entropy,lambda,iterations,logsumexp", lines.get(0));
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(Mask.causal())
                .withIsentropic(IsentropicTarget.causalWindow(8));
        AttentionOutput expect = AttentionOutput.allocate(n, dv, false);
        AttentionKernels.isentropic(AttentionKernels.reference()).attend(spec, q, k, v, n, d, dv, expect);
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            double target = Double.parseDouble(cells[1]);
            double entropy = Double.parseDouble(cells[2]);
            assertEquals(expect.isentropic().target()[i], target, PRINTED, "row " + i);
            assertEquals(target, entropy, IsentropicTarget.DEFAULT_TOLERANCE + PRINTED, "row " + i);
            if (i < 8) { // the first N rows see exactly their reference set: lambda 1 after one pass
                assertEquals(1.0, Double.parseDouble(cells[3]), 0.0, "row " + i);
            }
        }
        assertEquals(2, run(args("--rule", "isentropic", "--reference", "value")));
        assertTrue(err.toString().contains("--reference: value needs --target-entropy"), err.toString());
        assertEquals(2, run(args("--target-entropy", "1")));
        assertTrue(err.toString().contains("--target-entropy: only with --rule isentropic"), err.toString());
    }

    @Test
    void badInputExitsTwoNamingTheArgumentAndWritesNothing() throws Exception {
        Path o = dir.resolve("o.npy");
        float[] bad = q.clone();
        bad[5] = Float.NaN;
        Npy.write(dir.resolve("nan.npy"), new int[] {n, d}, bad);
        Files.write(dir.resolve("trunc.npy"), java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("k.npy")), 100));
        Npy.write(dir.resolve("odd.npy"), new int[] {n, 7}, new float[n * 7]);
        String[][] cases = {
            {"--q", dir.resolve("nan.npy").toString(), "--q"},
            {"--k", dir.resolve("trunc.npy").toString(), "truncated"},
            {"--position", "spiral", "--position"},
            {"--mask", "window", "--half-width"},
            {"--logits", "cosine", "--cos-scale", "-1", "--cos-scale"},
            {"--rule", "nope", "--rule"},
            {"--k", dir.resolve("odd.npy").toString(), "--k"},
            {"--threads", "0", "--threads"},
        };
        for (String[] c : cases) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            List<String> a = new ArrayList<>(List.of(args("--out-o", o.toString())));
            for (int t = 0; t + 1 < c.length; t += 2) {
                int at = a.indexOf(c[t]);
                if (at >= 0 && (c[t].equals("--q") || c[t].equals("--k"))) {
                    a.set(at + 1, c[t + 1]);
                } else {
                    a.add(c[t]);
                    a.add(c[t + 1]);
                }
            }
            int code = run(a.toArray(new String[0]));
            assertEquals(2, code, String.join(" ", c) + ": " + err);
            assertTrue(err.toString().contains(c[c.length - 1]), String.join(" ", c) + ": " + err);
            assertEquals("", out.toString());
            assertFalse(Files.exists(o), "nothing written for " + String.join(" ", c));
        }
        // d odd under rotary positions names the dimension.
        Npy.write(dir.resolve("q7.npy"), new int[] {n, 7}, new float[n * 7]);
        Npy.write(dir.resolve("k7.npy"), new int[] {n, 7}, new float[n * 7]);
        int code = run("attend", "--q", dir.resolve("q7.npy").toString(), "--k", dir.resolve("k7.npy").toString(),
                "--v", dir.resolve("v.npy").toString(), "--position", "rope");
        assertEquals(2, code);
        assertTrue(err.toString().contains("odd"), err.toString());
    }
}
