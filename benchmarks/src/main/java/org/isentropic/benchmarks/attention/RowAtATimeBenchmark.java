package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.benchmarks.baseline.RowAtATimeAttention;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The row-at-a-time baseline ({@link RowAtATimeAttention}: vector dot with a horizontal reduce per score,
 * softmax with Math.exp, saxpy per key), dot-product logits, entropy always computed. Setup checks it
 * against the reference kernel (at n = {@value #CHECK_N} when n is larger) before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class RowAtATimeBenchmark {

    /** Largest n checked against the reference at full size; larger cases are checked at this n. */
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
    private RowAtATimeAttention baseline;
    private float[] rowScale;
    private float[] o;
    private float[] entropy;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.dot(n, d, mask, Workloads.seed());
        baseline = RowAtATimeAttention.create(n, threads);
        AttentionCase check = n <= CHECK_N ? problem : problem.resized(CHECK_N);
        float[] co = new float[check.n() * check.dv()];
        float[] ce = new float[check.n()];
        baseline.attend(check.q(), check.k(), check.v(), check.n(), d, check.dv(), check.rowScale(),
                check.mask(), co, ce);
        Agreement.check("row-at-a-time", check, co, ce);
        rowScale = problem.rowScale();
        o = new float[n * problem.dv()];
        entropy = new float[n];
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
