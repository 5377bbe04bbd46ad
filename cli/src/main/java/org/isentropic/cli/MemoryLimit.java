package org.isentropic.cli;

import java.util.Locale;
import org.isentropic.base.UserInputException;

/**
 * Refuses, before anything is allocated, a request whose memory would exceed what this JVM may use:
 * commands estimate the bytes of their largest live arrays from their options and input headers and call
 * {@link #require}. The refusal is a usage error (exit 2) in one line: what was asked, what it needs, the
 * limit, and how to raise it ({@code -Xmx} through {@code ISENTROPIC_JAVA_OPTS}) or that it cannot be
 * raised (a Java array holds at most {@link #MAX_ARRAY} values).
 */
public final class MemoryLimit {

    /** The largest length of a Java array the JVMs we run on allocate. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The share of the free heap a request may plan to use (the rest is the JVM's and the command's own). */
    static final double SHARE = 0.8;

    private MemoryLimit() {
    }

    /** The bytes this JVM can still allocate: the maximum heap minus what is in use. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param request what was asked, as the user typed it, e.g. {@code "--lengths 2147483647 with --samples 200"}
     * @param bytes   the estimated bytes of the request's largest live arrays
     * @throws UserInputException when {@code bytes} exceeds {@link #SHARE} of {@link #available()}
     */
    public static void require(String request, long bytes) {
        long limit = (long) (SHARE * available());
        if (bytes > limit) {
            long gib = Math.max(1, (long) Math.ceil(bytes / SHARE / (1L << 30)) + 1);
            throw new UserInputException(String.format(Locale.ROOT, "%s needs about %s of memory, more than the"
                    + " %s this JVM can give (-Xmx %s); ask for less or raise the limit, e.g."
                    + " ISENTROPIC_JAVA_OPTS=-Xmx%dg", request, size(bytes), size(limit),
                    size(Runtime.getRuntime().maxMemory()), gib));
        }
    }

    /**
     * Refuses an array of more than {@link #MAX_ARRAY} values, which no heap size allows.
     *
     * @param values the number of values, computed without overflow (saturate at Long.MAX_VALUE)
     */
    public static void requireArray(String request, long values, String how) {
        if (values > MAX_ARRAY) {
            throw new UserInputException(request + " needs an array of " + values + " values, more than a Java"
                    + " array holds (" + MAX_ARRAY + "); " + how);
        }
    }

    /** a * b, saturated at Long.MAX_VALUE (both >= 0). */
    public static long times(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** A byte count for people: 512 MiB, 3.4 GiB. */
    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MiB", Math.max(1, bytes >> 20));
    }
}
