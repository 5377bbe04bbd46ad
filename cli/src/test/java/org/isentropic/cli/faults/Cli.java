package org.isentropic.cli.faults;

import org.isentropic.cli.IsentropicCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The fault suite's harness: runs the {@code isentropic} command in-process with stdout and stderr
 * captured (the picocli writers and {@code System.out}/{@code System.err}, which progress and "wrote"
 * lines use), and snapshots a working directory (every path with the SHA-256 of each file) so that a test
 * can assert that a refused run changed nothing: no input modified, no file or directory created.
 */
final class Cli {

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {

        /** The non-blank lines of stderr. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private final Path dir;

    /** @param dir the directory every test file lives in; snapshots cover it recursively */
    Cli(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Runs the command in this JVM. */
    static synchronized Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
            CommandLine cl = IsentropicCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out + sysOut.toString(StandardCharsets.UTF_8),
                sysErr.toString(StandardCharsets.UTF_8) + err);
    }

    /**
     * Runs a request that must be refused: exit {@code code}, exactly one line on stderr that contains
     * {@code option} and no stack trace, nothing on stdout, and the working directory exactly as before
     * (inputs unchanged by hash, nothing created).
     */
    Result assertRefused(int code, String option, String... args) {
        Map<String, String> before = snapshot();
        Result r = run(args);
        String shown = String.join(" ", args) + "\n-> exit " + r.code() + "\nstderr:\n" + r.err() + "\nstdout:\n" + r.out();
        assertEquals(code, r.code(), shown);
        assertOneLineNaming(r, option, shown);
        assertEquals("", r.out(), shown);
        assertEquals(before, snapshot(), "the working directory changed: " + shown);
        return r;
    }

    /** One stderr line naming the option, no stack trace, no Java class name of an exception. */
    static void assertOneLineNaming(Result r, String option, String shown) {
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "not one line: " + shown);
        String line = lines.get(0);
        assertTrue(line.startsWith("isentropic"), shown);
        assertTrue(line.contains(option), "the line does not name " + option + ": " + shown);
        assertFalse(line.contains("Exception") || line.contains("\tat ") || line.contains("java."), shown);
    }

    /** Every path under the directory (relative) with the SHA-256 of files and "dir" for directories. */
    Map<String, String> snapshot() {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String key = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(key, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(key, "dir");
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(key, sha256(p));
                } else {
                    m.put(key, "special");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static String sha256(Path file) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (java.io.InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, r);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether this process runs as root (which ignores file permissions: read-only checks are skipped). */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
