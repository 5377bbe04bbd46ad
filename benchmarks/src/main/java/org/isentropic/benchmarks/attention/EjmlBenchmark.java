package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.benchmarks.baseline.EjmlMaterialisedAttention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The EJML materialised baseline ({@link EjmlMaterialisedAttention}: S = Q K^T, softmax with entropy,
 * O = P V), dot-product logits. n is at most 4096 (the n x n matrix is 64 MiB there; 1 GiB at 16384).
 * Setup checks it against the reference kernel (at n = {@value #CHECK_N} when n is larger) before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class EjmlBenchmark {

    /** Largest n checked against the reference at full size. */
    public static final int CHECK_N = 512;

    @Param({"256", "1024", "4096"})
    public int n;

    @Param({"64", "128"})
    public int d;

    @Param({"bidirectional", "causal", "window256"})
    public String mask;

    @Param({"1", "2"})
    public int threads;

    private AttentionCase problem;
    private EjmlMaterialisedAttention baseline;
    private float[] rowScale;
    private float[] o;
    private float[] entropy;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, mask, Workloads.seed());
        AttentionCase check = n <= CHECK_N ? problem : problem.resized(CHECK_N);
        EjmlMaterialisedAttention small = EjmlMaterialisedAttention.create(check.n(), d, check.dv(), threads);
        float[] co = new float[check.n() * check.dv()];
        float[] ce = new float[check.n()];
        small.attend(check.q(), check.k(), check.v(), check.rowScale(), check.mask(), co, ce);
        Agreement.check("EJML materialised", check, co, ce);
        baseline = n == check.n() ? small : EjmlMaterialisedAttention.create(n, d, problem.dv(), threads);
        rowScale = problem.rowScale();
        o = new float[n * problem.dv()];
        entropy = new float[n];
    }

    @Benchmark
    public float[] attend() {
        baseline.attend(problem.q(), problem.k(), problem.v(), rowScale, problem.mask(), o, entropy);
        return o;
    }
}
