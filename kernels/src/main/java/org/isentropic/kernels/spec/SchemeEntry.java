package org.isentropic.kernels.spec;

import java.util.List;
import java.util.function.Function;

/**
 * One entry of a {@link Vocabulary} of named schemes: the name a command or a configuration uses, the
 * parameters it reads (by name; each name has one meaning within its vocabulary) with their defaults, and a
 * one-line description for {@code --help}, and the factory that builds the scheme from those parameters.
 *
 * @param <T>         what the scheme builds ({@link Positions}, {@link Mask})
 * @param name        the scheme's name, lower case ({@code rope}, {@code streaming})
 * @param parameters  the parameters it reads, in order, each {@code name} or {@code name=default}
 * @param description one line: what the scheme does
 * @param factory     builds the scheme from the values of its parameters
 */
public record SchemeEntry<T>(String name, List<String> parameters, String description, Function<Arguments, T> factory) {

    public SchemeEntry {
        parameters = List.copyOf(parameters);
    }

    /** The values of an entry's parameters in one parse: the caller's, else the entry's defaults. */
    @FunctionalInterface
    public interface Arguments {
        /** The value of {@code parameter}; an {@link IllegalArgumentException} naming it when there is none. */
        Number get(String parameter);

        default int integer(String parameter) {
            return get(parameter).intValue();
        }

        default double real(String parameter) {
            return get(parameter).doubleValue();
        }
    }

    /** The scheme built from the caller's {@code values} (null for a parameter not given) and the defaults. */
    T build(Function<String, ? extends Number> values) {
        return factory.apply(parameter -> value(values, parameter));
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
    private Number value(Function<String, ? extends Number> values, String parameter) {
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
