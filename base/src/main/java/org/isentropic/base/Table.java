package org.isentropic.base;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small table of named columns, written as CSV (header row), Markdown or JSON: the one place where
 * commands format the data they print. Cells are strings or numbers; numbers are written with the
 * precision given at construction, NaN as {@code NaN} (CSV, Markdown) or {@code null} (JSON).
 */
public final class Table {

    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();
    private final int decimals;

    /**
     * @param decimals digits after the decimal point for floating-point cells (0 to 17)
     * @param columns  column names, at least one
     */
    public Table(int decimals, List<String> columns) {
        if (decimals < 0 || decimals > 17) {
            throw new IllegalArgumentException("decimals must be in [0, 17], got " + decimals);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must not be empty");
        }
        this.decimals = decimals;
        this.columns = List.copyOf(columns);
    }

    public Table(int decimals, String... columns) {
        this(decimals, List.of(columns));
    }

    /** Appends a row; its length must equal the number of columns. */
    public Table add(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells, table has " + columns.size() + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The cell at a row and column, as added. */
    public Object cell(int row, int column) {
        return rows.get(row)[column];
    }

    public void write(OutputFormat format, PrintStream out) {
        out.print(render(format));
        out.flush();
    }

    /** As {@link #write(OutputFormat, PrintStream)}, to a writer (a command's picocli stdout). */
    public void write(OutputFormat format, PrintWriter out) {
        out.print(render(format));
        out.flush();
    }

    public String render(OutputFormat format) {
        switch (format) {
            case csv: return csv();
            case md: return markdown();
            case json: return json();
            default: throw new IllegalArgumentException("format: " + format);
        }
    }

    private String csv() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            sb.append(c > 0 ? "," : "").append(csvCell(columns.get(c)));
        }
        sb.append('\n');
        for (Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(csvCell(text(row[c])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private String markdown() {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|");
        for (int c = 0; c < columns.size(); c++) {
            sb.append("---|");
        }
        sb.append('\n');
        for (Object[] row : rows) {
            sb.append('|');
            for (Object cell : row) {
                sb.append(' ').append(text(cell).replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private String json() {
        StringBuilder sb = new StringBuilder("[\n");
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            sb.append("  {");
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    sb.append(", ");
                }
                sb.append(Json.quoted(columns.get(c))).append(": ").append(jsonValue(row[c]));
            }
            sb.append(r + 1 < rows.size() ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }

    private String text(Object cell) {
        if (cell instanceof Double || cell instanceof Float) {
            double v = ((Number) cell).doubleValue();
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : String.valueOf(v);
        }
        return String.valueOf(cell);
    }

    private String jsonValue(Object cell) {
        if (cell == null) {
            return "null";
        }
        if (cell instanceof Number) {
            double v = ((Number) cell).doubleValue();
            return Double.isFinite(v) ? text(cell) : "null";
        }
        if (cell instanceof Boolean) {
            return cell.toString();
        }
        return Json.quoted(cell.toString());
    }

    private static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
