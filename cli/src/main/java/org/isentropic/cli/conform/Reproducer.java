package org.isentropic.cli.conform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Json;
import org.isentropic.base.OutputFiles;
import org.isentropic.kernels.io.Npy;
import org.isentropic.verification.bridge.AttentionInputs;

/**
 * The files of a failing case, written into {@code --out DIR}: the inputs {@code q.npy}, {@code k.npy}
 * (n x d) and {@code v.npy} (n x dv), the reference output {@code expected.npy}, what the command wrote
 * {@code actual.npy} (when it wrote a readable array of the right shape), {@code command.txt} (the kernel's
 * command line on these files, writing {@code out.npy}), {@code case.json} (everything about the case,
 * marked {@code "tool": "isentropic conform"}) and {@code REPRODUCE.md} (the same for a reader). All float32
 * .npy, each written through a temporary file.
 */
public final class Reproducer {

    /** The names written, in this order ({@code actual.npy} only when there is an output). */
    public static final List<String> FILES = List.of("q.npy", "k.npy", "v.npy", "expected.npy", "actual.npy",
            "command.txt", "case.json", "REPRODUCE.md");
    /** The marker in case.json by which a later passing run knows the files are conform's own. */
    static final String TOOL = "isentropic conform";

    private Reproducer() {
    }

    /**
     * Everything a reproducer says.
     *
     * @param original   the case as generated
     * @param shrunk     the shrink
     * @param declared   the declared attention
     * @param template   the command template
     * @param typed      the conform command line as typed
     * @param seed       --seed
     */
    public record Failure(ConformCases.Case original, Shrinker.Result shrunk, ConformSpec declared,
            CommandTemplate template, String typed, long seed) {
    }

    /**
     * Writes the files into a checked directory.
     *
     * @param dir   the directory (checked by {@link OutputFiles#directory}; created here when missing)
     * @param kernel the kernel, for the command line on the files
     * @param f     the failure
     */
    public static void write(Path dir, ExternalKernel kernel, Failure f) {
        Conformance.Outcome o = f.shrunk().outcome();
        AttentionInputs in = o.inputs();
        int n = in.n();
        int d = in.d();
        int dv = in.dv();
        String command = CommandTemplate.shellQuoted(kernel.argv(dir.toAbsolutePath(), n, d, dv)) + "\n";
        OutputFiles.write(dir.resolve("q.npy"), t -> Npy.write(t, new int[] {n, d}, in.q()));
        OutputFiles.write(dir.resolve("k.npy"), t -> Npy.write(t, new int[] {n, d}, in.k()));
        OutputFiles.write(dir.resolve("v.npy"), t -> Npy.write(t, new int[] {n, dv}, in.v()));
        OutputFiles.write(dir.resolve("expected.npy"), t -> Npy.write(t, new int[] {n, dv}, o.expected().expected()));
        float[] actual = o.run().output();
        Path actualFile = dir.resolve("actual.npy");
        if (actual != null) {
            OutputFiles.write(actualFile, t -> Npy.write(t, new int[] {n, dv}, actual));
        } else {
            deleteIfExists(actualFile);
        }
        OutputFiles.writeString(dir.resolve("command.txt"), command);
        OutputFiles.writeString(dir.resolve("case.json"), Json.writeIndented(json(f, command.strip()),
                x -> Double.isFinite(x) ? String.format(Locale.ROOT, "%.9g", x) : "null"));
        OutputFiles.writeString(dir.resolve("REPRODUCE.md"), readme(f, command.strip(), actual != null));
    }

    /**
     * Removes the files of an earlier failing run from {@code dir}, only when its case.json says they are
     * conform's; returns whether it did.
     */
    public static boolean removeStale(Path dir) {
        Path json = dir.resolve("case.json");
        try {
            if (!Files.isRegularFile(json)
                    || !(Json.parse(Files.readString(json, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)
                    || !TOOL.equals(m.get("tool"))) {
                return false;
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return false;
        }
        for (String name : FILES) {
            deleteIfExists(dir.resolve(name));
        }
        return true;
    }

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + OutputFiles.reason(e), e);
        }
    }

    private static Map<String, Object> json(Failure f, String command) {
        Conformance.Outcome o = f.shrunk().outcome();
        AttentionInputs in = o.inputs();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", TOOL);
        m.put("failure", o.failure());
        m.put("message", o.message());
        m.put("command", command);
        m.put("command_template", f.template().text());
        m.put("declared", f.declared().describe(in.d()));
        m.put("rule", f.declared().ruleId());
        m.put("train_length", f.declared().trainLength());
        m.put("n", in.n());
        m.put("d", in.d());
        m.put("dv", in.dv());
        m.put("inputs", in.description());
        if (o.comparison() != null) {
            ConformCheck.Comparison c = o.comparison();
            Map<String, Object> worst = new LinkedHashMap<>();
            worst.put("row", c.row());
            worst.put("column", c.column());
            worst.put("actual", c.actual());
            worst.put("expected", c.expected());
            worst.put("difference", Math.abs(c.actual() - c.expected()));
            worst.put("bound", c.bound());
            m.put("worst_element", worst);
            m.put("max_error", c.maxError());
        }
        List<Object> bounds = new ArrayList<>();
        for (double b : o.expected().bounds()) {
            bounds.add(b);
        }
        m.put("row_bounds", bounds);
        m.put("bound_source", "KernelAgreement.bounds(case).output() (Tolerances.logit and Tolerances.output) x (1 + "
                + ConformCheck.REFERENCE_RELATIVE_TEXT + ") + 2^-24 max|v|: see ConformCheck");
        Map<String, Object> original = new LinkedHashMap<>();
        ConformCases.Case c = f.original();
        original.put("case", c.index());
        original.put("n", c.inputs().n());
        original.put("d", c.inputs().d());
        original.put("dv", c.inputs().dv());
        original.put("inputs", c.inputs().description());
        m.put("shrunk_from", original);
        m.put("shrink_steps", new ArrayList<Object>(f.shrunk().steps()));
        m.put("shrink_runs", f.shrunk().runs());
        m.put("seed", Long.toString(f.seed()));
        m.put("rerun", f.typed());
        return m;
    }

    private static String readme(Failure f, String command, boolean hasActual) {
        Conformance.Outcome o = f.shrunk().outcome();
        AttentionInputs in = o.inputs();
        ConformCases.Case c = f.original();
        StringBuilder b = new StringBuilder();
        b.append("# isentropic conform: ").append(o.failure()).append("\n\n");
        b.append("The kernel command fails on this case, shrunk from case ").append(c.index()).append(" (n = ")
                .append(c.inputs().n()).append(", d = ").append(c.inputs().d()).append(", dv = ").append(c.inputs().dv())
                .append(", ").append(c.family().label()).append(") in ").append(f.shrunk().runs())
                .append(" runs of the command.\n\n");
        b.append("- Declared attention: ").append(f.declared().describe(in.d())).append(".\n");
        b.append("- Inputs: `q.npy`, `k.npy` (n x d = ").append(in.n()).append(" x ").append(in.d())
                .append("), `v.npy` (n x dv = ").append(in.n()).append(" x ").append(in.dv())
                .append("), float32; made as: ").append(in.description()).append(".\n");
        b.append("- `expected.npy`: the reference kernel's output for them");
        b.append(hasActual ? "; `actual.npy`: what the command wrote.\n" : "; the command wrote no usable output.\n");
        b.append("- Failure: ").append(o.message()).append(".\n");
        b.append("- Bound per row (absolute, on every output element): from the verification library's"
                + " float-kernel bound, see `case.json` (`row_bounds`, `bound_source`).\n\n");
        b.append("Run the kernel on these files (it writes `out.npy`; compare it with `expected.npy`):\n\n    ")
                .append(command).append("\n\n");
        b.append("Run the whole check again:\n\n    ").append(f.typed()).append("\n");
        return b.toString();
    }
}
