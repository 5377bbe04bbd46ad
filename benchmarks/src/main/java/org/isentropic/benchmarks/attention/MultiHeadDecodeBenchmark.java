package org.isentropic.benchmarks.attention;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.decode.MultiHeadDecode;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Multi-head / grouped-query decode ({@link MultiHeadDecode}): one new token's queries of every query head
 * against a causal K/V cache of n tokens per KV head, dot-product logits, entropy included; the default heads
 * are Llama-3-8B's. Bytes per step: the caches' K and V, 4 n kvHeads (d + dv). Memory: the caches hold K and V
 * as floats and the prepared keys as doubles, 16 n kvHeads d bytes (512 MiB at n = 32768, 8 KV heads,
 * d = 128). Setup checks the last step of a smaller problem with the same group size (n = {@value #CHECK_N})
 * against the reference kernel's last row of each head.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MultiHeadDecodeBenchmark extends SizedBenchmark {

    @Param({"32"})
    public int heads;

    @Param({"8"})
    public int kvHeads;

    private MultiHeadDecode decode;
    private float[] query;     // [heads, d]
    private float[] o;         // [heads, d]
    private float[] entropy;   // [heads]
    private float[] logSumExp; // [heads]

    @Setup(Level.Trial)
    public void setup() {
        AttentionSpec spec = AttentionSpec.dot().withMask(Workloads.mask("causal"));
        MultiHeadInputs shape = new MultiHeadInputs(heads, kvHeads, 1, d, seed());
        MultiHeadInputs check = shape.forCheck(CHECK_N, seed() + 1);
        MultiHeadDecode small = filled(spec, check, threads);
        float[] co = new float[check.heads * d];
        float[] ce = new float[check.heads];
        small.attend(lastQueries(check), co, ce, new float[check.heads]);
        for (int h = 0; h < check.heads; h++) {
            AttentionCase c = check.head(h, "causal");
            AttentionOutput ref = c.reference();
            Agreement.checkRow("multi-head decode head " + h, c, ref, CHECK_N - 1,
                    Arrays.copyOfRange(co, h * d, (h + 1) * d), ce[h]);
        }
        // The measured caches are filled token by token from a seeded stream: at n = 32768 with 8 KV heads
        // the caches alone take half of the fork's 1 GiB heap, so no full input arrays are kept beside them.
        decode = MultiHeadDecode.create(spec, heads, kvHeads, d, d, n, threads);
        SplittableRandom rng = new SplittableRandom(seed() * 31 + 14);
        float[] kt = new float[kvHeads * d];
        float[] vt = new float[kvHeads * d];
        for (int t = 0; t < n; t++) {
            gaussian(rng, kt);
            gaussian(rng, vt);
            decode.append(kt, vt);
        }
        query = new float[heads * d];
        gaussian(rng, query);
        o = new float[heads * d];
        entropy = new float[heads];
        logSumExp = new float[heads];
    }

    private static void gaussian(SplittableRandom rng, float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
    }

    /** Caches filled with every token of the inputs ([kvHeads, n, d] appended token by token). */
    private static MultiHeadDecode filled(AttentionSpec spec, MultiHeadInputs in, int threads) {
        MultiHeadDecode m = MultiHeadDecode.create(spec, in.heads, in.kvHeads, in.d, in.d, in.n, threads);
        float[] kt = new float[in.kvHeads * in.d];
        float[] vt = new float[in.kvHeads * in.d];
        for (int t = 0; t < in.n; t++) {
            for (int g = 0; g < in.kvHeads; g++) {
                System.arraycopy(in.k, (g * in.n + t) * in.d, kt, g * in.d, in.d);
                System.arraycopy(in.v, (g * in.n + t) * in.d, vt, g * in.d, in.d);
            }
            m.append(kt, vt);
        }
        return m;
    }

    /** Every query head's query of the last token, [heads, d]. */
    private static float[] lastQueries(MultiHeadInputs in) {
        float[] q = new float[in.heads * in.d];
        for (int h = 0; h < in.heads; h++) {
            System.arraycopy(in.q, (h * in.n + in.n - 1) * in.d, q, h * in.d, in.d);
        }
        return q;
    }

    @Benchmark
    public float[] step() {
        decode.attend(query, o, entropy, logSumExp);
        return o;
    }
}
