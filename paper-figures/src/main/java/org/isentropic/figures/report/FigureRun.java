package org.isentropic.figures.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.isentropic.figures.output.Table;
import org.isentropic.figures.output.ProjectVersion;

/**
 * What {@code isentropic figures} and {@code isentropic reproduce} share: run the chosen sections into
 * the output directory, then write {@code summary.json} and (for reproduce) {@code REPORT.md}, and
 * return a table of what was written for stdout.
 */
public final class FigureRun {

    private FigureRun() {
    }

    /** The result of a run: the outcome and the stdout table (figure, title, status, files, seconds). */
    public record Result(Reproduction.Outcome outcome, Table table) {
    }

    /**
     * @param sections    all known sections
     * @param only        figure numbers to run (empty: all)
     * @param writeReport whether to write REPORT.md
     * @param versions    extra version lines (kernels' SIMD status, ...) for the provenance
     */
    public static Result execute(List<ReportSection> sections, Path outDir, long seed, Budget budget, int threads,
            Set<Integer> only, boolean writeReport, String commandLine, Map<String, String> versions,
            PrintStream log) throws IOException {
        Instant started = Instant.now();
        System.setProperty("java.awt.headless", "true");
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out: " + outDir + " exists and is not a directory");
        }
        Files.createDirectories(outDir);
        Optional<Path> root = RepositoryRoot.locate();
        FigureContext context = new FigureContext(outDir, seed, budget, root, threads);
        log.println("isentropic: writing figures to " + outDir.toAbsolutePath() + " (budget " + budget.name()
                + ", seed " + seed + ", " + threads + " threads)");
        Reproduction.Outcome outcome = Reproduction.run(sections, context, only, log);

        Map<String, String> v = new LinkedHashMap<>();
        v.put("isentropic", ProjectVersion.get());
        root.flatMap(Provenance::gitCommit).ifPresent(c -> v.put("git commit", c));
        v.putAll(versions);
        Provenance provenance = new Provenance(commandLine, seed, budget.toString(), started,
                Provenance.environment(v));
        ReportWriter.writeJson(outDir, provenance, outcome);
        if (writeReport) {
            ReportWriter.writeMarkdown(outDir, provenance, outcome);
        }
        Table table = new Table(1, "figure", "title", "status", "files", "seconds");
        for (SectionResult r : outcome.results()) {
            String status = outcome.failures().contains(r.number()) ? "failed" : r.available() ? "done" : "absent";
            List<String> files = new java.util.ArrayList<>();
            for (String image : r.images()) {
                files.add(image);
                files.add(image.replaceAll("\\.png$", ".svg"));
            }
            files.addAll(r.dataFiles());
            table.add(r.number(), r.title(), status, String.join(" ", files), outcome.seconds().get(r.number()));
        }
        log.printf(java.util.Locale.ROOT, "isentropic: %d figures in %.1f s%s%n", outcome.results().size(),
                outcome.totalSeconds(), writeReport ? "; report: " + outDir.resolve(ReportWriter.REPORT) : "");
        return new Result(outcome, table);
    }
}
