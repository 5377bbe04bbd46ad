package org.isentropic.benchmarks.attention;

import org.isentropic.benchmarks.baseline.EjmlMaterialisedAttention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The EJML materialised baseline ({@link EjmlMaterialisedAttention}: S = Q K^T, softmax with entropy,
 * O = P V), dot-product logits. n is at most {@value EjmlMaterialisedAttention#MAX_N} (the n x n matrix is
 * 64 MiB at n = 4096). Setup checks it against the reference kernel (at n = {@value #CHECK_N} when n is
 * larger) before measuring.
 */
public class EjmlBenchmark extends BaselineBenchmark {

    private EjmlMaterialisedAttention baseline;

    @Setup(Level.Trial)
    public void setup() {
        prepareProblem();
        AttentionCase check = atCheckSize(problem);
        EjmlMaterialisedAttention small = EjmlMaterialisedAttention.create(check.n(), d, check.dv(), threads);
        Agreement.check("EJML materialised", check,
                (c, co, ce) -> small.attend(c.q(), c.k(), c.v(), c.rowScale(), c.mask(), co, ce));
        baseline = n == check.n() ? small : EjmlMaterialisedAttention.create(n, d, problem.dv(), threads);
    }

    @Benchmark
    public float[] attend() {
        baseline.attend(problem.q(), problem.k(), problem.v(), rowScale, problem.mask(), o, entropy);
        return o;
    }
}
