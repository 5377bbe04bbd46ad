package org.isentropic.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.MultiHeadKernel;
import org.isentropic.kernels.fused.MultiHeadOutput;
import org.isentropic.kernels.io.Npy;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;

/**
 * {@code isentropic attend} on 3-D inputs: q of shape [heads, n, d], k of shape [kvHeads, n, d] and v of
 * shape [kvHeads, n, dv], heads a multiple of kvHeads; query head h attends over KV head
 * {@code h / (heads / kvHeads)} (grouped-query attention; multi-query when kvHeads = 1), every head under
 * the spec the options describe, through {@link MultiHeadKernel}. Under {@code --rule isentropic} (a
 * per-row solver that MultiHeadKernel does not run) each head is one call of the isentropic kernel on its
 * slices, which is the same attention. Writes O as [heads, n, dv] and the probabilities as [heads, n, n];
 * the table gets a leading {@code head} column. Every check, the memory included, runs before any work.
 */
final class MultiHeadAttend {

    private final AttendCommand command;

    MultiHeadAttend(AttendCommand command) {
        this.command = command;
    }

    int run(Npy.Header qh, Npy.Header kh, Npy.Header vh) {
        int[] qs = threeD("--q", qh.shape(), "[heads, n, d]");
        int[] ks = threeD("--k", kh.shape(), "[kvHeads, n, d]");
        int[] vs = threeD("--v", vh.shape(), "[kvHeads, n, dv]");
        int heads = qs[0];
        int n = qs[1];
        int d = qs[2];
        int kvHeads = ks[0];
        if (ks[1] != n || ks[2] != d) {
            throw new UserInputException("--k: shape " + Arrays.toString(ks) + " does not match --q shape "
                    + Arrays.toString(qs) + " (n and d must agree: [kvHeads, n, d])");
        }
        if (heads % kvHeads != 0) {
            throw new UserInputException("--k: " + kvHeads + " KV heads do not divide the " + heads
                    + " query heads of --q (heads must be a multiple of kvHeads)");
        }
        if (vs[0] != kvHeads || vs[1] != n) {
            throw new UserInputException("--v: shape " + Arrays.toString(vs) + " does not match --k shape "
                    + Arrays.toString(ks) + " (need [kvHeads, n, dv] = [" + kvHeads + ", " + n + ", dv])");
        }
        int dv = vs[2];
        boolean probs = command.outProbs != null;
        if (probs && n > AttendCommand.MAX_PROBS_N) {
            throw new UserInputException("--out-probs: n = " + n + " exceeds " + AttendCommand.MAX_PROBS_N
                    + " (an n x n matrix per head); leave --out-probs out for this n");
        }
        String request = "--q, --k, --v of heads = " + heads + ", kvHeads = " + kvHeads + ", n = " + n + ", d = " + d
                + ", dv = " + dv + (probs ? " with --out-probs" : "");
        long values = MemoryLimit.times(heads, MemoryLimit.times(n, Math.max(dv, probs ? n : 0)));
        MemoryLimit.requireArray(request, values, "use fewer heads or a shorter n");
        AttentionSpec spec = command.spec(d);
        OutputFiles files = new OutputFiles().input("--q", command.inputs.q).input("--k", command.inputs.k)
                .input("--v", command.vFile);
        Path oFile = command.outO == null ? null : files.file("--out-o", command.outO);
        Path probsFile = probs ? files.file("--out-probs", command.outProbs) : null;
        Path tableFile = command.output.tableFile(files, "attend");
        MemoryLimit.require(request, memory(qh, kh, vh, heads, n, dv, probs));

        float[] q = NpyInputs.floats("--q", command.inputs.q);
        float[] k = NpyInputs.floats("--k", command.inputs.k);
        float[] v = NpyInputs.floats("--v", command.vFile);
        MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, dv, probs);
        if (spec.isentropic() == null) {
            NpyInputs.attend(spec, () -> MultiHeadKernel.create(command.threads.threads)
                    .attend(spec, q, k, v, heads, kvHeads, n, d, dv, out));
        } else {
            var kernel = AttentionKernels.isentropic(AttentionKernels.fused(command.threads.threads));
            int group = heads / kvHeads;
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                float[] qHead = Arrays.copyOfRange(q, h * n * d, (h + 1) * n * d);
                float[] kHead = Arrays.copyOfRange(k, g * n * d, (g + 1) * n * d);
                float[] vHead = Arrays.copyOfRange(v, g * n * dv, (g + 1) * n * dv);
                AttentionOutput head = out.head(h);
                NpyInputs.attend(spec, () -> kernel.attend(spec, qHead, kHead, vHead, n, d, dv, head));
                EntropyTable.logIsentropic(spec, head.isentropic(), n, command.output.err());
            }
        }
        Table table = EntropyTable.table(spec.isentropic() != null, "head");
        for (int h = 0; h < heads; h++) {
            EntropyTable.addRows(table, new Object[] {h}, out.head(h));
        }
        String rendered = table.render(command.output.format);
        if (oFile != null) {
            AttendCommand.write(oFile, command.outO, new int[] {heads, n, dv}, concat(out, heads, n * dv, false),
                    command.output.err());
        }
        if (probsFile != null) {
            AttendCommand.write(probsFile, command.outProbs, new int[] {heads, n, n}, concat(out, heads, n * n, true),
                    command.output.err());
        }
        command.output.emit(rendered, tableFile);
        return 0;
    }

    /** A checked 3-D shape with every extent >= 1; a 2-D one beside 3-D ones is refused, naming its option. */
    private static int[] threeD(String option, int[] shape, String layout) {
        if (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
            throw new UserInputException(option + ": need a non-empty 3-D array " + layout + " when any of --q,"
                    + " --k, --v is 3-D, got shape " + Arrays.toString(shape));
        }
        return shape;
    }

    /**
     * The bytes of the largest live arrays: each input as read (double) and as float, per-head copies of
     * queries and keys inside the kernel (float, about 4 per value), O per head and its [heads, n, dv] copy,
     * the probabilities (twice: per head and the file's copy) and the table (a few hundred bytes per row).
     */
    static long memory(Npy.Header q, Npy.Header k, Npy.Header v, int heads, int n, int dv, boolean probs) {
        long rows = (long) heads * n;
        return 28 * (q.count() + k.count()) + 20 * v.count() + 8 * rows * dv + (probs ? 8 * rows * n : 0)
                + 256 * rows;
    }

    /** The heads' O (or probabilities) one after the other: the C-order [heads, rows, cols] layout. */
    private static float[] concat(MultiHeadOutput out, int heads, int perHead, boolean probs) {
        float[] all = new float[heads * perHead];
        for (int h = 0; h < heads; h++) {
            float[] part = probs ? out.head(h).probs() : out.head(h).o();
            System.arraycopy(part, 0, all, h * perHead, perHead);
        }
        return all;
    }
}
