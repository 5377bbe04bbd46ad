package org.isentropic.verification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.base.Seeds;

/**
 * Counts, for the summary at the end of a suite, which properties ran and how many examples each
 * evaluated. {@link Theories#check} and {@link EntropyInvariance} record here; the counts are the
 * number of times a property body actually ran (shrinking attempts included), never configured
 * numbers. Thread-safe; process-wide (one JVM runs one suite).
 */
public final class SuiteLedger {
    private static final Map<String, long[]> EXAMPLES = new TreeMap<>();

    private SuiteLedger() {
    }

    /**
     * Register a property (so that one that ran zero examples still shows in the summary).
     *
     * @param property the property's name; not blank
     */
    public static void register(String property) {
        requireName(property);
        synchronized (EXAMPLES) {
            EXAMPLES.computeIfAbsent(property, k -> new long[1]);
        }
    }

    /**
     * Count examples of a property.
     *
     * @param property the property's name; not blank
     * @param examples how many examples were evaluated, at least 0
     */
    public static void count(String property, long examples) {
        requireName(property);
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, got " + examples);
        }
        synchronized (EXAMPLES) {
            EXAMPLES.computeIfAbsent(property, k -> new long[1])[0] += examples;
        }
    }

    /**
     * The counts so far.
     *
     * @return property name to examples evaluated, sorted by name (a copy)
     */
    public static Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        synchronized (EXAMPLES) {
            EXAMPLES.forEach((k, v) -> copy.put(k, v[0]));
        }
        return copy;
    }

    /**
     * A readable summary: one line per property, then the totals.
     *
     * @return the summary text (several lines)
     */
    public static String summary() {
        Map<String, Long> counts = snapshot();
        int width = 8;
        for (String name : counts.keySet()) {
            width = Math.max(width, name.length());
        }
        List<String> lines = new ArrayList<>();
        lines.add("isentropic verification summary (" + ExampleBudget.label() + " budget, "
                + Seeds.rerunHint(Seeds.seed()) + ")");
        lines.add(String.format("  %-" + width + "s  %10s", "property", "examples"));
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            lines.add(String.format("  %-" + width + "s  %10d", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        Map<String, long[]> groups = new TreeMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            int colon = e.getKey().indexOf(':');
            String group = colon > 0 ? e.getKey().substring(0, colon) : "other";
            long[] g = groups.computeIfAbsent(group, k -> new long[2]);
            g[0]++;
            g[1] += e.getValue();
        }
        StringBuilder byGroup = new StringBuilder();
        for (Map.Entry<String, long[]> g : groups.entrySet()) {
            byGroup.append(byGroup.length() == 0 ? "" : ", ").append(g.getKey()).append(' ')
                    .append(g.getValue()[0]).append(" (").append(g.getValue()[1]).append(')');
        }
        lines.add("  by group, properties (examples): " + byGroup);
        lines.add(String.format("  %d properties, %d examples", counts.size(), total));
        return String.join(System.lineSeparator(), lines);
    }

    private static void requireName(String property) {
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("property must be a non-blank name, got '" + property + "'");
        }
    }
}
