package org.isentropic.figures.sections;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.isentropic.base.Seeds;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.figures.report.SectionResult;

/** Test fixtures: a tiny-budget context, a figure rendered in it, a CSV reader and the check of an absent figure. */
final class TinyRun {

    /** The suite's seed (property isentropic.seed), printed by failing assertions that use it. */
    static final long SEED = Seeds.seed();
    /** The figures' CSVs print 6 decimals: half a unit in the last place. */
    static final double CSV_ROUNDING = 0.5e-6;

    /**
     * A figure rendered at the tiny budget.
     *
     * @param context what it ran with
     * @param result  what it returned for the report
     * @param rows    the rows of its data CSV
     */
    record Rendered(FigureContext context, SectionResult result, List<Map<String, String>> rows) {
    }

    /** Renders {@code figure} into {@code dir} and reads its data CSV {@code base}.csv. */
    static Rendered render(Path dir, ReportSection figure, String base) throws IOException {
        FigureContext context = context(dir);
        SectionResult result = figure.render(context);
        return new Rendered(context, result, csv(dir.resolve(base + ".csv")));
    }

    private TinyRun() {
    }

    static FigureContext context(Path dir) {
        return new FigureContext(dir, SEED, Budget.tiny(), Optional.empty(), 2);
    }

    static FigureContext context(Path dir, Path root) {
        return new FigureContext(dir, SEED, Budget.tiny(), Optional.of(root), 2);
    }

    /**
     * Renders a figure that plots results read from under {@code root} (as the report reads the repository's
     * committed results) into {@code root}/out.
     */
    static SectionResult renderFromResults(ReportSection figure, Path root) throws IOException {
        return figure.render(context(root.resolve("out"), root));
    }

    /** The figure was left out of the report, its reading containing {@code saying} (what to run to make it). */
    static void assertAbsent(SectionResult result, String saying) {
        assertFalse(result.available(), result.reading());
        assertTrue(result.reading().contains(saying), result.reading());
    }

    /** Rows of a CSV with a header row, as column -> cell text (RFC 4180 quoting). */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = split(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                continue;
            }
            List<String> cells = split(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), cells.get(c));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out;
    }

    static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new AssertionError("no column " + column + " in " + row.keySet());
        }
        return Double.parseDouble(v);
    }
}
