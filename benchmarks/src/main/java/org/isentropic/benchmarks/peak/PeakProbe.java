package org.isentropic.benchmarks.peak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's FP32 fused-multiply-add throughput, measured with the Vector API, so that every kernel
 * figure can be stated as a fraction of the peak of the machine it ran on.
 *
 * <p>The probe runs {@value #ACCUMULATORS} independent chains {@code acc_a = acc_a * x + y} on vectors of
 * the preferred species. An FMA has a latency of about 4 cycles and modern x86 cores issue two per
 * cycle, so at least 8 independent chains are needed to keep both ports busy; 16 leave margin and still
 * fit the 32 vector registers of AVX-512 (and spill nothing on AVX2's 16, where the JIT may keep a few in
 * memory: the figure is then a lower bound, which is what we want from a denominator). Each chain
 * step is 2 flops per lane. With {@code x} slightly below 1 the chains converge to {@code y / (1 - x)}, so
 * no value overflows or becomes subnormal, and the sum of the chains is returned so the JIT cannot drop
 * the loop.
 *
 * <p>Flops per call of {@link #fmaChains(long)}: {@code 2 * lanes * ACCUMULATORS * iterations}.
 */
public final class PeakProbe {

    /** The preferred (widest efficient) float species of this CPU. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Independent accumulator chains in {@link #fmaChains(long)}. */
    public static final int ACCUMULATORS = 16;

    /** Chain steps per call of {@link #fmaChains(long)} in a JMH invocation or a probe slice. */
    public static final long ITERATIONS_PER_CALL = 1L << 20;

    /** Chain steps per call while warming up: short, so that the JIT sees many calls early. */
    private static final long WARMUP_ITERATIONS_PER_CALL = 16;

    /** Warm-up calls at least, well above C2's invocation threshold (about 5000 with tiered compilation). */
    private static final long WARMUP_CALLS = 20_000;

    private static final float MULTIPLIER = 0.999_999f;
    private static final float ADDEND = 1.0e-6f;

    private PeakProbe() {
    }

    /** Floats per vector of {@link #SPECIES}. */
    public static int lanes() {
        return SPECIES.length();
    }

    /** Flops done by one call of {@link #fmaChains(long)} with the given iteration count. */
    public static double flopsPerCall(long iterations) {
        return 2.0 * lanes() * ACCUMULATORS * (double) iterations;
    }

    /**
     * Runs {@value #ACCUMULATORS} independent FMA chains for {@code iterations} steps each.
     *
     * @param iterations chain steps, at least 1
     * @return the sum of all lanes of all chains (about {@code ACCUMULATORS * lanes} once converged)
     */
    public static float fmaChains(long iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        FloatVector x = FloatVector.broadcast(SPECIES, MULTIPLIER);
        FloatVector y = FloatVector.broadcast(SPECIES, ADDEND);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        FloatVector a10 = a0;
        FloatVector a11 = a0;
        FloatVector a12 = a0;
        FloatVector a13 = a0;
        FloatVector a14 = a0;
        FloatVector a15 = a0;
        for (long it = 0; it < iterations; it++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
            a12 = a12.fma(x, y);
            a13 = a13.fma(x, y);
            a14 = a14.fma(x, y);
            a15 = a15.fma(x, y);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15);
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /**
     * Measures the FMA throughput directly (without JMH): every thread runs {@link #fmaChains(long)}
     * slices of {@link #ITERATIONS_PER_CALL} steps: first {@code warmupMillis} of short calls that are not
     * counted (so that the JIT has compiled the loop), then slices until {@code measureMillis} have
     * passed (the last slice may end up to one slice, about 2-5 ms, late; the wall time counts it). All threads start together; the figure is total flops over wall time.
     *
     * @param threads       worker threads, 1 to 1024
     * @param warmupMillis  warm-up time per thread, >= 0
     * @param measureMillis measured time, >= 1
     */
    public static PeakMeasurement measure(int threads, long warmupMillis, long measureMillis) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in [1, 1024], got " + threads);
        }
        if (warmupMillis < 0) {
            throw new IllegalArgumentException("warmupMillis must be >= 0, got " + warmupMillis);
        }
        if (measureMillis < 1) {
            throw new IllegalArgumentException("measureMillis must be >= 1, got " + measureMillis);
        }
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        AtomicLong slices = new AtomicLong();
        long[] sink = new long[threads];
        long measureNanos = measureMillis * 1_000_000L;
        long[] window = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    // Many short calls first: a long call that starts in the interpreter stays slow (the
                    // Vector API allocates a box per operation there), and C2 compiles the method after
                    // some thousands of invocations.
                    long until = System.nanoTime() + warmupMillis * 1_000_000L;
                    float acc = 0;
                    long calls = 0;
                    do {
                        acc += fmaChains(WARMUP_ITERATIONS_PER_CALL);
                        calls++;
                    } while (calls < WARMUP_CALLS || System.nanoTime() < until);
                    start.await();
                    long stop = System.nanoTime() + measureNanos;
                    long mine = 0;
                    do {
                        acc += fmaChains(ITERATIONS_PER_CALL);
                        mine++;
                    } while (System.nanoTime() < stop);
                    slices.addAndGet(mine);
                    sink[id] = Float.floatToIntBits(acc);
                    end.await();
                } catch (Exception e) {
                    throw new IllegalStateException("peak probe worker failed", e);
                }
            }, "peak-probe-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        try {
            start.await();
            long t0 = System.nanoTime();
            end.await();
            window[0] = System.nanoTime() - t0;
            for (Thread w : workers) {
                w.join();
            }
        } catch (Exception e) {
            throw new IllegalStateException("peak probe interrupted", e);
        }
        double flops = flopsPerCall(ITERATIONS_PER_CALL) * slices.get();
        return new PeakMeasurement(threads, SPECIES.toString(), lanes(), ACCUMULATORS,
                flops / window[0], window[0] / 1e9);
    }

    /** A direct peak measurement. {@code gflops} counts 2 flops per FMA lane. */
    public record PeakMeasurement(int threads, String species, int lanes, int accumulators, double gflops,
                                  double seconds) {
    }
}
