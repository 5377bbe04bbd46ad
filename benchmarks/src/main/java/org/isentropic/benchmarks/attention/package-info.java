/**
 * The JMH benchmarks of attention: every benchmark extends {@link
 * org.isentropic.benchmarks.attention.SizedBenchmark} (run settings, n, d, threads), {@link
 * org.isentropic.benchmarks.attention.MaskedBenchmark} (and the mask) or, for the baselines, {@link
 * org.isentropic.benchmarks.attention.BaselineBenchmark}; builds its problem as an {@link
 * org.isentropic.benchmarks.attention.AttentionCase}; and checks its output against the reference kernel
 * ({@link org.isentropic.benchmarks.attention.Agreement}, tolerance from float rounding) before it measures.
 * Paired benchmarks time two variants back to back in {@link org.isentropic.benchmarks.attention.PairedTimes};
 * {@link org.isentropic.benchmarks.attention.CallAllocation} counts the calling thread's allocation per call.
 */
package org.isentropic.benchmarks.attention;
