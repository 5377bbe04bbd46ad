package org.isentropic.experiments.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed reader of the tables {@link ExtrapolationReport} writes, for whoever plots them (figure 8):
 * {@value #CELLS} (arm-level cells), {@value #CALIBRATION} (per checkpoint and layer: the oracle factor and
 * every rule's) and {@value #WINDOW_PROBE} (attention mass near the diagonal). Columns are found by name, so
 * a table with more columns reads the same; a missing column or a malformed line is an
 * {@link IllegalArgumentException} naming the file (and the line).
 */
public final class ResultTables {

    /** The cell table's file name. */
    public static final String CELLS = "extrapolation.csv";
    /** The calibration table's file name. */
    public static final String CALIBRATION = "calibration.csv";
    /** The window probe's file name. */
    public static final String WINDOW_PROBE = "window-probe.csv";

    private ResultTables() {
    }

    /**
     * One cell of {@value #CELLS}: accuracy with its 95 % stream-bootstrap interval.
     *
     * @param temperature the temperature, with {@code "@visible"} appended under n-mode visible
     */
    public record Cell(String arm, String protocol, String method, String temperature, int length, double accuracy,
            double accuracyLo, double accuracyHi) {
    }

    /** One row of {@value #CALIBRATION}: a checkpoint's layer at one length under one method. */
    public record Calibration(String arm, String method, int length, double oracle, double infoscale, double logn,
            double softmaxPlus, double derived) {

        /** The factor of {@code rule} (infoscale, logn, softmax_plus or derived). */
        public double factor(String rule) {
            switch (rule) {
                case "infoscale": return infoscale;
                case "logn": return logn;
                case "softmax_plus": return softmaxPlus;
                case "derived": return derived;
                default: throw new IllegalArgumentException("rule: unknown '" + rule
                        + "' (known: infoscale, logn, softmax_plus, derived)");
            }
        }
    }

    /**
     * One row of {@value #WINDOW_PROBE}: the mass within |i - j| <= window of one layer and stream.
     *
     * @param scale CosScale's s, NaN for a softmax checkpoint (empty in the file)
     */
    public record WindowMass(String arm, double scale, int length, int window, double mass) {
    }

    /** Whether {@code file}'s header has the arm column that the stream-level format introduced. */
    public static boolean hasArms(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return !lines.isEmpty() && List.of(lines.get(0).split(",")).contains("arm");
    }

    /** The cells of {@value #CELLS}. */
    public static List<Cell> cells(Path file) throws IOException {
        Lines t = Lines.read(file, true, "arm", "protocol", "method", "temperature", "n_mode", "length", "accuracy",
                "accuracy_lo", "accuracy_hi");
        List<Cell> rows = new ArrayList<>();
        t.forEach((f, c) -> rows.add(new Cell(f[c[0]], f[c[1]], f[c[2]],
                f[c[3]] + (f[c[4]].equals("visible") ? "@visible" : ""), Integer.parseInt(f[c[5]]),
                Double.parseDouble(f[c[6]]), Double.parseDouble(f[c[7]]), Double.parseDouble(f[c[8]]))));
        return rows;
    }

    /** The rows of {@value #CALIBRATION}. */
    public static List<Calibration> calibration(Path file) throws IOException {
        Lines t = Lines.read(file, true, "arm", "method", "length", "oracle", "infoscale", "logn", "softmax_plus",
                "derived");
        List<Calibration> rows = new ArrayList<>();
        t.forEach((f, c) -> rows.add(new Calibration(f[c[0]], f[c[1]], Integer.parseInt(f[c[2]]),
                Double.parseDouble(f[c[3]]), Double.parseDouble(f[c[4]]), Double.parseDouble(f[c[5]]),
                Double.parseDouble(f[c[6]]), Double.parseDouble(f[c[7]]))));
        return rows;
    }

    /**
     * The masses of {@value #WINDOW_PROBE} (the lines starting with '#' after them, the effective windows,
     * are skipped). A file without the mass columns (an earlier format) or without lines reads as no rows.
     */
    public static List<WindowMass> windowMasses(Path file) throws IOException {
        Lines t = Lines.read(file, false, "arm", "scale", "length", "window", "mass");
        List<WindowMass> rows = new ArrayList<>();
        if (t != null) {
            t.forEach((f, c) -> rows.add(new WindowMass(f[c[0]], f[c[1]].isEmpty() ? Double.NaN
                    : Double.parseDouble(f[c[1]]), Integer.parseInt(f[c[2]]), Integer.parseInt(f[c[3]]),
                    Double.parseDouble(f[c[4]]))));
        }
        return rows;
    }

    /** A table's data lines (blank and '#' lines dropped) with the indices of the named columns. */
    private record Lines(Path file, List<String> lines, List<Integer> numbers, int[] columns) {

        interface RowReader {
            void accept(String[] fields, int[] columns);
        }

        /** @param required whether a missing column is an error (else: null) */
        static Lines read(Path file, boolean required, String... names) throws IOException {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).isBlank() && !all.get(i).startsWith("#")) {
                    lines.add(all.get(i));
                    numbers.add(i + 1);
                }
            }
            if (lines.isEmpty()) {
                if (required) {
                    throw new IllegalArgumentException(file + " is empty");
                }
                return null;
            }
            List<String> header = List.of(lines.get(0).split(","));
            int[] c = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                c[i] = header.indexOf(names[i]);
                if (c[i] < 0) {
                    if (!required) {
                        return null;
                    }
                    throw new IllegalArgumentException(file + " has no column '" + names[i] + "'");
                }
            }
            return new Lines(file, lines, numbers, c);
        }

        void forEach(RowReader reader) {
            for (int i = 1; i < lines.size(); i++) {
                try {
                    reader.accept(lines.get(i).split(",", -1), columns);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + numbers.get(i) + " is malformed: "
                            + e.getMessage(), e);
                }
            }
        }
    }
}
