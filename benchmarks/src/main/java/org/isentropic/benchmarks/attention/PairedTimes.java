package org.isentropic.benchmarks.attention;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A paired measurement's counters (JMH sums them over the measurement): each pair runs two variants of a
 * call back to back on the same inputs, alternating which goes first, and adds each one's time to its own
 * counter, so that the ratio {@code firstNanos / secondNanos} compares the two under the same machine state
 * (frequency, other load, memory) and drift that separate JMH cases see at different times cancels.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairedTimes {

    /** Nanoseconds in the first variant during the iteration. */
    public long firstNanos;

    /** Nanoseconds in the second variant during the iteration. */
    public long secondNanos;

    /** Pairs run during the iteration. */
    public long pairs;

    /**
     * Solver passes the first variant reported during the iteration, for a variant with a solver (the
     * isentropic kernel); 0 otherwise.
     */
    public long solverPasses;

    private boolean firstGoesFirst;

    @Setup(Level.Iteration)
    public void reset() {
        firstNanos = 0;
        secondNanos = 0;
        pairs = 0;
        solverPasses = 0;
    }

    /** Runs both variants once, in the other order than the previous pair, and counts their times. */
    public void pair(Runnable first, Runnable second) {
        firstGoesFirst = !firstGoesFirst;
        if (firstGoesFirst) {
            firstNanos += timed(first);
            secondNanos += timed(second);
        } else {
            secondNanos += timed(second);
            firstNanos += timed(first);
        }
        pairs++;
    }

    private static long timed(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return System.nanoTime() - t0;
    }
}
