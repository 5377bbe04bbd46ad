package org.isentropic.benchmarks.attention;

import org.openjdk.jmh.annotations.Param;

/**
 * A {@link SizedBenchmark} of attention over a whole sequence, which adds the mask ({@code full},
 * {@code causal} or {@code windowW}, built by {@code Workloads.mask}; default {@code full}).
 */
public abstract class MaskedBenchmark extends SizedBenchmark {

    @Param({"full"})
    public String mask;

    /** The seeded dot-product problem of this benchmark's parameters (standard temperature). */
    protected AttentionCase dotProblem() {
        return AttentionCase.dot(n, d, mask, seed());
    }
}
