package org.isentropic.base;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr for long runs: {@code label [#####.....] 12/40 30% 00:05 elapsed}. It redraws
 * in place on a terminal and prints a line per 10 % otherwise (logs, CI), so that it never floods a log.
 */
public final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long done;
    private int lastDecile = -1;

    public Progress(String label, long total) {
        this(label, total, System.err, System.console() != null);
    }

    Progress(String label, long total, PrintStream err, boolean interactive) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, got " + total);
        }
        this.label = label;
        this.total = total;
        this.err = err;
        this.interactive = interactive;
    }

    /** Marks one more unit of work as done. */
    public synchronized void step() {
        advance(1);
    }

    public synchronized void advance(long units) {
        done = Math.min(total, done + units);
        int decile = total == 0 ? 10 : (int) (10 * done / total);
        if (interactive) {
            err.print('\r' + line());
            err.flush();
        } else if (decile != lastDecile) {
            err.println(line());
        }
        lastDecile = decile;
    }

    private String line() {
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %3d%% %02d:%02d elapsed", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                total == 0 ? 100 : 100 * done / total, seconds / 60, seconds % 60);
    }

    @Override
    public synchronized void close() {
        if (interactive) {
            err.println();
        }
    }
}
