package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code attend} on 3-D inputs (GQA, MQA) against the same options on each head's 2-D slices. */
class MultiHeadAttendTest {

    /** The CSV prints 6 decimals: half a unit in the last place, plus float rounding of two kernel paths. */
    private static final double PRINTED = 0.5e-6 + 1e-6;
    /** O and probabilities of the multi-head and the single-head fused paths: float rounding of |v| < 1 sums. */
    private static final double FLOATS = 1e-5;

    @TempDir
    Path dir;

    private final int n = 16;
    private final int d = 8;
    private final int dv = 3;

    private record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IsentropicCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    private static float[] uniform(SplittableRandom r, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private List<String> attend(Path q, Path k, Path v, String... options) {
        List<String> a = new ArrayList<>(List.of("attend", "--q", q.toString(), "--k", k.toString(), "--v",
                v.toString()));
        a.addAll(List.of(options));
        return a;
    }

    /** heads query heads over kvHeads KV heads: the 3-D run equals, head by head, the 2-D run on its slices. */
    private void agreesWithPerHeadCalls(int heads, int kvHeads, String... options) {
        SplittableRandom r = new SplittableRandom(Seeds.seed() + heads * 31L + kvHeads);
        float[] q = uniform(r, heads * n * d);
        float[] k = uniform(r, kvHeads * n * d);
        float[] v = uniform(r, kvHeads * n * dv);
        Path q3 = dir.resolve("q3.npy");
        Path k3 = dir.resolve("k3.npy");
        Path v3 = dir.resolve("v3.npy");
        Npy.write(q3, new int[] {heads, n, d}, q);
        Npy.write(k3, new int[] {kvHeads, n, d}, k);
        Npy.write(v3, new int[] {kvHeads, n, dv}, v);
        Path o3 = dir.resolve("o3.npy");
        Path p3 = dir.resolve("p3.npy");
        List<String> args = attend(q3, k3, v3, options);
        args.addAll(List.of("--threads", "2", "--out-o", o3.toString(), "--out-probs", p3.toString()));
        Run multi = run(args);
        assertEquals(0, multi.code(), multi.err());
        List<String> lines = multi.out().lines().toList();
        assertTrue(lines.get(0).startsWith("head,row,"), lines.get(0));
        assertEquals(heads * n + 1, lines.size());
        Npy.Array o = Npy.read(o3);
        Npy.Array p = Npy.read(p3);
        assertArrayEquals(new int[] {heads, n, dv}, o.shape());
        assertArrayEquals(new int[] {heads, n, n}, p.shape());

        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            Path q2 = dir.resolve("q-" + h + ".npy");
            Path k2 = dir.resolve("k-" + h + ".npy");
            Path v2 = dir.resolve("v-" + h + ".npy");
            Npy.write(q2, new int[] {n, d}, Arrays.copyOfRange(q, h * n * d, (h + 1) * n * d));
            Npy.write(k2, new int[] {n, d}, Arrays.copyOfRange(k, g * n * d, (g + 1) * n * d));
            Npy.write(v2, new int[] {n, dv}, Arrays.copyOfRange(v, g * n * dv, (g + 1) * n * dv));
            Path o2 = dir.resolve("o-" + h + ".npy");
            Path p2 = dir.resolve("p-" + h + ".npy");
            List<String> single = attend(q2, k2, v2, options);
            single.addAll(List.of("--out-o", o2.toString(), "--out-probs", p2.toString()));
            Run one = run(single);
            assertEquals(0, one.code(), one.err());
            List<String> rows = one.out().lines().toList();
            assertEquals(lines.get(0), "head," + rows.get(0));
            for (int i = 0; i < n; i++) {
                String[] a = lines.get(1 + h * n + i).split(",");
                String[] b = rows.get(1 + i).split(",");
                assertEquals(String.valueOf(h), a[0]);
                assertEquals(b.length + 1, a.length);
                for (int c = 0; c < b.length; c++) {
                    assertEquals(Double.parseDouble(b[c]), Double.parseDouble(a[c + 1]), PRINTED,
                            "head " + h + " row " + i + " column " + c + "; " + Seeds.rerunHint(Seeds.seed()));
                }
            }
            double[] oHead = Npy.read(o2).data();
            double[] pHead = Npy.read(p2).data();
            for (int x = 0; x < n * dv; x++) {
                assertEquals(oHead[x], o.data()[h * n * dv + x], FLOATS, "O of head " + h);
            }
            for (int x = 0; x < n * n; x++) {
                assertEquals(pHead[x], p.data()[h * n * n + x], FLOATS, "probabilities of head " + h);
            }
        }
    }

    @Test
    void groupedQueryAttentionIsEachHeadOnItsKvGroup() {
        agreesWithPerHeadCalls(4, 2, "--logits", "cosine", "--cos-scale", "8", "--rule", "infoscale",
                "--train-length", "8", "--mask", "causal", "--position", "rope");
    }

    @Test
    void multiQueryAttentionSharesOneKvHead() {
        agreesWithPerHeadCalls(3, 1, "--rule", "logn", "--train-length", "8");
    }

    @Test
    void isentropicRowsRunPerHead() {
        agreesWithPerHeadCalls(2, 2, "--rule", "isentropic", "--reference", "value", "--target-entropy", "1.5");
    }

    /** q.npy, k.npy and v.npy of the given shapes, uniform in (-1, 1). */
    private Path[] inputs(int[]... shapes) {
        SplittableRandom r = new SplittableRandom(Seeds.seed());
        String[] names = {"q.npy", "k.npy", "v.npy"};
        Path[] files = new Path[3];
        for (int i = 0; i < 3; i++) {
            files[i] = dir.resolve(names[i]);
            Npy.write(files[i], shapes[i], uniform(r, Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b)));
        }
        return files;
    }

    @Test
    void headsNotAMultipleOfKvHeadsNameTheKeys() {
        Path[] qkv = inputs(new int[] {3, n, d}, new int[] {2, n, d}, new int[] {2, n, dv});
        Path q = qkv[0];
        Path k = qkv[1];
        Path v = qkv[2];
        Path o = dir.resolve("o.npy");
        Run bad = run(attend(q, k, v, "--out-o", o.toString()));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("isentropic attend: --k: "), bad.err());
        assertTrue(bad.err().contains("multiple"), bad.err());
        assertTrue(!Files.exists(o), "nothing is written on bad input");
    }

    @Test
    void aTwoDimensionalInputBesideThreeDimensionalOnesNamesItsOption() {
        Path[] qkv = inputs(new int[] {n, d}, new int[] {1, n, d}, new int[] {1, n, dv});
        Run bad = run(attend(qkv[0], qkv[1], qkv[2]));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("isentropic attend: --q: need a non-empty 3-D array"), bad.err());
    }
}
