package org.isentropic.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.cli.conform.CommandTemplate;
import org.isentropic.cli.conform.ConformCases;
import org.isentropic.cli.conform.ConformSpec;
import org.isentropic.cli.conform.Conformance;
import org.isentropic.cli.conform.ExternalKernel;
import org.isentropic.cli.conform.Reproducer;
import org.isentropic.cli.conform.Shrinker;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.verification.bridge.AttentionInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic conform}: property tests for an attention kernel written in any language, run as a
 * command. It generates cases ({@link ConformCases}), writes each as float32 .npy files, runs the command
 * ({@link ExternalKernel}), compares its output with the reference kernel under the declared attention
 * within a derived bound ({@link org.isentropic.cli.conform.ConformCheck}), stops at the first failure,
 * shrinks it ({@link Shrinker}) and writes it as a reproducer ({@link Reproducer}). Exit 0 when every case
 * passes, 1 on a failure (a wrong output, a crash, a timeout, a missing, malformed, wrongly shaped or
 * non-finite output), 2 for bad options (checked before any case runs). Progress on stderr, the table
 * of cases on stdout.
 */
@Command(name = "conform", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Property tests for an attention kernel in any language (Python, C++, CUDA, ...), run as a"
                + " command: checks that it computes the attention it declares.",
            "",
            "For each case conform writes q, k (n x d) and v (n x dv) as float32 .npy files (one head, C order),"
                + " runs --cmd with the placeholders {q} {k} {v} {out} (file paths) and {N} {n} {d} {dv} (numbers)"
                + " filled in, and reads {out}: the kernel must write O (n x dv, float32 .npy). O is compared with the"
                + " project's reference kernel for the declared --logits, --mask and --rule, element by element,"
                + " within a bound derived from float32 rounding (a correct float32 kernel stays far inside it).",
            "",
            "The command runs directly, not through a shell (quotes group words; wrap pipes in sh -c), with the"
                + " working directory and environment of conform.",
            "",
            "Cases: lengths N, L, N + 1, 2N - 1, an odd length between, short lengths (3, N/2 + 1, 17) and"
                + " lengths drawn from [N, L]; d in 64, 7, 16, 128, 4, 33, 2, 96, 32, 5 and dv = d or not; hostile"
                + " inputs: large logits, equal keys, zero vectors (a zero vector has cosine 0 with every key), near"
                + " ties, a dominant key.",
            "",
            "The first failing case (a wrong value, a crash, a timeout, a missing, malformed, wrongly shaped or"
                + " non-finite output) is shrunk (fewer rows, smaller d and dv, rounder values) and, with --out,"
                + " written there as a reproducer: q.npy k.npy v.npy expected.npy actual.npy command.txt case.json"
                + " REPRODUCE.md.",
            "",
            "Exit status: 0 every case passes, 1 a case fails, 2 bad options. Progress on stderr; the table of"
                + " cases on stdout.",
            "",
            "Example: isentropic conform --cmd 'python3 kernel.py {q} {k} {v} {out} {N}' --rule infoscale"
                + " --train-length 64 --out conform-out",
            ""})
public final class ConformCommand implements Callable<Integer> {

    /** Largest --max-length: the reference kernel takes O(n^2 d) per case; 8192 is seconds per case. */
    static final int LENGTH_LIMIT = 8192;
    /** Most cases one run may ask for. */
    static final int CASES_LIMIT = 10_000;

    // --cmd and --rule are required, checked in call() rather than by picocli: picocli reports a missing
    // required option before an unknown one, and the unknown option is the one the user has to see first
    @Option(names = "--cmd", paramLabel = "TEMPLATE",
            description = "Required: the kernel's command line, with {q} {k} {v} {out} (required) and optionally {N}"
                    + " {n} {d} {dv}, e.g. 'python3 kernel.py {q} {k} {v} {out} {N}'.")
    String cmd;

    @Option(names = "--rule", paramLabel = "ID", completionCandidates = ScalesCommand.RuleIds.class,
            description = "Required: the temperature rule the kernel applies to its logits, from the theory registry:"
                    + " ${COMPLETION-CANDIDATES} (InfoScale: sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))), d the head"
                    + " dimension of q).")
    String rule;

    @Mixin
    TrainLengthOption trainLength;

    @Mixin
    LogitOptions logits;

    @Option(names = "--mask", defaultValue = "full", paramLabel = "MASK",
            description = "full (every row sees every key) or causal (row i sees keys j <= i) (default:"
                    + " ${DEFAULT-VALUE}).")
    String mask;

    @Mixin
    NModeOption nMode;

    @Option(names = "--max-length", paramLabel = "L",
            description = "Longest case, N <= L <= " + LENGTH_LIMIT + " (default: 4N, at most " + LENGTH_LIMIT + ").")
    Integer maxLength;

    @Option(names = "--cases", paramLabel = "K", defaultValue = "24",
            description = "Number of cases, 1 to " + CASES_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int cases;

    @Mixin
    SeedOption seed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest one run of the command may take; a run that takes longer is stopped and fails"
                    + " (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (cmd == null || rule == null) {
            throw new UserInputException((cmd == null ? "--cmd" : "--rule") + ": required (isentropic conform"
                    + " --cmd 'python3 kernel.py {q} {k} {v} {out} {N}' --rule infoscale --train-length 64)");
        }
        CommandTemplate template = CommandTemplate.parse("--cmd", cmd);
        template.requireProgram("--cmd", System.getenv("PATH"));
        ConformSpec declared = declared();
        int n0 = declared.trainLength();
        int maxLen = maxLength != null ? maxLength : (int) Math.max(n0, Math.min(4L * n0, LENGTH_LIMIT));
        OptionChecks.inRange("--max-length", maxLen, n0, LENGTH_LIMIT);
        OptionChecks.inRange("--cases", cases, 1, CASES_LIMIT);
        OptionChecks.inInterval("--timeout", timeout, "(0, 1000000]");
        OutputFiles files = new OutputFiles();
        Path outDir = null;
        Path tableFile = null;
        if (output.out != null) {
            outDir = files.directory("--out", output.out);
            tableFile = output.tableFile(files, "conform");
            for (String name : Reproducer.FILES) {
                files.fileIn("--out", outDir, name);
            }
        }
        PrintWriter err = output.err();
        Path work;
        try {
            work = Files.createTempDirectory("isentropic-conform-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory: " + OutputFiles.reason(e), e);
        }
        ExternalKernel kernel = new ExternalKernel(template, declared.trainLength(), work, (long) Math.ceil(timeout * 1000));
        // on every way out, an interrupt (Ctrl-C) included: no command left running, no work directory left
        Thread cleanup = new Thread(() -> {
            ExternalKernel.stopRunning();
            deleteTree(work);
        }, "conform-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(kernel, template, declared, maxLen, outDir, tableFile, err);
        } catch (UserInputException e) {
            // every option was checked above: anything refused now is a failure while running (exit 1), not bad input
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    private int run(ExternalKernel kernel, CommandTemplate template, ConformSpec declared, int maxLen, Path outDir,
                    Path tableFile, PrintWriter err) {
        Conformance conformance = new Conformance(declared, kernel);
        List<ConformCases.Case> all = ConformCases.generate(declared.trainLength(), maxLen, cases, seed.seed);
        err.printf(Locale.ROOT, "conform: %d cases, n up to %d, against %s at N = %d; command: %s%n", cases, maxLen,
                declared.logitsText() + ", mask " + (declared.causal() ? "causal" : "full") + ", rule "
                        + declared.ruleId(), declared.trainLength(), template.text());
        err.flush();
        Table table = new Table(3, "case", "n", "d", "dv", "inputs", "max_error", "bound", "seconds", "result");
        ConformCases.Case failed = null;
        Conformance.Outcome failure = null;
        double worstRatio = 0;
        for (ConformCases.Case c : all) {
            Conformance.Outcome o = conformance.check(c.inputs());
            add(table, Integer.toString(c.index()), c.inputs(), c.family().label(), o);
            err.printf(Locale.ROOT, "conform: case %d/%d (n = %d, d = %d, dv = %d, %s): %s%n", c.index(), cases,
                    c.inputs().n(), c.inputs().d(), c.inputs().dv(), c.family().label(),
                    (o.pass() ? "pass, " : "FAIL (" + o.failure() + "): ") + o.message());
            err.flush();
            if (!o.pass()) {
                failed = c;
                failure = o;
                break;
            }
            worstRatio = Math.max(worstRatio, o.comparison().worstRatio());
        }
        if (failed == null) {
            output.emit(table, tableFile);
            if (outDir != null && Reproducer.removeStale(outDir)) {
                err.println("conform: removed the reproducer of an earlier failing run from " + output.out);
            }
            err.printf(Locale.ROOT, "conform: PASS: %s within %s bounds (the worst element used %.2g of its bound)%n",
                    cases == 1 ? "the case is" : "all " + cases + " cases are", cases == 1 ? "its" : "their", worstRatio);
            err.flush();
            return 0;
        }
        Shrinker.Result shrunk = shrink(conformance, failure, failed, err);
        Conformance.Outcome smallest = shrunk.outcome();
        if (smallest != failure) {
            add(table, failed.index() + " shrunk", smallest.inputs(), failed.family().label(), smallest);
        }
        if (outDir != null) {
            Reproducer.write(outDir, kernel, new Reproducer.Failure(failed, shrunk, declared, template,
                    output.typedCommand(), seed.seed));
        }
        output.emit(table, tableFile);
        err.printf(Locale.ROOT, "conform: FAIL (%s) on n = %d, d = %d, dv = %d%s: %s%n", smallest.failure(),
                smallest.inputs().n(), smallest.inputs().d(), smallest.inputs().dv(),
                shrunk.steps().isEmpty() ? " (case " + failed.index() + ")" : " (shrunk from case " + failed.index()
                        + " in " + shrunk.runs() + " runs)", smallest.message());
        err.printf(Locale.ROOT, "conform: declared: %s%n", declared.describe(smallest.inputs().d()));
        if (outDir != null) {
            err.println("conform: reproducer in " + output.out + ": q.npy k.npy v.npy expected.npy"
                    + (smallest.run().output() != null ? " actual.npy" : "") + " command.txt case.json REPRODUCE.md");
            err.println("conform: rerun the kernel on it: " + CommandTemplate.shellQuoted(
                    kernel.argv(outDir.toAbsolutePath(), smallest.inputs().n(), smallest.inputs().d(),
                            smallest.inputs().dv())));
        } else {
            err.println("conform: add --out DIR to write the case as a reproducer");
        }
        err.flush();
        return 1;
    }

    private static Shrinker.Result shrink(Conformance conformance, Conformance.Outcome failure, ConformCases.Case failed,
                                          PrintWriter err) {
        ExternalKernel.Trouble trouble = failure.run().trouble();
        if (trouble == ExternalKernel.Trouble.TIMEOUT || trouble == ExternalKernel.Trouble.NOT_STARTED) {
            err.println("conform: not shrinking a case whose command " + trouble.words()
                    + " (every try could do the same)");
            return new Shrinker.Result(failure, 0, List.of());
        }
        err.printf(Locale.ROOT, "conform: shrinking case %d (at most %d runs of the command)%n", failed.index(),
                Shrinker.MAX_RUNS);
        err.flush();
        return new Shrinker(conformance::check, failure.failure(), line -> {
            err.println("conform: shrink: " + line);
            err.flush();
        }).shrink(failure);
    }

    private static void add(Table table, String index, AttentionInputs in,
                            String family, Conformance.Outcome o) {
        boolean compared = o.comparison() != null;
        table.add(index, in.n(), in.d(), in.dv(), family,
                compared ? String.format(Locale.ROOT, "%.3e", o.comparison().maxError()) : "",
                compared ? String.format(Locale.ROOT, "%.3e", o.comparison().bound()) : "",
                o.run().seconds(), o.pass() ? "pass" : o.failure());
    }

    /** The attention the options declare (every option checked, naming it as typed). */
    ConformSpec declared() {
        String id = rule.toLowerCase(Locale.ROOT);
        if (id.equals("isentropic")) {
            throw new UserInputException("--rule: isentropic solves a temperature per row to a tolerance;"
                    + " conform checks closed-form rules (known: " + String.join(", ", ScalesCommand.RULES) + ")");
        }
        ScalesCommand.rule("--rule", ScalesCommand.RULES.contains(id) ? id : rule);
        OptionChecks.inRange("--train-length", trainLength.value, 2, LENGTH_LIMIT);
        AttentionSpec base = logits.spec();
        boolean causal = OptionChecks.oneOf("--mask", mask, List.of("full", "causal")).equals("causal");
        return new ConformSpec(base, causal, id, trainLength.value, 0, nMode.orNull());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // System.err, not the command's writer: this also runs in the shutdown hook, after the command
            System.err.println("conform: could not remove the work directory " + dir + ": " + e.getMessage());
        }
    }
}
