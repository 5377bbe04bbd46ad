package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.kernels.FusedKernel;
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
 * The cost of the entropy as a paired measurement: each call runs the fused kernel with the entropy and the
 * same kernel without it on the same inputs, back to back, alternating which goes first, and adds each one's
 * time to its own counter ({@link PairedTimes}: {@code entropyOnNanos}, {@code entropyOffNanos}). The ratio
 * of the sums over the whole measurement compares the two under the same machine state (frequency, other
 * load, memory), so drift that separate JMH cases see at different times cancels. Setup checks both kernels
 * against the reference kernel (at n = {@value #CHECK_N}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class PairedEntropyBenchmark {

    /** Largest n checked against the reference at full size. */
    public static final int CHECK_N = 512;

    @Param({"4096"})
    public int n;

    @Param({"128"})
    public int d;

    @Param({"1"})
    public int threads;

    private AttentionCase problem;
    private FusedKernel withEntropy;
    private FusedKernel withoutEntropy;
    private AttentionOutput out;
    private boolean entropyFirst;

    /** Nanoseconds spent in each kernel during an iteration (JMH sums them over the measurement). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedTimes {
        public long entropyOnNanos;
        public long entropyOffNanos;

        @Setup(Level.Iteration)
        public void reset() {
            entropyOnNanos = 0;
            entropyOffNanos = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, "bidirectional", Workloads.seed());
        withEntropy = AttentionKernels.fused(FusedKernel.Config.defaults(threads));
        withoutEntropy = AttentionKernels.fused(FusedKernel.Config.defaults(threads).withEntropy(false));
        if (!withEntropy.usesSimd()) {
            throw new IllegalStateException("the fused kernel runs its scalar path: is jdk.incubator.vector"
                    + " missing from the fork's JVM arguments?");
        }
        AttentionCase check = n <= CHECK_N ? problem : problem.resized(CHECK_N);
        AttentionOutput checkOut = AttentionOutput.allocate(check.n(), check.dv(), false);
        withEntropy.attend(check.spec(), check.q(), check.k(), check.v(), check.n(), d, check.dv(), checkOut);
        Agreement.check("fused with entropy", check, checkOut.o(), checkOut.entropy());
        withoutEntropy.attend(check.spec(), check.q(), check.k(), check.v(), check.n(), d, check.dv(), checkOut);
        Agreement.check("fused without entropy", check, checkOut.o(), null);
        out = AttentionOutput.allocate(n, problem.dv(), false);
    }

    /** One pair of calls (the score is the time of the pair). */
    @Benchmark
    public float[] pair(PairedTimes times) {
        entropyFirst = !entropyFirst;
        if (entropyFirst) {
            times.entropyOnNanos += timed(withEntropy);
            times.entropyOffNanos += timed(withoutEntropy);
        } else {
            times.entropyOffNanos += timed(withoutEntropy);
            times.entropyOnNanos += timed(withEntropy);
        }
        return out.o();
    }

    private long timed(FusedKernel kernel) {
        long t0 = System.nanoTime();
        kernel.attend(problem.spec(), problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
        return System.nanoTime() - t0;
    }
}
