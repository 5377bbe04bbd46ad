package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.MultiHeadKernel;
import org.isentropic.kernels.MultiHeadOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-head / grouped-query attention with the fused tiles ({@link MultiHeadKernel}): q [heads, n, d],
 * k and v [kvHeads, n, d], dot-product logits, entropy included; the Llama-3-8B shape is 32 query heads,
 * 8 KV heads, d = 128. Setup checks every head of a smaller problem with the same group size
 * (n = {@value #CHECK_N}) against the reference kernel before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class MultiHeadBenchmark {

    /** n of the agreement check. */
    public static final int CHECK_N = 256;

    @Param({"32"})
    public int heads;

    @Param({"8"})
    public int kvHeads;

    @Param({"4096"})
    public int n;

    @Param({"128"})
    public int d;

    @Param({"causal"})
    public String mask;

    @Param({"1", "2"})
    public int threads;

    private MultiHeadInputs inputs;
    private MultiHeadKernel kernel;
    private AttentionSpec spec;
    private MultiHeadOutput out;

    @Setup(Level.Trial)
    public void setup() {
        kernel = MultiHeadKernel.create(threads);
        if (!kernel.usesSimd()) {
            throw new IllegalStateException("the multi-head kernel runs its scalar path: is jdk.incubator.vector"
                    + " missing from the fork's JVM arguments?");
        }
        spec = AttentionSpec.dot().withMask(Workloads.mask(mask));
        inputs = new MultiHeadInputs(heads, kvHeads, n, d, Workloads.seed());
        MultiHeadInputs check = inputs.forCheck(Math.min(n, CHECK_N), Workloads.seed() + 1);
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
