package org.isentropic.benchmarks.peers;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.isentropic.benchmarks.attention.Agreement;
import org.isentropic.benchmarks.attention.AttentionCase;
import org.isentropic.benchmarks.attention.MaskedBenchmark;
import org.isentropic.benchmarks.attention.MultiHeadInputs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The PyTorch peer: {@code torch.nn.functional.scaled_dot_product_attention} on CPU (PyTorch 2.7.1 through
 * the {@code org.bytedeco:pytorch} presets; compiled only with the Maven profile {@code peers}), q of shape
 * [1, heads, n, d], k and v [1, kvHeads, n, d], scale 1/sqrt(d), {@code is_causal} for the causal mask,
 * {@code torch.set_num_threads(threads)}. With grouped K/V heads the keys and values are expanded to every
 * query head once in setup (Hugging Face's {@code repeat_kv}, here outside the timed call, in the peer's
 * favour): with {@code enable_gqa} PyTorch 2.7's CPU SDPA takes its unfused path, which took about twice
 * as long on this machine kind. SDPA returns the output
 * only: this peer computes no entropy, so it does less work than the fused kernel and the OpenBLAS peer.
 * Setup checks every head's output of a smaller problem (n = {@value #CHECK_HEADS_N}) against the reference
 * kernel before measuring.
 */
public class PyTorchSdpaBenchmark extends MaskedBenchmark {

    /** n of the agreement check. */
    public static final int CHECK_HEADS_N = 256;

    @Param({"1"})
    public int heads;

    @Param({"1"})
    public int kvHeads;

    private Tensor q;
    private Tensor k;
    private Tensor v;
    private boolean causal;

    @Setup(Level.Trial)
    public void setup() {
        if (!mask.equals("full") && !mask.equals("causal")) {
            throw new IllegalArgumentException("mask: the PyTorch peer runs full or causal masks, got " + mask);
        }
        causal = mask.equals("causal");
        torch.set_num_threads(threads);
        if (torch.get_num_threads() != threads) {
            throw new IllegalStateException("PyTorch runs " + torch.get_num_threads() + " threads, asked " + threads);
        }
        MultiHeadInputs full = new MultiHeadInputs(heads, kvHeads, n, d, seed());
        MultiHeadInputs check = full.forCheck(Math.min(n, CHECK_HEADS_N), seed() + 1);
        try (PointerScope scope = new PointerScope()) {
            Tensor out = attend(tensor(check.q, check.heads, check.n), tensor(perHead(check, check.k), check.heads,
                    check.n), tensor(perHead(check, check.v), check.heads, check.n)).contiguous();
            FloatBuffer o = out.createBuffer();
            for (int h = 0; h < check.heads; h++) {
                float[] oh = new float[check.n * d];
                o.position(h * check.n * d);
                o.get(oh);
                AttentionCase c = check.head(h, mask);
                Agreement.check("PyTorch SDPA head " + h, c, oh, null);
            }
        }
        q = tensor(full.q, heads, n);
        k = tensor(perHead(full, full.k), heads, n);
        v = tensor(perHead(full, full.v), heads, n);
    }

    /** x ([kvHeads, n, d]) expanded to [heads, n, d]: query head h gets its group's rows. */
    private static float[] perHead(MultiHeadInputs in, float[] x) {
        int size = in.n * in.d;
        float[] out = new float[in.heads * size];
        for (int h = 0; h < in.heads; h++) {
            System.arraycopy(x, in.group(h) * size, out, h * size, size);
        }
        return out;
    }

    /** A [1, h, len, d] tensor holding a copy of x ([h, len, d] row-major). */
    private Tensor tensor(float[] x, int h, int len) {
        return AbstractTensor.create(x, 1, h, len, d);
    }

    private Tensor attend(Tensor query, Tensor key, Tensor value) {
        return torch.scaled_dot_product_attention(query, key, value, new TensorOptional(), 0.0, causal,
                new DoubleOptional(), false);
    }

    @TearDown(Level.Trial)
    public void close() {
        q.close();
        k.close();
        v.close();
    }

    @Benchmark
    public void attend(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            Tensor out = attend(q, k, v);
            bh.consume(out.address());
        }
    }
}
