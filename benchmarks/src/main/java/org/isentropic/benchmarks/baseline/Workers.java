package org.isentropic.benchmarks.baseline;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The worker threads of the multi-threaded baselines: one daemon pool per instance, parts awaited in order. */
final class Workers {

    private Workers() {
    }

    /** A fixed pool of {@code size} daemon threads named {@code name} (daemons: a fork may exit without close). */
    static ExecutorService daemonPool(int size, String name) {
        return Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Waits for every part; a part's failure becomes an IllegalStateException naming {@code what}, with the
     * part's exception as the cause.
     */
    static void awaitAll(List<Future<?>> parts, String what) {
        try {
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }
}
