package org.isentropic.kernels;

import java.util.List;
import java.util.function.Function;

/**
 * One entry of a {@link Vocabulary} of named schemes: the name a command or a configuration uses, the
 * parameters it reads (by name; each name has one meaning within its vocabulary) with their defaults, and a
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
