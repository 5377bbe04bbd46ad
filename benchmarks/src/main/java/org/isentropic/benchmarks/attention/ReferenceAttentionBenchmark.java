package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
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
 * The reference kernel (plain loops, double accumulators): the oracle's cost, small n only. Its setup
 * checks that two calls give identical results (the oracle is deterministic) before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class ReferenceAttentionBenchmark {

    @Param({"256", "1024"})
    public int n;

    @Param({"64", "128"})
    public int d;

    @Param({"bidirectional", "causal", "window256"})
    public String mask;

    private AttentionCase problem;
    private AttentionKernel kernel;
    private AttentionOutput out;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, mask, Workloads.seed());
        kernel = AttentionKernels.reference();
        out = AttentionOutput.allocate(n, problem.dv(), false);
        AttentionOutput first = problem.reference();
        attend();
        Agreement.check("reference (second call)", problem, first, out.o(), out.entropy());
    }

    @Benchmark
    public float[] attend() {
        kernel.attend(problem.spec(), problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
        return out.o();
    }
}
