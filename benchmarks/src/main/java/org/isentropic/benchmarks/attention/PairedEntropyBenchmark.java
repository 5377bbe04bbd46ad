package org.isentropic.benchmarks.attention;

import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of the entropy as a paired measurement ({@link PairedTimes}): each call runs the fused kernel with
 * the entropy (first variant) and the same kernel without it (second) on the same inputs (full mask), back
 * to back, alternating which goes first. Setup checks both kernels against the reference kernel (at n =
 * {@value #CHECK_N} when n is larger).
 */
public class PairedEntropyBenchmark extends SizedBenchmark {

    private AttentionCase problem;
    private AttentionOutput out;
    private Runnable withEntropy;
    private Runnable withoutEntropy;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, "full", seed());
        FusedKernel on = AttentionKernels.fused(FusedKernel.Config.defaults(threads));
        FusedKernel off = AttentionKernels.fused(FusedKernel.Config.defaults(threads).withEntropy(false));
        requireSimd(on.usesSimd(), "fused kernel");
        Agreement.check(on, atCheckSize(problem), true);
        Agreement.check(off, atCheckSize(problem), false);
        out = AttentionOutput.allocate(n, problem.dv(), false);
        withEntropy = () -> on.attend(problem.spec(), problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
        withoutEntropy = () -> off.attend(problem.spec(), problem.q(), problem.k(), problem.v(), n, d, problem.dv(),
                out);
    }

    /** One pair of calls (the score is the time of the pair). */
    @Benchmark
    public float[] pair(PairedTimes times) {
        times.pair(withEntropy, withoutEntropy);
        return out.o();
    }
}
