package org.isentropic.kernels;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One entry of a registry of named schemes ({@link Positions#registry()}, {@link Mask#registry()}): the name a
 * command or a configuration uses, the parameters it reads (by name; each name has one meaning within its
 * registry, listed by {@link Positions#PARAMETERS} and {@link Mask#PARAMETERS}) with their defaults, and a
 * one-line description for {@code --help}.
 *
 * @param name        the scheme's name, lower case ({@code rope}, {@code streaming})
 * @param parameters  the parameters it reads, in order, each {@code name} or {@code name=default}
 * @param description one line: what the scheme does
 */
public record SchemeEntry(String name, List<String> parameters, String description) {

    public SchemeEntry {
        parameters = List.copyOf(parameters);
    }

    /** Whether this scheme reads the parameter {@code parameter} (a name without default). */
    public boolean reads(String parameter) {
        for (String p : parameters) {
            if (p.equals(parameter) || p.startsWith(parameter + "=")) {
                return true;
            }
        }
        return false;
    }

    /** {@code name (parameter, ..): description}, one line of a help text. */
    public String helpLine() {
        return name + (parameters.isEmpty() ? "" : " (" + String.join(", ", parameters) + ")") + ": " + description;
    }

    /**
     * The entry of {@code registry} called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException "vocabulary: unknown value 'name' (known: ...)" when there is none
     */
    public static SchemeEntry find(List<SchemeEntry> registry, String vocabulary, String name) {
        if (name != null) {
            for (SchemeEntry e : registry) {
                if (e.name.equalsIgnoreCase(name)) {
                    return e;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (SchemeEntry e : registry) {
            known.append(known.length() == 0 ? "" : ", ").append(e.name);
        }
        throw new IllegalArgumentException(vocabulary + ": unknown value '" + name + "' (known: " + known + ")");
    }

    /** The help lines of a registry followed by the meaning of each parameter name. */
    static String help(List<SchemeEntry> registry, Map<String, String> parameters) {
        StringBuilder b = new StringBuilder();
        for (SchemeEntry e : registry) {
            b.append(e.helpLine()).append('\n');
        }
        parameters.forEach((name, meaning) -> b.append("  ").append(name).append(": ").append(meaning).append('\n'));
        return b.toString();
    }

    /**
     * The value of parameter {@code parameter} for this entry: the caller's, else the entry's default; an
     * {@link IllegalArgumentException} naming the parameter when neither is there.
     */
    Number value(Function<String, ? extends Number> values, String parameter) {
        Number given = values.apply(parameter);
        if (given != null) {
            return given;
        }
        for (String p : parameters) {
            if (p.startsWith(parameter + "=")) {
                return Double.parseDouble(p.substring(parameter.length() + 1));
            }
        }
        throw new IllegalArgumentException(parameter + " is required by '" + name + "'");
    }
}
