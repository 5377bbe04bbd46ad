package org.isentropic.benchmarks.attention;

import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.Positions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of exactly isentropic attention (a temperature per row solved in the kernel) as a paired
 * measurement ({@link PairedTimes}): each call runs the isentropic kernel
 * (first variant; target: each row's entropy over the N = {@value #TRAIN_LENGTH} keys around it) and the
 * plain fused kernel (second) on the same RoPE inputs, back to back, alternating which goes first;
 * {@code solverPasses} / {@code pairs} is the mean of {@code IsentropicRows.passes()}: since the fused kernel
 * caches each row's logits for the solver, the most evaluations of its entropy a row took, all from one pass
 * over the keys (so an isentropic call makes three passes: target, logits, final). Setup checks that every row
 * reached its target within the tolerance (or was clamped).
 */
public class IsentropicCostBenchmark extends SizedBenchmark {

    /** N of the per-row target (the experiment's training length). */
    public static final int TRAIN_LENGTH = 64;

    private AttentionCase problem;
    private AttentionOutput out;
    private Runnable isentropicCall;
    private Runnable plainCall;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, "full", seed());
        AttentionSpec plainSpec = AttentionSpec.dot().withPositions(Positions.rope(10000));
        AttentionSpec isoSpec = plainSpec.withIsentropic(IsentropicTarget.window(TRAIN_LENGTH));
        FusedKernel plain = AttentionKernels.fused(FusedKernel.Config.defaults(threads));
        requireSimd(plain.usesSimd(), "fused kernel");
        AttentionKernel isentropic = AttentionKernels.isentropic(plain);
        out = AttentionOutput.allocate(n, problem.dv(), false);
        isentropic.attend(isoSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
        var rows = out.isentropic();
        int outside = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(out.entropy()[i] - rows.target()[i]) > isoSpec.isentropic().tolerance()) {
                outside++;
            }
        }
        if (outside != rows.clamped() || rows.unconverged() > 0) {
            throw new IllegalStateException("isentropic kernel: " + outside + " rows outside the tolerance, "
                    + rows.clamped() + " clamped, " + rows.unconverged() + " unconverged");
        }
        isentropicCall = () -> isentropic.attend(isoSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(),
                out);
        plainCall = () -> plain.attend(plainSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
    }

    /** One pair of calls (the score is the time of the pair). */
    @Benchmark
    public float[] pair(PairedTimes times) {
        times.pair(isentropicCall, plainCall);
        times.solverPasses += isentropicPasses();
        return out.o();
    }

    /** Passes of the last isentropic call into the output, the one of this pair. */
    private int isentropicPasses() {
        return out.isentropic() == null ? 0 : out.isentropic().passes();
    }
}
