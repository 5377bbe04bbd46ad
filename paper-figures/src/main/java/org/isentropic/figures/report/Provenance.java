package org.isentropic.figures.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a report's numbers came from: the command line, seed, budget, versions and times.
 *
 * @param commandLine the command as typed (arguments joined by spaces)
 * @param seed        the run's seed
 * @param budget      the budget's description
 * @param started     when the run started (UTC)
 * @param versions    name -> version lines (isentropic, JVM, OS, kernels, git commit, ...)
 */
public record Provenance(String commandLine, long seed, String budget, Instant started, Map<String, String> versions) {

    public Provenance {
        versions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }

    /** The JVM, OS and processor count of this run, plus {@code extra} entries (first). */
    public static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> v = new LinkedHashMap<>(extra);
        v.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        v.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        v.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return v;
    }

    /**
     * The commit checked out in {@code root}, read from {@code .git/HEAD} (and the ref it names), or empty
     * when {@code root} is not a Git checkout. No Git process is run.
     */
    public static Optional<String> gitCommit(Path root) {
        try {
            Path git = root.resolve(".git");
            Path head = git.resolve("HEAD");
            if (!Files.isRegularFile(head)) {
                return Optional.empty();
            }
            String h = Files.readString(head, StandardCharsets.UTF_8).trim();
            if (!h.startsWith("ref: ")) {
                return Optional.of(h);
            }
            String ref = h.substring(5).trim();
            Path refFile = git.resolve(ref);
            if (Files.isRegularFile(refFile)) {
                return Optional.of(Files.readString(refFile, StandardCharsets.UTF_8).trim());
            }
            Path packed = git.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref)) {
                        return Optional.of(line.substring(0, line.indexOf(' ')));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
