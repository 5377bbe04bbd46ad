package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.FusedKernel;
import org.isentropic.kernels.IsentropicTarget;
import org.isentropic.kernels.Positions;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The cost of exactly isentropic attention (a temperature per row solved in the kernel) as a paired
 * measurement, like {@link PairedEntropyBenchmark}: each call runs the isentropic kernel (target: each row's
 * entropy over the N = {@value #TRAIN_LENGTH} keys around it) and the plain fused kernel on the same
 * RoPE inputs, back to back, alternating which goes first, and adds each one's time to its own counter
 * ({@code isentropicNanos}, {@code plainNanos}); {@code solverPasses} / {@code pairs} is the mean number of
 * solver passes. Setup checks that every row reached its target within the tolerance (or was clamped).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class IsentropicCostBenchmark {

    /** N of the per-row target (the experiment's training length). */
    public static final int TRAIN_LENGTH = 64;

    @Param({"4096"})
    public int n;

    @Param({"128"})
    public int d;

    @Param({"1"})
    public int threads;

    private AttentionCase problem;
    private AttentionSpec plainSpec;
    private AttentionSpec isoSpec;
    private FusedKernel plain;
    private AttentionKernel isentropic;
    private AttentionOutput out;
    private boolean isentropicFirst;

    /** Nanoseconds in each variant and solver passes during an iteration (JMH sums them). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedTimes {
        public long isentropicNanos;
        public long plainNanos;
        public long solverPasses;
        public long pairs;

        @Setup(Level.Iteration)
        public void reset() {
            isentropicNanos = 0;
            plainNanos = 0;
            solverPasses = 0;
            pairs = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, "bidirectional", Workloads.seed());
        plainSpec = AttentionSpec.dot().withPositions(Positions.rope(10000));
        isoSpec = plainSpec.withIsentropic(IsentropicTarget.window(TRAIN_LENGTH));
        plain = AttentionKernels.fused(FusedKernel.Config.defaults(threads));
        if (!plain.usesSimd()) {
            throw new IllegalStateException("the fused kernel runs its scalar path: is jdk.incubator.vector"
                    + " missing from the fork's JVM arguments?");
        }
        isentropic = AttentionKernels.isentropic(plain);
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
    }

    /** One pair of calls (the score is the time of the pair). */
    @Benchmark
    public float[] pair(PairedTimes times) {
        isentropicFirst = !isentropicFirst;
        long t0 = System.nanoTime();
        if (isentropicFirst) {
            isentropic.attend(isoSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
            long t1 = System.nanoTime();
            plain.attend(plainSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
            times.isentropicNanos += t1 - t0;
            times.plainNanos += System.nanoTime() - t1;
        } else {
            plain.attend(plainSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
            long t1 = System.nanoTime();
            isentropic.attend(isoSpec, problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
            times.plainNanos += t1 - t0;
            times.isentropicNanos += System.nanoTime() - t1;
        }
        times.solverPasses += isentropicPasses();
        times.pairs++;
        return out.o();
    }

    private int isentropicPasses() {
        return out.isentropic() == null ? 0 : out.isentropic().passes();
    }
}
