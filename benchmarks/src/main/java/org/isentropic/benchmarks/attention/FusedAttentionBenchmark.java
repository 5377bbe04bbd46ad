package org.isentropic.benchmarks.attention;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.kernels.FusedKernel;
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
 * The fused kernel ({@code AttentionKernels.fused(config)}) over the full parameter matrix of the
 * benchmarks issue. {@code tile} selects the score register tile ({@code default} = the kernel's default
 * for this machine kind, or a {@link FusedKernel.QkTile} name) so that tile shapes can be compared with
 * {@code -p tile=R4C4,R8C3} (and {@code pvTile} likewise for the P.V tile). Setup checks the kernel (same configuration) against the reference kernel at
 * n itself when n <= {@value #CHECK_N}, else at n = {@value #CHECK_N}, before measuring; with entropy
 * off only the output is checked (the kernel then reports NaN entropies).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class FusedAttentionBenchmark {

    /** Largest n checked against the reference at full size. */
    public static final int CHECK_N = 512;

    @Param({"256", "1024", "4096", "16384"})
    public int n;

    @Param({"64", "128"})
    public int d;

    @Param({"bidirectional", "causal", "window256"})
    public String mask;

    @Param({"1", "2"})
    public int threads;

    @Param({"true", "false"})
    public boolean entropy;

    @Param({"dot", "cosine"})
    public String logits;

    @Param({"standard", "infoscale"})
    public String rule;

    @Param({"default"})
    public String tile;

    /** The P.V register tile: {@code default} or a {@link FusedKernel.PvTile} name. */
    @Param({"default"})
    public String pvTile;

    private AttentionCase problem;
    private FusedKernel kernel;
    private AttentionOutput out;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.of(n, d, mask, logits, rule, Workloads.seed());
        FusedKernel.Config config = FusedKernel.Config.defaults(threads).withEntropy(entropy);
        if (!tile.equals("default")) {
            config = config.withQkTile(FusedKernel.QkTile.valueOf(tile.toUpperCase(Locale.ROOT)));
        }
        if (!pvTile.equals("default")) {
            config = config.withPvTile(FusedKernel.PvTile.valueOf(pvTile.toUpperCase(Locale.ROOT)));
        }
        kernel = AttentionKernels.fused(config);
        if (!kernel.usesSimd()) {
            throw new IllegalStateException("the fused kernel runs its scalar path: is jdk.incubator.vector"
                    + " missing from the fork's JVM arguments?");
        }
        AttentionCase check = n <= CHECK_N ? problem : problem.resized(CHECK_N);
        AttentionOutput checkOut = AttentionOutput.allocate(check.n(), check.dv(), false);
        kernel.attend(check.spec(), check.q(), check.k(), check.v(), check.n(), d, check.dv(), checkOut);
        Agreement.check(kernel.name(), check, checkOut.o(), entropy ? checkOut.entropy() : null);
        out = AttentionOutput.allocate(n, problem.dv(), false);
    }

    /** One call, with the calling thread's allocation counted around it ({@link CallAllocation}). */
    @Benchmark
    public float[] attend(CallAllocation allocation) {
        allocation.start();
        kernel.attend(problem.spec(), problem.q(), problem.k(), problem.v(), n, d, problem.dv(), out);
        allocation.stop();
        return out.o();
    }
}
