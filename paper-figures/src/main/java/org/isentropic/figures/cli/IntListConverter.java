package org.isentropic.figures.cli;

import java.util.Arrays;
import picocli.CommandLine;

/** Parses a comma-separated list of positive integers such as {@code 64,128,256}. */
public final class IntListConverter implements CommandLine.ITypeConverter<int[]> {

    @Override
    public int[] convert(String value) {
        String[] parts = value.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + parts[i].trim() + "' in '" + value
                        + "' is not an integer");
            }
            if (out[i] < 1) {
                throw new CommandLine.TypeConversionException("'" + out[i] + "' in '" + value
                        + "' must be >= 1");
            }
        }
        return out;
    }

    /** A list formatted back, for provenance lines. */
    public static String format(int[] values) {
        return Arrays.toString(values).replaceAll("[\\[\\] ]", "");
    }
}
