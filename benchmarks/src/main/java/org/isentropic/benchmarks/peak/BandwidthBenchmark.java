package org.isentropic.benchmarks.peak;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH form of the bandwidth probe: one call is {@link BandwidthProbe#sum} over the calling thread's own
 * 128 MiB array, {@link BandwidthProbe#BYTES_PER_CALL} bytes; the score is in calls per second summed over
 * threads, so GB/s = score x bytes per call / 1e9.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class BandwidthBenchmark {

    private static final AtomicInteger SEEDS = new AtomicInteger();

    /** Each thread's array. */
    @State(Scope.Thread)
    public static class Data {
        float[] a;

        @Setup(Level.Trial)
        public void setup() {
            a = BandwidthProbe.array(SEEDS.incrementAndGet());
        }
    }

    /** One thread streaming from memory. */
    @Benchmark
    @Threads(1)
    public float oneThread(Data data) {
        return BandwidthProbe.sum(data.a);
    }

    /** As many threads as the JVM sees processors, each on its own array. */
    @Benchmark
    @Threads(Threads.MAX)
    public float allThreads(Data data) {
        return BandwidthProbe.sum(data.a);
    }
}
