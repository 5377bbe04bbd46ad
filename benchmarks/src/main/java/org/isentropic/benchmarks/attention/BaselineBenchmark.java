package org.isentropic.benchmarks.attention;

/**
 * A {@link MaskedBenchmark} of a baseline that takes dot-product logits as a per-row scale and writes its
 * output and row entropies into arrays of its own ({@code org.isentropic.benchmarks.baseline}): the measured
 * problem and those arrays, drawn and allocated once per trial.
 */
public abstract class BaselineBenchmark extends MaskedBenchmark {

    /** The measured problem. */
    protected AttentionCase problem;

    /** Its logit multiplier per row, {@code f_i / sqrt(d)} ([n]). */
    protected float[] rowScale;

    /** The output, [n, dv]. */
    protected float[] o;

    /** The row entropies, [n]. */
    protected float[] entropy;

    /** Draws the measured problem and allocates the measured call's arrays. */
    protected final void prepareProblem() {
        problem = dotProblem();
        rowScale = problem.rowScale();
        o = new float[n * problem.dv()];
        entropy = new float[n];
    }
}
