package org.isentropic.figures.report;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.isentropic.base.Progress;
import org.isentropic.base.UserInputException;

/**
 * Runs report sections in figure order, timing each, with a progress line per figure on stderr. A
 * section that throws is recorded as failed (its reading names the exception) and the others still run,
 * so that the report shows what worked; {@link Outcome#failures()} lets the command exit non-zero.
 */
public final class Reproduction {

    private Reproduction() {
    }

    /**
     * @param results  one per section run, in figure order
     * @param seconds  wall time per figure number
     * @param failures figure numbers whose section threw
     * @param totalSeconds wall time of the whole run
     */
    public record Outcome(List<SectionResult> results, Map<Integer, Double> seconds, List<Integer> failures,
            double totalSeconds) {
    }

    /**
     * The sections {@code only} names (all of them when it is empty), in figure order.
     *
     * @throws UserInputException naming {@code --only} when a number is not a figure of {@code sections}
     */
    public static List<ReportSection> choose(List<ReportSection> sections, Set<Integer> only) {
        List<ReportSection> chosen = new ArrayList<>();
        for (ReportSection s : sections) {
            if (only.isEmpty() || only.contains(s.number())) {
                chosen.add(s);
            }
        }
        for (int n : only) {
            if (chosen.stream().noneMatch(s -> s.number() == n)) {
                throw new UserInputException("--only: no figure " + n + " (figures: "
                        + sections.stream().map(s -> s.number()).sorted().map(String::valueOf)
                                .reduce((a, b) -> a + "," + b).orElse("none") + ")");
            }
        }
        chosen.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return chosen;
    }

    /**
     * @param sections sections to consider, any order
     * @param only     figure numbers to run; empty = all
     * @param log      where progress and per-figure lines go (stderr)
     */
    public static Outcome run(List<ReportSection> sections, FigureContext context, Set<Integer> only, PrintStream log) {
        List<ReportSection> chosen = choose(sections, only);
        List<SectionResult> results = new ArrayList<>();
        Map<Integer, Double> seconds = new LinkedHashMap<>();
        List<Integer> failures = new ArrayList<>();
        long start = System.nanoTime();
        try (Progress progress = new Progress("figures", chosen.size())) {
            for (ReportSection s : chosen) {
                log.printf(Locale.ROOT, "figure %d: %s ...%n", s.number(), s.title());
                long t0 = System.nanoTime();
                SectionResult r;
                try {
                    r = s.render(context);
                } catch (IOException | RuntimeException e) {
                    failures.add(s.number());
                    r = SectionResult.absent(s.number(), s.title(), "This figure failed while running: " + e);
                    e.printStackTrace(log);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                seconds.put(s.number(), sec);
                results.add(r);
                log.printf(Locale.ROOT, "figure %d: %s in %.1f s%n", s.number(),
                        r.available() ? "done" : "not available", sec);
                progress.step();
            }
        }
        return new Outcome(results, seconds, failures, (System.nanoTime() - start) / 1e9);
    }
}
