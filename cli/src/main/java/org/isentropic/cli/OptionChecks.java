package org.isentropic.cli;

import java.util.Locale;
import java.util.function.Supplier;
import org.isentropic.base.UserInputException;

/**
 * Checks of option values that name the option as the user types it ({@code --head-dim: must be >= 1,
 * got 0}), so that a command rejects bad input itself, before any work, instead of passing it to a
 * library whose message would name an internal field. Each throws {@link UserInputException}
 * (exit 2).
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    public static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new UserInputException(option + ": must be >= " + min + ", got " + value);
        }
        return value;
    }

    public static int inRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new UserInputException(option + ": must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Finite and &gt; 0. */
    public static double positive(String option, double value) {
        return above(option, value, 0);
    }

    /** Finite and &gt; {@code bound} (e.g. a rotary base, &gt; 1). */
    public static double above(String option, double value, double bound) {
        if (!(value > bound) || Double.isInfinite(value)) {
            throw new UserInputException(option + ": must be finite and > " + text(bound) + ", got " + text(value));
        }
        return value;
    }

    /** Each value finite and &gt; 0. */
    public static double[] positive(String option, double[] values) {
        for (double v : values) {
            positive(option, v);
        }
        return values;
    }

    /** Finite and &gt;= 0. */
    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UserInputException(option + ": must be finite and >= 0, got " + text(value));
        }
        return value;
    }

    /**
     * In an interval; {@code interval} is its notation, e.g. {@code "[0, 1)"}, checked with the bounds'
     * openness it states.
     */
    public static double inInterval(String option, double value, String interval) {
        boolean loOpen = interval.startsWith("(");
        boolean hiOpen = interval.endsWith(")");
        String[] bounds = interval.substring(1, interval.length() - 1).split(",");
        double lo = Double.parseDouble(bounds[0].trim());
        double hi = Double.parseDouble(bounds[1].trim());
        boolean ok = (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
        if (!ok) {
            throw new UserInputException(option + ": must be in " + interval + ", got " + text(value));
        }
        return value;
    }

    /** One of the known values (case-insensitive); returns it in lower case. */
    public static String oneOf(String option, String value, java.util.List<String> known) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!known.contains(v)) {
            throw new UserInputException(option + ": unknown value '" + value + "' (known: "
                    + String.join(", ", known) + ")");
        }
        return v;
    }

    /**
     * Runs the read or parse of what an option supplied (a file, a registry id); an
     * {@link IllegalArgumentException} it throws is the library's complaint about that input, and comes back as
     * a {@link UserInputException} with {@code label + ": "} in front, so that the message names the option as
     * typed (exit 2). Wrap only the call that consumes the user's value: elsewhere the exception is a bug.
     */
    public static <T> T named(String label, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(label + ": " + e.getMessage(), e);
        }
    }

    static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
