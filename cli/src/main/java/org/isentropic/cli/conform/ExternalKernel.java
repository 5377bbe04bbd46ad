package org.isentropic.cli.conform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.isentropic.kernels.io.Npy;
import org.isentropic.verification.bridge.AttentionInputs;

/**
 * Runs the kernel under test on one set of inputs: writes q, k (n x d) and v (n x dv) as float32 .npy
 * files into a work directory, runs the command of the {@link CommandTemplate} (no shell; standard input
 * closed, standard output and error kept in files), waits at most the timeout, and reads the output file
 * it names {@code {out}}. Whatever the command does (exits non-zero, hangs, writes nothing, writes a
 * file that is not a 2-D .npy of n x dv finite floats), the result is a {@link Run} that says so in one
 * sentence; nothing here throws for a misbehaving command.
 *
 * @param template      the command
 * @param trainLength   N, for the {@code {N}} placeholder
 * @param work          an existing directory of this run's own for the files exchanged with the command
 * @param timeoutMillis how long one run may take, &gt; 0
 */
public record ExternalKernel(CommandTemplate template, int trainLength, Path work, long timeoutMillis) {

    /** Lines of the command's standard error shown with a failure. */
    static final int STDERR_LINES = 6;
    /** Characters kept of each such line. */
    static final int STDERR_LINE_CHARS = 300;

    /** What went wrong with a run, or {@link #NONE}. */
    public enum Trouble {
        NONE("ok"),
        NOT_STARTED("could not start"),
        TIMEOUT("timed out"),
        EXIT_STATUS("exited with an error"),
        NO_OUTPUT("wrote no output"),
        UNREADABLE_OUTPUT("wrote an unreadable output"),
        WRONG_SHAPE("wrote an output of the wrong shape"),
        NOT_FINITE("wrote NaN or infinity");

        private final String words;

        Trouble(String words) {
            this.words = words;
        }

        /** A few words for tables and logs. */
        public String words() {
            return words;
        }
    }

    /**
     * One run of the command.
     *
     * @param argv    the command line that ran
     * @param trouble what went wrong, or NONE
     * @param message one sentence about it (empty when NONE)
     * @param output  the output (n x dv, row-major) when it could be read with the right size, else null
     *                (also set for NOT_FINITE, with its NaNs)
     * @param seconds wall time of the command
     */
    public record Run(List<String> argv, Trouble trouble, String message, float[] output, double seconds) {
        public boolean ok() {
            return trouble == Trouble.NONE;
        }
    }

    /** The command line for inputs of these sizes with files in {@code dir} (for a reproducer: out.npy). */
    public List<String> argv(Path dir, int n, int d, int dv) {
        return template.argv(Map.of("q", dir.resolve("q.npy").toString(), "k", dir.resolve("k.npy").toString(),
                "v", dir.resolve("v.npy").toString(), "out", dir.resolve("out.npy").toString(),
                "N", Integer.toString(trainLength), "n", Integer.toString(n), "d", Integer.toString(d),
                "dv", Integer.toString(dv)));
    }

    /** Writes the inputs, runs the command and reads its output. */
    public Run run(AttentionInputs in) {
        int n = in.n();
        int dv = in.dv();
        Path out = work.resolve("out.npy");
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        try {
            Files.deleteIfExists(out);
            Npy.write(work.resolve("q.npy"), new int[] {n, in.d()}, in.q());
            Npy.write(work.resolve("k.npy"), new int[] {n, in.d()}, in.k());
            Npy.write(work.resolve("v.npy"), new int[] {n, dv}, in.v());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the inputs for the command into " + work, e);
        }
        List<String> argv = argv(work, n, in.d(), dv);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Run(argv, Trouble.NOT_STARTED, "could not start '" + argv.get(0) + "': " + reason(e), null, 0);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // a command that does not read its input may already have closed the pipe
        }
        boolean finished = waitFor(p);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!finished) {
            stop(p);
            return new Run(argv, Trouble.TIMEOUT, String.format(java.util.Locale.ROOT,
                    "did not finish within the timeout of %s s (it was stopped; raise --timeout if it is only slow)%s",
                    seconds(timeoutMillis), tail(stderr)), null, seconds);
        }
        int status = p.exitValue();
        if (status != 0) {
            return new Run(argv, Trouble.EXIT_STATUS, "exited with status " + status
                    + (status > 128 ? " (killed by signal " + (status - 128) + ")" : "") + tail(stderr), null, seconds);
        }
        if (!Files.exists(out)) {
            return new Run(argv, Trouble.NO_OUTPUT, "exited with status 0 but wrote no {out} file" + tail(stderr),
                    null, seconds);
        }
        Npy.Array a;
        try {
            // the header first: an output of the wrong shape is refused before its data is read
            Npy.Header h = Npy.header(out);
            if (h.shape().length != 2 || h.shape()[0] != n || h.shape()[1] != dv) {
                return new Run(argv, Trouble.WRONG_SHAPE, "wrote an output of shape " + shape(h.shape())
                        + ", expected (" + n + ", " + dv + ") = (n, dv)", null, seconds);
            }
            a = Npy.read(out);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return new Run(argv, Trouble.UNREADABLE_OUTPUT, "wrote an {out} file that is not a float32 .npy array ("
                    + e.getMessage().replace(out.toString(), "{out}") + ")", null, seconds);
        }
        float[] o = a.toFloats();
        for (int x = 0; x < o.length; x++) {
            if (!Float.isFinite(o[x])) {
                return new Run(argv, Trouble.NOT_FINITE, "wrote " + o[x] + " at row " + (x / dv) + ", column "
                        + (x % dv) + " (every output must be finite)", o, seconds);
            }
        }
        return new Run(argv, Trouble.NONE, "", o, seconds);
    }

    /**
     * Stops every process this JVM started that still runs, and what they started (when conform itself is stopped,
     * e.g. by Ctrl-C: the command is this JVM's only child).
     */
    public static void stopRunning() {
        List<ProcessHandle> tree = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private boolean waitFor(Process p) {
        try {
            return p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the command ran", e);
        }
    }

    /** Stops the command and everything it started (collected first: they leave the tree when it dies). */
    private static void stop(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the command's standard error, as "; its stderr ends: ...", or "". */
    private static String tail(Path stderr) {
        List<String> lines;
        try {
            lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            try {
                lines = Arrays.asList(new String(Files.readAllBytes(stderr), StandardCharsets.ISO_8859_1).split("\\R"));
            } catch (IOException e2) {
                return "";
            }
        }
        List<String> kept = new ArrayList<>();
        for (int i = Math.max(0, lines.size() - STDERR_LINES); i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!l.isEmpty()) {
                kept.add(l.length() > STDERR_LINE_CHARS ? l.substring(0, STDERR_LINE_CHARS) + "..." : l);
            }
        }
        return kept.isEmpty() ? "" : "; its stderr ends: " + String.join(" | ", kept);
    }

    private static String shape(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            b.append(i > 0 ? ", " : "").append(s[i]);
        }
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        int cut = m == null ? -1 : m.indexOf("error=");
        return cut >= 0 ? m.substring(cut) : m == null ? e.getClass().getSimpleName() : m;
    }
}
