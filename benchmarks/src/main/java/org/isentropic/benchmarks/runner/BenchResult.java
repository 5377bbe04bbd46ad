package org.isentropic.benchmarks.runner;

import java.util.List;
import java.util.Locale;

/**
 * What JMH measured for one case.
 *
 * @param benchCase       the case
 * @param score           JMH's primary score (mean over forks and iterations)
 * @param scoreError      half-width of JMH's 99.9 % confidence interval (NaN with too few samples)
 * @param unit            JMH's unit: {@code s/op, ms/op, us/op, ns/op} (average time) or
 *                        {@code ops/s, ops/ms, ops/us, ops/ns} (throughput)
 * @param allocBytesPerOp bytes allocated per operation ({@code gc.alloc.rate.norm} of JMH's gc
 *                        profiler), NaN when not measured
 * @param threadAllocBytesPerOp bytes the benchmark thread allocated inside the measured calls, per call
 *                        (the benchmark's {@code allocBytes / allocCalls} counters), NaN when the
 *                        benchmark has no such counters
 * @param pairedRatio     for a paired benchmark, the summed time of its first variant over its second
 *                        (isentropic over plain for {@code IsentropicCostBenchmark}), NaN otherwise
 * @param solverPasses    for {@code IsentropicCostBenchmark}, the mean solver passes per isentropic call, NaN
 *                        otherwise
 * @param forkSeconds     each fork's mean time per operation in seconds (its primary score, converted as
 *                        {@link #secondsPerOp()}), in JMH's order; empty when unknown
 */
public record BenchResult(BenchCase benchCase, double score, double scoreError, String unit,
                          double allocBytesPerOp, double threadAllocBytesPerOp, double pairedRatio,
                          double solverPasses, List<Double> forkSeconds) {

    public BenchResult {
        forkSeconds = List.copyOf(forkSeconds);
    }

    /** A result without the forks' own means. */
    public BenchResult(BenchCase benchCase, double score, double scoreError, String unit, double allocBytesPerOp,
                       double threadAllocBytesPerOp, double pairedRatio, double solverPasses) {
        this(benchCase, score, scoreError, unit, allocBytesPerOp, threadAllocBytesPerOp, pairedRatio, solverPasses,
                List.of());
    }

    /** A paired result without solver passes. */
    public BenchResult(BenchCase benchCase, double score, double scoreError, String unit, double allocBytesPerOp,
                       double threadAllocBytesPerOp, double pairedRatio) {
        this(benchCase, score, scoreError, unit, allocBytesPerOp, threadAllocBytesPerOp, pairedRatio, Double.NaN);
    }

    /** A result that is not a paired measurement. */
    public BenchResult(BenchCase benchCase, double score, double scoreError, String unit, double allocBytesPerOp,
                       double threadAllocBytesPerOp) {
        this(benchCase, score, scoreError, unit, allocBytesPerOp, threadAllocBytesPerOp, Double.NaN);
    }

    /** A result without the benchmark thread's own allocation counter. */
    public BenchResult(BenchCase benchCase, double score, double scoreError, String unit, double allocBytesPerOp) {
        this(benchCase, score, scoreError, unit, allocBytesPerOp, Double.NaN);
    }

    /** Seconds per operation (average-time units), or 1 / (operations per second) for throughput units. */
    public double secondsPerOp() {
        return secondsPerOp(score, unit);
    }

    /** A JMH score in {@code unit} as seconds per operation (see {@link #secondsPerOp()}). */
    public static double secondsPerOp(double score, String unit) {
        double seconds = secondsPer(unitTime(unit));
        return isThroughput(unit) ? seconds / score : score * seconds;
    }

    /** Relative half-width of the confidence interval (error / score), NaN when unknown. */
    public double relativeError() {
        return scoreError / score;
    }

    /** Operations per second summed over JMH threads (throughput units) or 1 / secondsPerOp. */
    public double opsPerSecond() {
        return isThroughput(unit) ? score / secondsPer(unitTime(unit)) : 1 / secondsPerOp();
    }

    private static boolean isThroughput(String unit) {
        return unit.startsWith("ops/");
    }

    private static String unitTime(String unit) {
        String u = unit.trim();
        if (u.startsWith("ops/")) {
            return u.substring(4);
        }
        if (u.endsWith("/op")) {
            return u.substring(0, u.length() - 3);
        }
        throw new IllegalArgumentException("unit: expected X/op or ops/X, got " + unit);
    }

    private static double secondsPer(String timeUnit) {
        switch (timeUnit.toLowerCase(Locale.ROOT)) {
            case "s": return 1;
            case "ms": return 1e-3;
            case "us": return 1e-6;
            case "ns": return 1e-9;
            case "min": return 60;
            default: throw new IllegalArgumentException("unit: unknown time unit " + timeUnit);
        }
    }
}
