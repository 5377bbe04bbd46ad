package org.isentropic.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.io.Npy;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicRows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic attend}: runs the fused attention kernel on tensors saved with NumPy ({@code .npy},
 * float32 or float64, C order; q and k of shape n x d, v of shape n x dv) under any spec of the kernels
 * module, prints the per-row entropy (nats) and logsumexp as a table, and optionally writes the output
 * O (n x dv) and the probability matrix (n x n) as float32 .npy files; 3-D inputs run every head
 * ({@link MultiHeadAttend}). Bad input (a malformed file, NaN,
 * mismatched shapes, an unknown option value) exits with 2 and a message naming the argument; nothing is
 * written then.
 */
@Command(name = "attend", mixinStandardHelpOptions = true,
        description = {"Attention with per-row entropy on .npy tensors (q, k: n x d; v: n x dv), any logit kind,"
                + " temperature rule, position scheme and mask.",
            "Prints row, entropy (nats) and logsumexp; --out-o and --out-probs write float32 .npy files.",
            "3-D inputs (q: heads x n x d; k: kvHeads x n x d; v: kvHeads x n x dv; heads a multiple of kvHeads) run"
                + " grouped-query attention (multi-query when kvHeads = 1) and add a head column."})
public final class AttendCommand implements Callable<Integer> {

    /** Largest n for --out-probs (an n x n float matrix, 256 MiB at this n). */
    static final int MAX_PROBS_N = 8192;

    @Mixin
    QueryKeyInputs inputs;

    @Option(names = "--v", required = true, paramLabel = "FILE", description = "Values, n x dv or kvHeads x n x dv (.npy).")
    Path vFile;

    @Mixin
    LogitOptions logits;

    @Mixin
    TemperatureRuleOptions temperature;

    @Mixin
    TrainLengthOption trainLength;

    @Mixin
    PositionMaskOptions placement;

    @Mixin
    ThreadsOption threads = new ThreadsOption(1);

    @Option(names = "--out-o", paramLabel = "FILE", description = "Write O (n x dv, float32 .npy).")
    Path outO;

    @Option(names = "--out-probs", paramLabel = "FILE",
            description = "Write the probabilities (n x n, float32 .npy; n <= " + MAX_PROBS_N + ").")
    Path outProbs;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        threads.checked();
        Npy.Header qh = NpyInputs.header("--q", inputs.q);
        Npy.Header kh = NpyInputs.header("--k", inputs.k);
        Npy.Header vh = NpyInputs.header("--v", vFile);
        if (qh.shape().length == 3 || kh.shape().length == 3 || vh.shape().length == 3) {
            return new MultiHeadAttend(this).run(qh, kh, vh);
        }
        NpyInputs.matrix("--q", qh.shape());
        NpyInputs.matrix("--k", kh.shape());
        NpyInputs.matrix("--v", vh.shape());
        int n = qh.shape()[0];
        int d = qh.shape()[1];
        if (kh.shape()[0] != n || kh.shape()[1] != d) {
            throw new UserInputException("--k: shape " + Arrays.toString(kh.shape()) + " does not match --q shape "
                    + Arrays.toString(qh.shape()) + " (both must be n x d)");
        }
        if (vh.shape()[0] != n) {
            throw new UserInputException("--v: shape " + Arrays.toString(vh.shape()) + " has " + vh.shape()[0]
                    + " rows, --q has " + n);
        }
        int dv = vh.shape()[1];
        if (outProbs != null && n > MAX_PROBS_N) {
            throw new UserInputException("--out-probs: n = " + n + " exceeds " + MAX_PROBS_N
                    + " (an n x n matrix); leave --out-probs out for this n");
        }
        AttentionSpec spec = spec(d);
        OutputFiles files = new OutputFiles().input("--q", inputs.q).input("--k", inputs.k).input("--v", vFile);
        Path oFile = outO == null ? null : files.file("--out-o", outO);
        Path probsFile = outProbs == null ? null : files.file("--out-probs", outProbs);
        Path tableFile = output.tableFile(files, "attend");
        MemoryLimit.require("--q, --k, --v of n = " + n + ", d = " + d + ", dv = " + dv
                + (outProbs != null ? " with --out-probs" : ""), memory(qh, kh, vh, n, dv, outProbs != null));

        float[] q = NpyInputs.floats("--q", inputs.q);
        float[] k = NpyInputs.floats("--k", inputs.k);
        float[] v = NpyInputs.floats("--v", vFile);
        AttentionOutput out = AttentionOutput.allocate(n, dv, outProbs != null);
        NpyInputs.attend(spec, () -> AttentionKernels.isentropic(AttentionKernels.fused(threads.threads))
                .attend(spec, q, k, v, n, d, dv, out));
        IsentropicRows iso = out.isentropic();
        Table table = EntropyTable.table(iso != null);
        EntropyTable.addRows(table, new Object[0], out);
        if (iso != null) {
            EntropyTable.logIsentropic(spec, iso, n, output.err());
        }
        String rendered = table.render(output.format);
        write(oFile, outO, new int[] {n, dv}, out.o(), output.err());
        write(probsFile, outProbs, new int[] {n, n}, out.probs(), output.err());
        output.emit(rendered, tableFile);
        return 0;
    }

    /** Writes a float32 .npy to a checked output (through a temporary file) when it was asked for. */
    static void write(Path file, Path asTyped, int[] shape, float[] data, java.io.PrintWriter err) {
        if (file != null) {
            OutputFiles.write(file, t -> Npy.write(t, shape, data));
            err.println("wrote " + asTyped);
        }
    }

    /**
     * The bytes of the largest live arrays: each input as read (double) and as float, the fused kernel's
     * rotated and scaled copies of q and k (float, about 4 per value), O, the probabilities (n x n float
     * with --out-probs) and the table (a few hundred bytes per row).
     */
    static long memory(Npy.Header q, Npy.Header k, Npy.Header v, int n, int dv, boolean probs) {
        long values = q.count() + k.count();
        return 28 * values + 20 * v.count() + 4L * n * dv + (probs ? 4L * n * n : 0) + 256L * n;
    }

    /** The spec the options describe, for head dimension {@code d}. */
    AttentionSpec spec(int d) {
        AttentionSpec s = logits.spec().withPositions(placement.positions(d, trainLength.value))
                .withMask(placement.mask(trainLength.value));
        return temperature.apply(s, d, trainLength.value);
    }
}
