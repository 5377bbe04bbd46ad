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

    @Option(names = "--q", required = true, paramLabel = "FILE", description = "Queries, n x d or heads x n x d (.npy).")
    Path qFile;

    @Option(names = "--k", required = true, paramLabel = "FILE", description = "Keys, n x d or kvHeads x n x d (.npy).")
    Path kFile;

    @Option(names = "--v", required = true, paramLabel = "FILE", description = "Values, n x dv or kvHeads x n x dv (.npy).")
    Path vFile;

    @Option(names = "--logits", defaultValue = "dot", paramLabel = "KIND",
            description = "dot (q.k/sqrt(d)) or cosine (s cos(q,k), CosScale) (default: ${DEFAULT-VALUE}).")
    String logits;

    @Option(names = "--cos-scale", defaultValue = "128", paramLabel = "S",
            description = "CosScale's s for --logits cosine, > 0 (default: ${DEFAULT-VALUE}).")
    double cosScale;

    @Option(names = "--rule", paramLabel = "ID",
            description = "Temperature rule from the theory registry (standard, infoscale, logn, softmax_plus,"
                    + " qwen_logn, yarn, longrope, ssmax, llama4), or isentropic: a temperature per row, solved so"
                    + " that the row keeps its target entropy (see --reference); default: none.")
    String rule;

    @Option(names = "--reference", paramLabel = "SET",
            description = "With --rule isentropic, row i's target entropy: window (its entropy at factor 1 over the"
                    + " N = --train-length keys [i - N/2, i + N/2), clipped to the sequence), causal-window (over the"
                    + " last N keys up to i) or value (--target-entropy for every row). Default: causal-window under"
                    + " --mask causal or --causal, else window.")
    String reference;

    @Option(names = "--target-entropy", paramLabel = "H",
            description = "With --reference value: the target entropy in nats, >= 0.")
    Double targetEntropy;

    @Option(names = "--tolerance", paramLabel = "NATS",
            description = "With --rule isentropic: |H_i - target_i| allowed (default: 1e-3).")
    Double tolerance;

    @Option(names = "--train-length", defaultValue = "64", paramLabel = "N",
            description = "Training length N for rules and for pi, ntk, yarn positions (default: ${DEFAULT-VALUE}).")
    int trainLength;

    @Option(names = "--head-dim", paramLabel = "D",
            description = "d that InfoScale uses (default: the tensors' d).")
    Integer headDim;

    @Option(names = "--n-mode", paramLabel = "MODE",
            description = "n the rule sees: sequence (the reference implementation), visible (keys the row sees) or"
                    + " position (i+1) (default: position for per-position rules, else sequence).")
    String nMode;

    @Option(names = "--position", defaultValue = "none", paramLabel = "SCHEME", completionCandidates = PositionHelp.class,
            description = "Position scheme (default: ${DEFAULT-VALUE}), with the options it reads:${COMPLETION-CANDIDATES}")
    String position;

    @Option(names = "--rope-base", defaultValue = "10000", paramLabel = "B",
            description = "Rotary base B > 1, theta_m = B^(-2m/d) (default: ${DEFAULT-VALUE}).")
    double ropeBase;

    @Option(names = "--window", paramLabel = "W",
            description = "W >= 1, one meaning everywhere: pairs with |i - j| < W (distances 0 .. W - 1) are local."
                    + " rerope keeps their relative position and gives every farther pair W - 1; the streaming"
                    + " and lambda masks see exactly those keys (plus the sinks).")
    Integer window;

    @Option(names = "--half-width", paramLabel = "H",
            description = "H >= 1 for --mask window: keys with |i - j| <= H are visible.")
    Integer halfWidth;

    @Option(names = "--slope", defaultValue = "0.00390625", paramLabel = "M",
            description = "ALiBi slope m >= 0, bias -m|i-j| (default: 1/256).")
    double slope;

    @Option(names = "--mask", defaultValue = "full", paramLabel = "MASK", completionCandidates = MaskHelp.class,
            description = "Mask (default: ${DEFAULT-VALUE}), with the options it reads:${COMPLETION-CANDIDATES}")
    String mask;

    @Option(names = "--sinks", paramLabel = "K",
            description = "K >= 0 sink tokens (the first K keys every row sees) for the streaming (default 4) and"
                    + " lambda (default 5) masks.")
    Integer sinks;

    @Option(names = "--causal", description = "Also mask keys j > i (with window, streaming or lambda masks).")
    boolean causal;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T",
            description = "Kernel threads (default: ${DEFAULT-VALUE}).")
    int threads;

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
        OptionChecks.inRange("--threads", threads, 1, 256);
        Npy.Header qh = header("--q", qFile);
        Npy.Header kh = header("--k", kFile);
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
        OutputFiles files = new OutputFiles().input("--q", qFile).input("--k", kFile).input("--v", vFile);
        Path oFile = outO == null ? null : files.file("--out-o", outO);
        Path probsFile = outProbs == null ? null : files.file("--out-probs", outProbs);
        Path tableFile = output.tableFile(files, "attend");
        MemoryLimit.require("--q, --k, --v of n = " + n + ", d = " + d + ", dv = " + dv
                + (outProbs != null ? " with --out-probs" : ""), memory(qh, kh, vh, n, dv, outProbs != null));

        float[] q = floats("--q", qFile);
        float[] k = floats("--k", kFile);
        float[] v = floats("--v", vFile);
        AttentionOutput out = AttentionOutput.allocate(n, dv, outProbs != null);
        attend(spec, () -> AttentionKernels.isentropic(AttentionKernels.fused(threads))
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

    /** The spec the options describe. */
    AttentionSpec spec(int d) {
        AttentionSpec s;
        switch (logits.toLowerCase(Locale.ROOT)) {
            case "dot":
                s = AttentionSpec.dot();
                break;
            case "cosine":
                s = AttentionSpec.cosine(OptionChecks.positive("--cos-scale", cosScale));
                break;
            default:
                throw new IllegalArgumentException("--logits: unknown value '" + logits + "' (known: dot, cosine)");
        }
        s = s.withPositions(positions(d)).withMask(mask());
        if (rule != null && rule.toLowerCase(Locale.ROOT).equals("isentropic")) {
            if (nMode != null) {
                throw new IllegalArgumentException("--n-mode: does not apply to --rule isentropic (a temperature per row)");
            }
            return s.withIsentropic(isentropicTarget(s.mask().isCausal()));
        }
        if (reference != null || targetEntropy != null || tolerance != null) {
            throw new IllegalArgumentException((reference != null ? "--reference" : targetEntropy != null
                    ? "--target-entropy" : "--tolerance") + ": only with --rule isentropic");
        }
        if (rule != null) {
            if (trainLength < 2) {
                throw new IllegalArgumentException("--train-length: must be >= 2 for a rule, got " + trainLength);
            }
            int hd = headDim == null ? d : headDim;
            if (hd < 1) {
                throw new IllegalArgumentException("--head-dim: must be >= 1, got " + hd);
            }
            ScalesCommand.rule("--rule", rule);
            TemperatureRule r = TemperatureRules.create(rule, RuleParameters.of(trainLength, hd));
            s = s.withRule(r, nMode(r));
        } else if (nMode != null) {
            throw new IllegalArgumentException("--n-mode: '" + nMode + "' given without --rule");
        }
        return s;
    }

    /** The isentropic target the options describe. */
    private IsentropicTarget isentropicTarget(boolean causal) {
        String ref = reference == null ? (causal ? "causal-window" : "window") : reference.toLowerCase(Locale.ROOT);
        IsentropicTarget t;
        switch (ref) {
            case "window":
            case "causal-window":
                if (targetEntropy != null) {
                    throw new IllegalArgumentException("--target-entropy: only with --reference value");
                }
                OptionChecks.inRange("--train-length", trainLength, 1, Integer.MAX_VALUE);
                t = ref.equals("window") ? IsentropicTarget.window(trainLength) : IsentropicTarget.causalWindow(trainLength);
                break;
            case "value":
                if (targetEntropy == null) {
                    throw new IllegalArgumentException("--reference: value needs --target-entropy H");
                }
                t = IsentropicTarget.value(OptionChecks.nonNegative("--target-entropy", targetEntropy));
                break;
            default:
                throw new IllegalArgumentException("--reference: unknown value '" + reference
                        + "' (known: window, causal-window, value)");
        }
        if (tolerance != null) {
            t = t.withTolerance(OptionChecks.positive("--tolerance", tolerance));
        }
        return t;
    }

    private NMode nMode(TemperatureRule r) {
        if (nMode == null) {
            return r.perPosition() ? NMode.POSITION : NMode.SEQUENCE;
        }
        switch (nMode.toLowerCase(Locale.ROOT)) {
            case "sequence": return NMode.SEQUENCE;
            case "visible": return NMode.VISIBLE;
            case "position": return NMode.POSITION;
            default:
                throw new IllegalArgumentException("--n-mode: unknown value '" + nMode + "' (known: sequence, visible, position)");
        }
    }

    /** The position scheme the options describe, from the kernels' registry. */
    private Positions positions(int d) {
        Positions p = parse(() -> Positions.parse(position, this::parameter));
        if (p.isRotary() && d % 2 != 0) {
            throw new IllegalArgumentException("--q: d = " + d + " is odd; --position " + position
                    + " rotates pairs (d must be even)");
        }
        return p;
    }

    /** The mask the options describe, from the kernels' registry (intersected with causal under --causal). */
    private Mask mask() {
        // A parameter option neither choice reads is refused first: it is the likelier mistake.
        SchemeEntry positionEntry = SchemeEntry.find(Positions.registry(), "position", position);
        SchemeEntry maskEntry = parse(() -> SchemeEntry.find(Mask.registry(), "mask", mask));
        for (String name : List.of("window", "half-width", "sinks")) {
            if (parameter(name) != null && !positionEntry.reads(name) && !maskEntry.reads(name)) {
                throw new IllegalArgumentException("--" + name + ": neither --position " + position + " nor --mask "
                        + mask + " reads it (they read: " + String.join(", ", reads(positionEntry, maskEntry)) + ")");
            }
        }
        Mask result = parse(() -> Mask.parse(mask, this::parameter));
        return causal ? result.andCausal() : result;
    }

    /** The value of a registry parameter from the option of the same name ("--" + name), null when not given. */
    private Number parameter(String name) {
        switch (name) {
            case "rope-base": return ropeBase;
            case "train-length": return trainLength;
            case "window": return window;
            case "half-width": return halfWidth;
            case "sinks": return sinks;
            case "slope": return slope;
            default: return null;
        }
    }

    /** Runs a registry parse, naming the option: the registry's messages start with the parameter's name. */
    private static <T> T parse(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
    }

    private static List<String> reads(SchemeEntry a, SchemeEntry b) {
        List<String> names = new java.util.ArrayList<>();
        for (SchemeEntry e : List.of(a, b)) {
            for (String p : e.parameters()) {
                names.add("--" + p.split("=")[0]);
            }
        }
        return names.isEmpty() ? List.of("nothing") : names;
    }

    /** The position schemes' help lines, for --position's description. */
    static final class PositionHelp implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return helpLines(Positions.registry()).iterator();
        }
    }

    /** The masks' help lines, for --mask's description. */
    static final class MaskHelp implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return helpLines(Mask.registry()).iterator();
        }
    }

    /** One help line per entry, options spelled as typed; picocli joins them with ", ". */
    private static List<String> helpLines(List<SchemeEntry> registry) {
        List<String> lines = new java.util.ArrayList<>();
        for (SchemeEntry e : registry) {
            StringBuilder b = new StringBuilder("%n  ").append(e.name());
            for (String p : e.parameters()) {
                String[] nameDefault = p.split("=");
                b.append(" --").append(nameDefault[0]).append(nameDefault.length > 1 ? " (default " + nameDefault[1] + ")" : "");
            }
            lines.add(b.append(": ").append(e.description()).toString());
        }
        return lines;
    }
}
