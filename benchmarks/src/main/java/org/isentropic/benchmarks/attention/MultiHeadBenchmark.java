package org.isentropic.benchmarks.attention;

import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.fused.MultiHeadKernel;
import org.isentropic.kernels.fused.MultiHeadOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Multi-head / grouped-query attention with the fused tiles ({@link MultiHeadKernel}): q [heads, n, d],
 * k and v [kvHeads, n, d], dot-product logits, entropy included; the Llama-3-8B shape is 32 query heads,
 * 8 KV heads, d = 128 (the default heads). Setup checks every head of a smaller problem with the same group
 * size (n = {@value #CHECK_HEADS_N}) against the reference kernel before measuring.
 */
public class MultiHeadBenchmark extends MaskedBenchmark {

    /** n of the agreement check. */
    public static final int CHECK_HEADS_N = 256;

    @Param({"32"})
    public int heads;

    @Param({"8"})
    public int kvHeads;

    private MultiHeadInputs inputs;
    private MultiHeadKernel kernel;
    private AttentionSpec spec;
    private MultiHeadOutput out;

    @Setup(Level.Trial)
    public void setup() {
        kernel = MultiHeadKernel.create(threads);
        requireSimd(kernel.usesSimd(), "multi-head kernel");
        spec = AttentionSpec.dot().withMask(Workloads.mask(mask));
        inputs = new MultiHeadInputs(heads, kvHeads, n, d, seed());
        MultiHeadInputs check = inputs.forCheck(Math.min(n, CHECK_HEADS_N), seed() + 1);
        MultiHeadOutput checkOut = MultiHeadOutput.allocate(check.heads, check.n, d, false);
        kernel.attend(spec, check.q, check.k, check.v, check.heads, check.kvHeads, check.n, d, d, checkOut);
        for (int h = 0; h < check.heads; h++) {
            Agreement.check(kernel.name() + " head " + h, check.head(h, mask), checkOut.head(h).o(),
                    checkOut.head(h).entropy());
        }
        out = MultiHeadOutput.allocate(heads, n, d, false);
    }

    @Benchmark
    public MultiHeadOutput attend() {
        kernel.attend(spec, inputs.q, inputs.k, inputs.v, heads, kvHeads, n, d, d, out);
        return out;
    }
}
