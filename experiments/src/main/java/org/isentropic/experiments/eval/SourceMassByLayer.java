package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.base.OutputFiles;

/**
 * The retrieval probe's attention mass on the source per layer (issue 24: "per layer, from the kernels'
 * logsumexps"): for each cell, D, n and run (copy or control), every layer's mean over the scored characters of the
 * weight their rows put on the source span ({@link RetrievalProbe#sourceMasses}); {@code retrieval.csv.gz} keeps the
 * last layer's per character. The control's "source" is the random string planted in its place: the mass a row
 * gives those positions without a copy to find.
 */
public final class SourceMassByLayer {

    public static final String FILE = "retrieval-source-mass.csv";
    public static final String HEADER = "cell,distance,n,control,characters,layer,source_mass";

    private SourceMassByLayer() {
    }

    /** One aggregate: (cell, D, n, control). */
    private record Key(String cell, int distance, int n, int control) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = cell.compareTo(o.cell);
            c = c != 0 ? c : Integer.compare(distance, o.distance);
            c = c != 0 ? c : Integer.compare(n, o.n);
            return c != 0 ? c : Integer.compare(control, o.control);
        }
    }

    /** Writes {@value #FILE}: one row per (cell, D, n, control, layer), the layer counted from 1. */
    public static void write(List<RetrievalProbe.Hit> hits, Path file) {
        Map<Key, double[]> sums = new TreeMap<>(); // per layer sums, the count last
        for (RetrievalProbe.Hit h : hits) {
            double[] m = h.layerMass();
            double[] s = sums.computeIfAbsent(new Key(CellRef.of(h.row()).toString(), h.distance(), h.n(),
                    h.control() ? 1 : 0), k -> new double[m.length + 1]);
            if (s.length != m.length + 1) {
                throw new IllegalArgumentException(h.row() + ": " + m.length + " layers, " + (s.length - 1)
                        + " before");
            }
            for (int l = 0; l < m.length; l++) {
                s[l] += m[l];
            }
            s[m.length]++;
        }
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (var e : sums.entrySet()) {
            Key k = e.getKey();
            double[] s = e.getValue();
            long count = (long) s[s.length - 1];
            for (int l = 0; l < s.length - 1; l++) {
                b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.5f%n", k.cell(), k.distance(), k.n(),
                        k.control(), count, l + 1, s[l] / count));
            }
        }
        OutputFiles.writeString(file, b.toString());
    }

    /**
     * The report's table from {@code file}: a line per (cell, D, n), a column per layer with the copy run's mass and
     * the control's ("copy / control").
     */
    public static String markdown(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + OutputFiles.reason(e), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + ": the header is not " + HEADER);
        }
        Map<String, TreeMap<Integer, String[]>> byLine = new java.util.LinkedHashMap<>(); // line -> layer -> [copy, control]
        int layers = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String key = String.format(Locale.ROOT, "| %s | %s | %s |", f[0], f[1], f[2]);
            int layer = Integer.parseInt(f[5]);
            layers = Math.max(layers, layer);
            byLine.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(layer, k -> new String[2])
                    [Integer.parseInt(f[3])] = f[6].substring(0, Math.min(f[6].length(), 5));
        }
        StringBuilder b = new StringBuilder("| cell | D | n |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (int l = 1; l <= layers; l++) {
            b.append(" layer ").append(l).append(" |");
            rule.append("---|");
        }
        b.append('\n').append(rule).append('\n');
        for (var e : byLine.entrySet()) {
            b.append(e.getKey());
            for (int l = 1; l <= layers; l++) {
                String[] v = e.getValue().getOrDefault(l, new String[2]);
                b.append(' ').append(v[0] == null ? "-" : v[0]).append(" / ").append(v[1] == null ? "-" : v[1])
                        .append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
