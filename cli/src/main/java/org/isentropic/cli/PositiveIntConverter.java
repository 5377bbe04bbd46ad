package org.isentropic.cli;

import picocli.CommandLine;

/**
 * Converts one element of a comma-separated list of positive integers such as {@code --lengths 64,128,256}.
 * Use it on an {@code int[]} option with {@code split = ","}: picocli converts array options element by
 * element.
 */
public final class PositiveIntConverter implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value.trim() + "' is not an integer");
        }
        if (n < 1) {
            throw new CommandLine.TypeConversionException("'" + n + "' must be >= 1");
        }
        return n;
    }
}
