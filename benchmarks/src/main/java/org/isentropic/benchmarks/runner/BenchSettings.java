package org.isentropic.benchmarks.runner;

/**
 * How long JMH runs each case.
 *
 * @param forks                 JVM forks per case (each a fresh JIT), >= 1
 * @param warmupIterations      warm-up iterations per fork (Vector API code needs several seconds of
 *                              warm-up before C2 has compiled the intrinsics)
 * @param warmupMillis          time per warm-up iteration
 * @param measurementIterations measured iterations per fork
 * @param measurementMillis     time per measured iteration
 */
public record BenchSettings(int forks, int warmupIterations, int warmupMillis, int measurementIterations,
                            int measurementMillis) {

    public BenchSettings {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be >= 1, got " + forks);
        }
        if (warmupIterations < 0 || measurementIterations < 1) {
            throw new IllegalArgumentException("iterations must be warm-up >= 0 and measurement >= 1, got "
                    + warmupIterations + " and " + measurementIterations);
        }
        if (warmupMillis < 1 || measurementMillis < 1) {
            throw new IllegalArgumentException("iteration times must be >= 1 ms, got " + warmupMillis
                    + " and " + measurementMillis);
        }
    }

    /** A smoke run: proves the benchmarks work; its numbers are rough. */
    public static BenchSettings quick() {
        return new BenchSettings(1, 3, 300, 3, 300);
    }

    /** The full run: 2 forks, 5 s of warm-up and 5 s of measurement per fork. */
    public static BenchSettings full() {
        return new BenchSettings(2, 5, 1000, 5, 1000);
    }

    /** These settings with another number of forks. */
    public BenchSettings withForks(int f) {
        return new BenchSettings(f, warmupIterations, warmupMillis, measurementIterations, measurementMillis);
    }

    @Override
    public String toString() {
        return forks + " fork(s) x (" + warmupIterations + " x " + warmupMillis + " ms warm-up + "
                + measurementIterations + " x " + measurementMillis + " ms measured)";
    }
}
