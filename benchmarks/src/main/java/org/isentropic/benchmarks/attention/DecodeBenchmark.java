package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.kernels.decode.DecodeStep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The decode step ({@link DecodeStep}): the newest token's query against a causal K/V cache of n tokens,
 * dot-product logits, entropy included, the cache split over {@code threads} (split-K). The cache is filled
 * in setup; each measured call is one step at length n (the report turns it into GB/s of K and V,
 * 4 n (d + dv) bytes per step). Setup checks a {@value #CHECK_N}-token cache's step against the last row of the reference kernel before measuring.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBenchmark extends SizedBenchmark {

    private DecodeStep step;
    private float[] query;
    private float[] o;

    @Setup(Level.Trial)
    public void setup() {
        AttentionCase check = AttentionCase.dot(CHECK_N, d, "causal", seed());
        DecodeStep small = filled(check, threads);
        float[] co = new float[check.dv()];
        float h = small.attend(lastQuery(check), co);
        Agreement.checkRow("decode step", check, check.reference(), CHECK_N - 1, co, h);

        AttentionCase problem = AttentionCase.dot(n, d, "causal", seed());
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
