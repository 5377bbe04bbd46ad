package org.isentropic.kernels.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One vocabulary of named schemes, the single place its names, parameters and help text live
 * ({@link Positions#VOCABULARY}, {@link Mask#VOCABULARY}): every command, the experiment's methods and the
 * benchmarks select a scheme through it.
 *
 * @param <T>        what the schemes build ({@link Positions}, {@link Mask})
 * @param name       what the names name, as an error message says it ({@code position}, {@code mask})
 * @param entries    the schemes, in help order
 * @param parameters each parameter name with its one meaning within this vocabulary (help lists them by name)
 */
public record Vocabulary<T>(String name, List<SchemeEntry<T>> entries, Map<String, String> parameters) {

    public Vocabulary {
        entries = List.copyOf(entries);
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        for (SchemeEntry<T> e : entries) {
            for (String p : e.parameters()) {
                if (!parameters.containsKey(p.split("=")[0])) {
                    throw new IllegalArgumentException(name + " '" + e.name() + "' reads '" + p
                            + "', which has no documented meaning");
                }
            }
        }
    }

    /**
     * The entry called {@code value} (case-insensitive).
     *
     * @throws IllegalArgumentException "name: unknown value 'value' (known: ...)" when there is none
     */
    public SchemeEntry<T> find(String value) {
        if (value != null) {
            for (SchemeEntry<T> e : entries) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (SchemeEntry<T> e : entries) {
            known.append(known.length() == 0 ? "" : ", ").append(e.name());
        }
        throw new IllegalArgumentException(name + ": unknown value '" + value + "' (known: " + known + ")");
    }

    /**
     * The scheme called {@code value} (case-insensitive) built from {@code values} (null for a parameter not
     * given: its default, if it has one, applies; parameters the scheme does not read are not consulted).
     *
     * @throws IllegalArgumentException for an unknown name (as {@link #find}), a required parameter missing or a
     *                                  parameter out of range (the message starts with its name)
     */
    public T parse(String value, Function<String, ? extends Number> values) {
        return find(value).build(values);
    }

    /** One help line per entry followed by the meaning of each parameter name (for {@code --help}). */
    public String help() {
        StringBuilder b = new StringBuilder();
        for (SchemeEntry<T> e : entries) {
            b.append(e.helpLine()).append('\n');
        }
        parameters.forEach((p, meaning) -> b.append("  ").append(p).append(": ").append(meaning).append('\n'));
        return b.toString();
    }
}
