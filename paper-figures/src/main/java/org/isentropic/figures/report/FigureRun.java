package org.isentropic.figures.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.ProjectVersion;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;

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
     * What to run and how to label it.
     *
     * @param sections    all known sections
     * @param outDir      the output directory (created when the first file is written into it; an existing file,
     *                    an unwritable directory or a missing parent that cannot be created is refused)
     * @param seed        the run's seed (each figure derives its own from it)
     * @param budget      the Monte Carlo budget
     * @param threads     threads for the attention kernels, >= 1
     * @param only        figure numbers to run (empty: all)
     * @param writeReport whether to write REPORT.md
     * @param commandLine the command as typed, for the provenance
     * @param versions    extra version lines (kernels' SIMD status, ...) for the provenance
     */
    public record Request(List<ReportSection> sections, Path outDir, long seed, Budget budget, int threads,
            Set<Integer> only, boolean writeReport, String commandLine, Map<String, String> versions) {

        public Request {
            sections = List.copyOf(sections);
            // copies that keep the caller's order: the provenance lists versions as given
            only = Collections.unmodifiableSet(new LinkedHashSet<>(only));
            versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        }
    }

    /**
     * Runs {@code request}, logging progress to {@code log}. Every input is checked before anything is
     * created (the output policy of {@link OutputFiles}): the figure numbers, the threads, the output
     * directory and the summary and report files in it. The directory is created when the first file is
     * written into it, so a refused request leaves none behind.
     *
     * @throws UserInputException naming {@code --only} or {@code --out} when the request is refused
     */
    public static Result execute(Request request, PrintStream log) throws IOException {
        Path outDir = request.outDir();
        long seed = request.seed();
        Budget budget = request.budget();
        int threads = request.threads();
        boolean writeReport = request.writeReport();
        Instant started = Instant.now();
        Reproduction.choose(request.sections(), request.only());
        OutputFiles outputs = new OutputFiles();
        Path checkedDir = outputs.directory("--out", outDir);
        outputs.fileIn("--out", checkedDir, ReportWriter.SUMMARY);
        if (writeReport) {
            outputs.fileIn("--out", checkedDir, ReportWriter.REPORT);
        }
        Optional<Path> root = RepositoryRoot.locate();
        FigureContext context = new FigureContext(outDir, seed, budget, root, threads);
        System.setProperty("java.awt.headless", "true");
        log.println("isentropic: writing figures to " + outDir.toAbsolutePath() + " (budget " + budget.name()
                + ", seed " + seed + ", " + threads + " threads)");
        Reproduction.Outcome outcome = Reproduction.run(request.sections(), context, request.only(), log);

        Map<String, String> v = new LinkedHashMap<>();
        v.put("isentropic", ProjectVersion.get());
        root.flatMap(Provenance::gitCommit).ifPresent(c -> v.put("git commit", c));
        v.putAll(request.versions());
        Provenance provenance = new Provenance(request.commandLine(), seed, budget.toString(), started,
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
