package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.DecodeStep;
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
 * The decode step ({@link DecodeStep}): the newest token's query against a causal K/V cache of n tokens,
 * dot-product logits, entropy included, the cache split over {@code threads} (split-K). The cache is filled in setup; each measured call is one step at
 * length n (the report turns it into GB/s of K and V, 4 n (d + dv) bytes per step). Setup checks a
 * {@value #CHECK_N}-token cache's step against the last row of the reference kernel before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class DecodeBenchmark {

    /** Cache length of the agreement check. */
    public static final int CHECK_N = 512;

    @Param({"1024", "4096", "16384", "65536"})
    public int n;

    @Param({"64", "128"})
    public int d;

    /** Threads of the step (split-K over the cache). */
    @Param({"1", "2"})
    public int threads;

    private DecodeStep step;
    private float[] query;
    private float[] o;

    @Setup(Level.Trial)
    public void setup() {
        AttentionCase check = AttentionCase.dot(CHECK_N, d, "causal", Workloads.seed());
        DecodeStep small = filled(check, threads);
        float[] co = new float[check.dv()];
        float h = small.attend(lastQuery(check), co);
        Agreement.checkRow("decode step", check, check.reference(), CHECK_N - 1, co, h);

        AttentionCase problem = AttentionCase.dot(n, d, "causal", Workloads.seed());
        step = filled(problem, threads);
        query = lastQuery(problem);
        o = new float[problem.dv()];
    }

    private static DecodeStep filled(AttentionCase c, int threads) {
        DecodeStep s = DecodeStep.create(c.spec(), c.d(), c.dv(), c.n(), threads);
        for (int t = 0; t < c.n(); t++) {
            s.append(c.k(), t * c.d(), c.v(), t * c.dv());
        }
        return s;
    }

    private static float[] lastQuery(AttentionCase c) {
        float[] q = new float[c.d()];
        System.arraycopy(c.q(), (c.n() - 1) * c.d(), q, 0, c.d());
        return q;
    }

    @Benchmark
    public float step() {
        return step.attend(query, o);
    }
}
