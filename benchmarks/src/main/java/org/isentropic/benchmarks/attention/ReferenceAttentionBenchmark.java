package org.isentropic.benchmarks.attention;

import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference kernel (plain loops, double accumulators, one thread): the oracle's cost, small n only. Its
 * setup checks that two calls give identical results (the oracle is deterministic) before measuring.
 */
@Warmup(iterations = 3, time = 1)
public class ReferenceAttentionBenchmark extends MaskedBenchmark {

    private AttentionCase problem;
    private AttentionKernel kernel;
    private AttentionOutput out;

    @Setup(Level.Trial)
    public void setup() {
        if (threads != 1) {
            throw new IllegalArgumentException("threads: the reference kernel runs on one thread, got " + threads);
        }
        problem = dotProblem();
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
