package org.isentropic.cli;

import org.isentropic.figures.output.OutputFiles;
import org.isentropic.figures.output.Table;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.IsentropicRows;
import org.isentropic.kernels.IsentropicTarget;
import org.isentropic.kernels.FloatRangeException;
import org.isentropic.kernels.LogitKind;
import org.isentropic.kernels.Mask;
import org.isentropic.kernels.NMode;
import org.isentropic.kernels.Positions;
import org.isentropic.kernels.SchemeEntry;
import org.isentropic.kernels.io.Npy;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        threads.checked();
        Npy.Header qh = header("--q", inputs.q);
        Npy.Header kh = header("--k", inputs.k);
        Npy.Header vh = header("--v", vFile);
        if (qh.shape().length == 3 || kh.shape().length == 3 || vh.shape().length == 3) {
            return new MultiHeadAttend(this).run(qh, kh, vh);
        }
        matrix("--q", qh.shape());
        matrix("--k", kh.shape());
        matrix("--v", vh.shape());
        int n = qh.shape()[0];
        int d = qh.shape()[1];
        if (kh.shape()[0] != n || kh.shape()[1] != d) {
            throw new IllegalArgumentException("--k: shape " + Arrays.toString(kh.shape()) + " does not match --q shape "
                    + Arrays.toString(qh.shape()) + " (both must be n x d)");
        }
        if (vh.shape()[0] != n) {
            throw new IllegalArgumentException("--v: shape " + Arrays.toString(vh.shape()) + " has " + vh.shape()[0]
                    + " rows, --q has " + n);
        }
        int dv = vh.shape()[1];
        if (outProbs != null && n > MAX_PROBS_N) {
            throw new IllegalArgumentException("--out-probs: n = " + n + " exceeds " + MAX_PROBS_N
                    + " (an n x n matrix); leave --out-probs out for this n");
        }
        AttentionSpec spec = spec(d);
        OutputFiles files = new OutputFiles().input("--q", inputs.q).input("--k", inputs.k).input("--v", vFile);
        Path oFile = outO == null ? null : files.file("--out-o", outO);
        Path probsFile = outProbs == null ? null : files.file("--out-probs", outProbs);
        Path tableFile = output.tableFile(files, "attend");
        MemoryLimit.require("--q, --k, --v of n = " + n + ", d = " + d + ", dv = " + dv
                + (outProbs != null ? " with --out-probs" : ""), memory(qh, kh, vh, n, dv, outProbs != null));

        float[] q = floats("--q", inputs.q);
        float[] k = floats("--k", inputs.k);
        float[] v = floats("--v", vFile);
        AttentionOutput out = AttentionOutput.allocate(n, dv, outProbs != null);
        attend(spec, () -> AttentionKernels.isentropic(AttentionKernels.fused(threads.threads))
                .attend(spec, q, k, v, n, d, dv, out));
        IsentropicRows iso = out.isentropic();
        Table table = table(iso != null);
        addRows(table, new Object[0], out);
        if (iso != null) {
            logIsentropic(spec, iso, n);
        }
        String rendered = table.render(output.format);
        write(oFile, outO, new int[] {n, dv}, out.o());
        write(probsFile, outProbs, new int[] {n, n}, out.probs());
        output.emit(rendered, tableFile, commandSpec.commandLine().getOut());
        return 0;
    }

    /**
     * Runs a kernel call; a float overflow names the options that caused it (exit 1), a kernel's complaint
     * about q, k or v the option that supplied the array (exit 2).
     */
    static void attend(AttentionSpec spec, Runnable call) {
        try {
            call.run();
        } catch (FloatRangeException e) {
            String inputs = e.source() == FloatRangeException.Source.VALUES ? "--v"
                    : spec.kind() == LogitKind.COSINE ? "--cos-scale" : "--q, --k";
            throw new ArithmeticException(inputs + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argumentOf(e.getMessage()) + e.getMessage(), e);
        }
    }

    /** The per-row table: {@code leading} columns (e.g. head), then row, entropy, logsumexp and the solver's. */
    static Table table(boolean isentropic, String... leading) {
        java.util.List<String> columns = new java.util.ArrayList<>(List.of(leading));
        columns.addAll(isentropic ? List.of("row", "target_entropy", "entropy", "lambda", "iterations", "logsumexp")
                : List.of("row", "entropy", "logsumexp"));
        return new Table(6, columns);
    }

    /**
     * One table row per query row of {@code out}: {@code prefix} (e.g. the head), the row, then entropy and
     * logsumexp, with the isentropic solver's target, lambda and iterations when it ran.
     */
    static void addRows(Table table, Object[] prefix, AttentionOutput out) {
        IsentropicRows iso = out.isentropic();
        for (int i = 0; i < out.entropy().length; i++) {
            Object[] cells = iso == null
                    ? new Object[] {i, (double) out.entropy()[i], (double) out.logSumExp()[i]}
                    : new Object[] {i, (double) iso.target()[i], (double) out.entropy()[i], (double) iso.lambda()[i],
                        iso.iterations()[i], (double) out.logSumExp()[i]};
            Object[] row = java.util.Arrays.copyOf(prefix, prefix.length + cells.length);
            System.arraycopy(cells, 0, row, prefix.length, cells.length);
            table.add(row);
        }
    }

    /** The isentropic solver's summary on stderr. */
    static void logIsentropic(AttentionSpec spec, IsentropicRows iso, int rows) {
        System.err.printf(Locale.ROOT, "attend: isentropic, %s: %d solver passes; %d of %d rows clamped (target out"
                + " of reach in [lambda_min, lambda_max]), %d unconverged%n", spec.isentropic(), iso.passes(),
                iso.clamped(), rows, iso.unconverged());
    }

    /** Writes a float32 .npy to a checked output (through a temporary file) when it was asked for. */
    static void write(Path file, Path asTyped, int[] shape, float[] data) {
        if (file != null) {
            OutputFiles.write(file, t -> Npy.write(t, shape, data));
            System.err.println("wrote " + asTyped);
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

    static Npy.Header header(String option, Path file) {
        return OptionChecks.named(option, () -> Npy.header(file));
    }

    /** Kernel messages name q, k or v by array; prefix the option that supplied it. */
    static String argumentOf(String message) {
        if (message.startsWith("q[") || message.startsWith("q ")) {
            return "--q: ";
        }
        if (message.startsWith("k[") || message.startsWith("k ")) {
            return "--k: ";
        }
        if (message.startsWith("v[") || message.startsWith("v ")) {
            return "--v: ";
        }
        return "";
    }

    private static void matrix(String option, int[] shape) {
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
            throw new IllegalArgumentException(option + ": need a non-empty 2-D array, got shape " + Arrays.toString(shape));
        }
    }

    /** The values of a checked input (2-D or 3-D) as float32, each finite. */
    static float[] floats(String option, Path file) {
        Npy.Array a = OptionChecks.named(option, () -> Npy.read(file));
        float[] f = a.toFloats();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw new IllegalArgumentException(option + ": value at " + index(i, a.shape()) + " is "
                        + (Double.isFinite(a.data()[i]) ? a.data()[i] + " (outside float32 range)" : String.valueOf(a.data()[i]))
                        + "; values must be finite");
            }
        }
        return f;
    }

    /** The C-order index of flat position i in an array of the given shape, as {@code [a, b, c]}. */
    private static String index(int i, int[] shape) {
        int[] at = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            at[axis] = i % shape[axis];
            i /= shape[axis];
        }
        return Arrays.toString(at);
    }

    /** The spec the options describe, for head dimension {@code d}. */
    AttentionSpec spec(int d) {
        AttentionSpec s = logits.spec().withPositions(placement.positions(d, trainLength.value))
                .withMask(placement.mask(trainLength.value));
        return temperature.apply(s, d, trainLength.value);
    }
}
