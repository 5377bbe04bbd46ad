package org.isentropic.benchmarks.attention;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Exact allocation of the benchmark thread per call, reported by JMH as two secondary results
 * ({@code allocBytes}, {@code allocCalls}; their ratio is bytes per call). JMH's gc profiler divides the
 * bytes of all threads in an iteration, its own bookkeeping included, by the calls, which blurs a
 * zero-allocation kernel by a few hundred bytes per call when calls take milliseconds; this counter
 * reads the thread's own allocation counter ({@code com.sun.management.ThreadMXBean}) just before and
 * after each call, so it is exact for 1-thread kernels. With more threads the kernel's helper threads
 * are not counted (the caller's own allocations, e.g. task submission, are).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CallAllocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated by the benchmark thread inside the measured calls of the iteration. */
    public long allocBytes;

    /** Measured calls of the iteration. */
    public long allocCalls;

    private long before;

    @Setup(Level.Iteration)
    public void reset() {
        allocBytes = 0;
        allocCalls = 0;
    }

    /** Call right before the measured call. */
    public void start() {
        before = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Call right after the measured call. */
    public void stop() {
        allocBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
        allocCalls++;
    }
}
