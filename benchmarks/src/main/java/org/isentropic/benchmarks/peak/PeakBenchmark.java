package org.isentropic.benchmarks.peak;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH form of the peak probe: one call is {@link PeakProbe#fmaChains(long)} with
 * {@link PeakProbe#ITERATIONS_PER_CALL} steps, i.e. {@link PeakProbe#flopsPerCall(long)} flops. The score
 * is in calls per second summed over threads (throughput mode), so GFLOP/s = score x flops per call / 1e9.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class PeakBenchmark {

    /** The one-thread peak. */
    @Benchmark
    @Threads(1)
    public float oneThread() {
        return PeakProbe.fmaChains(PeakProbe.ITERATIONS_PER_CALL);
    }

    /** The peak with as many threads as the JVM sees processors. */
    @Benchmark
    @Threads(Threads.MAX)
    public float allThreads() {
        return PeakProbe.fmaChains(PeakProbe.ITERATIONS_PER_CALL);
    }
}
