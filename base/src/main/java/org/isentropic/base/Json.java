package org.isentropic.base;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The project's one JSON reader and writer (RFC 8259 subset: objects, arrays, strings with the standard
 * escapes, numbers, true, false, null), JDK only so that every module can use it: checkpoint configs and
 * the safetensors header (experiments), benchmark results (benchmarks, read back by the figures), the
 * commands' {@code --format json} tables and the report's summary.
 *
 * <p>Reading: objects become {@code LinkedHashMap<String,Object>}, arrays {@code List<Object>}, numbers
 * {@code Long} (integers without fraction or exponent) or {@code Double}. Writing takes maps (iteration
 * order kept), lists, {@code int[]}, strings, numbers, booleans and null; anything else is written as its
 * {@code toString()} in {@link #writeIndented} and refused by {@link #write}.
 */
public final class Json {

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value; malformed text gives IllegalArgumentException with the offset. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    /**
     * One line, no spaces; a floating-point number that is a whole number below 1e15 is written without
     * a fraction, any other with {@link Double#toString}; a non-finite number is refused
     * (IllegalArgumentException), so that what is written reads back to the same value.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, -1, Json::exactNumber);
        return b.toString();
    }

    /**
     * Two spaces per level, one member or element per line, a newline at the end; each floating-point
     * number is written by {@code number} (which may return {@code "null"} for a non-finite one).
     */
    public static String writeIndented(Object value, DoubleFunction<String> number) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0, number);
        return b.append('\n').toString();
    }

    /** A JSON string literal of {@code text}, with the escapes the format requires. */
    public static String quoted(String text) {
        StringBuilder b = new StringBuilder();
        quote(b, text);
        return b.toString();
    }

    private static String exactNumber(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("json: non-finite number " + d);
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** {@code indent < 0}: compact; otherwise the nesting level of {@code v}. */
    private static void write(StringBuilder b, Object v, int indent, DoubleFunction<String> number) {
        boolean compact = indent < 0;
        if (v == null) {
            b.append("null");
        } else if (v instanceof String str) {
            quote(b, str);
        } else if (v instanceof Double || v instanceof Float) {
            b.append(number.apply(((Number) v).doubleValue()));
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(i++ == 0 ? "" : ",");
                newline(b, compact ? -1 : indent + 1);
                quote(b, String.valueOf(e.getKey()));
                b.append(compact ? ":" : ": ");
                write(b, e.getValue(), compact ? -1 : indent + 1, number);
            }
            close(b, '}', m.isEmpty(), compact ? -1 : indent);
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",");
                newline(b, compact ? -1 : indent + 1);
                write(b, l.get(i), compact ? -1 : indent + 1, number);
            }
            close(b, ']', l.isEmpty(), compact ? -1 : indent);
        } else if (v instanceof int[] a) {
            List<Object> l = new ArrayList<>();
            for (int x : a) {
                l.add(x);
            }
            write(b, l, indent, number);
        } else if (compact) {
            throw new IllegalArgumentException("json: cannot write " + v.getClass());
        } else {
            quote(b, v.toString());
        }
    }

    private static void newline(StringBuilder b, int indent) {
        if (indent >= 0) {
            b.append('\n').append("  ".repeat(indent));
        }
    }

    private static void close(StringBuilder b, char bracket, boolean empty, int indent) {
        if (!empty) {
            newline(b, indent);
        }
        b.append(bracket);
    }

    private static void quote(StringBuilder b, String str) {
        b.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private Object value() {
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{': {
                Map<String, Object> m = new LinkedHashMap<>();
                elements('}', () -> {
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value());
                });
                return m;
            }
            case '[': {
                List<Object> l = new ArrayList<>();
                elements(']', () -> l.add(value()));
                return l;
            }
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    /** Reads the comma-separated elements of an object or array from its opening bracket to {@code close}. */
    private void elements(char close, Runnable element) {
        pos++;
        ws();
        if (peek(close)) {
            pos++;
            return;
        }
        while (true) {
            ws();
            element.run();
            ws();
            if (peek(',')) {
                pos++;
            } else {
                expect(close);
                return;
            }
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return v;
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
            if (".eE".indexOf(s.charAt(pos)) >= 0) {
                integral = false;
            }
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character '" + s.charAt(pos) + "'");
        }
        String t = s.substring(start, pos);
        try {
            return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw error("bad number " + t);
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private void ws() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("json: " + what + " at offset " + pos);
    }
}
