package org.isentropic.figures.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Json;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.OutputFormat;
import org.isentropic.base.Table;

/**
 * Writes {@code REPORT.md} (a section per figure: image, reading, key table, data files, time; then the
 * provenance) and {@code summary.json} (the same facts, machine-readable).
 */
public final class ReportWriter {

    public static final String REPORT = "REPORT.md";
    public static final String SUMMARY = "summary.json";

    private ReportWriter() {
    }

    public static Path writeMarkdown(Path dir, Provenance provenance, Reproduction.Outcome outcome) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# isentropic: entropy-invariant attention scaling, reproduced\n\n");
        md.append("Figures of the analysis of *Information Entropy Invariance: Enhancing Length Extrapolation in "
                + "Attention Mechanisms* (Li et al., arXiv:2501.08570), computed by this run. Every number below "
                + "was computed by the run described under Provenance.\n\n");
        md.append("Budget: ").append(provenance.budget()).append("\n\n");
        for (SectionResult r : outcome.results()) {
            md.append("## Figure ").append(r.number()).append(". ").append(r.title()).append("\n\n");
            if (!r.available()) {
                md.append("*Not available.* ").append(r.reading()).append("\n\n");
                continue;
            }
            for (String image : r.images()) {
                String svg = image.replaceAll("\\.png$", ".svg");
                md.append("![Figure ").append(r.number()).append(": ").append(r.title()).append("](")
                        .append(image).append(")\n\n");
                md.append("([SVG](").append(svg).append("))\n\n");
            }
            md.append(r.reading()).append("\n\n");
            if (r.keyTable() != null) {
                md.append(r.keyTable().render(OutputFormat.md)).append('\n');
            }
            if (!r.parameters().isEmpty()) {
                md.append("How: ").append(r.parameters()).append("\n\n");
            }
            md.append("Data: ");
            List<String> data = r.dataFiles();
            for (int i = 0; i < data.size(); i++) {
                md.append(i > 0 ? ", " : "").append('[').append(data.get(i)).append("](").append(data.get(i)).append(')');
            }
            Double sec = outcome.seconds().get(r.number());
            md.append(String.format(Locale.ROOT, ". Computed in %.1f s.%n%n", sec == null ? Double.NaN : sec));
        }
        md.append("## Provenance\n\n");
        Table p = new Table(1, "item", "value");
        p.add("command", "`" + provenance.commandLine() + "`");
        p.add("seed", Long.toString(provenance.seed()));
        p.add("budget", provenance.budget());
        p.add("date (UTC)", DateTimeFormatter.ISO_INSTANT.format(provenance.started()));
        p.add("run time", String.format(Locale.ROOT, "%.1f s", outcome.totalSeconds()));
        for (Map.Entry<String, String> e : provenance.versions().entrySet()) {
            p.add(e.getKey(), e.getValue());
        }
        for (Map.Entry<Integer, Double> e : outcome.seconds().entrySet()) {
            p.add("figure " + e.getKey() + " time", String.format(Locale.ROOT, "%.1f s", e.getValue()));
        }
        md.append(p.render(OutputFormat.md));
        if (!outcome.failures().isEmpty()) {
            md.append("\nFailed figures: ").append(outcome.failures()).append('\n');
        }
        Path file = dir.resolve(REPORT);
        OutputFiles.writeString(file, md.toString());
        return file;
    }

    public static Path writeJson(Path dir, Provenance provenance, Reproduction.Outcome outcome) throws IOException {
        StringBuilder js = new StringBuilder("{\n  \"provenance\": {\n");
        js.append("    \"command\": ").append(Json.quoted(provenance.commandLine())).append(",\n");
        js.append("    \"seed\": ").append(provenance.seed()).append(",\n");
        js.append("    \"budget\": ").append(Json.quoted(provenance.budget())).append(",\n");
        js.append("    \"date\": ").append(Json.quoted(DateTimeFormatter.ISO_INSTANT.format(provenance.started())))
                .append(",\n");
        js.append("    \"runSeconds\": ").append(number(outcome.totalSeconds())).append(",\n");
        js.append("    \"versions\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : provenance.versions().entrySet()) {
            js.append(first ? "" : ", ").append(Json.quoted(e.getKey())).append(": ")
                    .append(Json.quoted(e.getValue()));
            first = false;
        }
        js.append("}\n  },\n  \"figures\": [\n");
        List<SectionResult> results = outcome.results();
        for (int i = 0; i < results.size(); i++) {
            SectionResult r = results.get(i);
            js.append("    {\"number\": ").append(r.number())
                    .append(", \"title\": ").append(Json.quoted(r.title()))
                    .append(", \"available\": ").append(r.available())
                    .append(", \"failed\": ").append(outcome.failures().contains(r.number()))
                    .append(", \"seconds\": ").append(number(outcome.seconds().getOrDefault(r.number(), Double.NaN)))
                    .append(",\n     \"images\": ").append(stringArray(r.images()))
                    .append(", \"data\": ").append(stringArray(r.dataFiles()))
                    .append(",\n     \"reading\": ").append(Json.quoted(r.reading()))
                    .append(",\n     \"parameters\": ").append(Json.quoted(r.parameters()))
                    .append(",\n     \"key\": {");
            first = true;
            for (Map.Entry<String, Double> e : r.keyNumbers().entrySet()) {
                js.append(first ? "" : ", ").append(Json.quoted(e.getKey())).append(": ").append(number(e.getValue()));
                first = false;
            }
            js.append("}}").append(i + 1 < results.size() ? ",\n" : "\n");
        }
        js.append("  ]\n}\n");
        Path file = dir.resolve(SUMMARY);
        OutputFiles.writeString(file, js.toString());
        return file;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String stringArray(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(Json.quoted(items.get(i)));
        }
        return sb.append(']').toString();
    }
}
