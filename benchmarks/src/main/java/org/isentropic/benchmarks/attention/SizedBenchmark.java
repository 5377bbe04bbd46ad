package org.isentropic.benchmarks.attention;

import java.util.concurrent.TimeUnit;
import org.isentropic.base.Seeds;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The setup every kernel benchmark shares, kept in one {@code @State} class that the benchmarks extend (JMH
 * inherits the state, the run annotations and the {@code @Param} fields; a subclass's own annotation, e.g.
 * {@code @OutputTimeUnit(MICROSECONDS)} for a decode step, takes precedence): average time per call in
 * milliseconds, 5 x 1 s of warm-up and of measurement in each of 2 forks, every fork with the Vector API
 * module and a 1 GiB heap; the problem size {@code n}, {@code d} and the thread count; the seed of the inputs;
 * and the size of the check against the reference kernel that every benchmark runs before it measures.
 *
 * <p>Each parameter's default is the anchor problem (n = 4096, d = 128, 1 thread): a JMH run without
 * {@code -p} measures it, a sweep names its values ({@code -p n=1024,4096 -p threads=1,2}); the plans of
 * {@code isentropic bench} give every parameter explicitly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public abstract class SizedBenchmark {

    /** Largest n checked against the reference kernel at full size; larger problems are checked at this n. */
    public static final int CHECK_N = 512;

    /** Sequence length (queries and keys), or the cache length of a decode step. */
    @Param({"4096"})
    public int n;

    /** Head dimension of queries and keys (dv = d). */
    @Param({"128"})
    public int d;

    /** Threads of the implementation under test. */
    @Param({"1"})
    public int threads;

    /** The seed of the inputs: system property {@code isentropic.seed} (the runner passes it to the forks). */
    protected static long seed() {
        return Seeds.seed();
    }

    /** The problem itself when n <= {@link #CHECK_N}, else the same kind of problem at n = CHECK_N. */
    protected static AttentionCase atCheckSize(AttentionCase problem) {
        return problem.n() <= CHECK_N ? problem : problem.resized(CHECK_N);
    }

    /** Refuses to measure a kernel that runs its scalar path (the fork lacks the Vector API module). */
    protected static void requireSimd(boolean usesSimd, String kernel) {
        if (!usesSimd) {
            throw new IllegalStateException("the " + kernel + " runs its scalar path: is jdk.incubator.vector"
                    + " missing from the fork's JVM arguments?");
        }
    }
}
