package org.isentropic.benchmarks.attention;

import java.util.Locale;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The fused kernel ({@code AttentionKernels.fused(config)}) over the problem of {@link MaskedBenchmark}
 * with its variants: entropy on or off, {@code dot} or {@code cosine} logits, the {@code standard} or
 * {@code infoscale} rule. {@code tile} selects the score register tile ({@code default} = the kernel's default
 * for this machine kind, or a {@link FusedKernel.QkTile} name) so that tile shapes can be compared with
 * {@code -p tile=R6C4,R8C3,R4C3,R4C4}. Setup checks the kernel (same
 * configuration) against the reference kernel at n itself when n <= {@value #CHECK_N}, else at n =
 * {@value #CHECK_N}, before measuring; with entropy off only the output is checked (the kernel then reports
 * NaN entropies).
 */
public class FusedAttentionBenchmark extends MaskedBenchmark {

    @Param({"true", "false"})
    public boolean entropy;

    @Param({"dot", "cosine"})
    public String logits;

    @Param({"standard", "infoscale"})
    public String rule;

    @Param({"default"})
    public String tile;

    private AttentionCase problem;
    private FusedKernel kernel;
    private AttentionOutput out;

    @Setup(Level.Trial)
    public void setup() {
        problem = AttentionCase.of(n, d, mask, logits, rule, seed());
        FusedKernel.Config config = FusedKernel.Config.defaults(threads).withEntropy(entropy);
        if (!tile.equals("default")) {
            config = config.withQkTile(FusedKernel.QkTile.valueOf(tile.toUpperCase(Locale.ROOT)));
        }
        kernel = AttentionKernels.fused(config);
        requireSimd(kernel.usesSimd(), "fused kernel");
        Agreement.check(kernel, atCheckSize(problem), entropy);
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
