package org.isentropic.benchmarks.attention;

import org.isentropic.benchmarks.baseline.RowAtATimeAttention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The row-at-a-time baseline ({@link RowAtATimeAttention}: vector dot with a horizontal reduce per score,
 * softmax with Math.exp, saxpy per key), dot-product logits, entropy always computed. Setup checks it
 * against the reference kernel (at n = {@value #CHECK_N} when n is larger) before measuring.
 */
public class RowAtATimeBenchmark extends BaselineBenchmark {

    private RowAtATimeAttention baseline;

    @Setup(Level.Trial)
    public void setup() {
        prepareProblem();
        baseline = RowAtATimeAttention.create(n, threads);
        Agreement.check("row-at-a-time", atCheckSize(problem), (c, co, ce) -> baseline.attend(c.q(), c.k(), c.v(),
                c.n(), d, c.dv(), c.rowScale(), c.mask(), co, ce));
    }

    @Benchmark
    public float[] attend() {
        baseline.attend(problem.q(), problem.k(), problem.v(), n, d, problem.dv(), rowScale, problem.mask(), o,
                entropy);
        return o;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        baseline.close();
    }
}
