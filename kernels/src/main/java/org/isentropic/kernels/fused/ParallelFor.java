package org.isentropic.kernels.fused;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one worker pool of the kernels ({@link FusedKernel}, {@link MultiHeadKernel},
 * {@code DecodeStep}, {@code MultiHeadDecode}): runs
 * the indices 0 .. count - 1 of a loop on up to {@code threads} workers (the caller is worker 0), each worker
 * taking the next index from a shared counter, and waits for all of them.
 * The worker tasks and the completion count are reused, so a call allocates nothing on one thread and only
 * the pool's queue node per submitted task otherwise. Which worker runs an index varies between calls;
 * bodies that write only their index's results therefore give the same output for every thread count. The
 * pools are shared per thread count, their threads are daemons. One call at a time per instance (callers
 * synchronise, or keep one instance per concurrent caller as {@link FusedWorkspace} does).
 *
 * <p>Internal: public only so that the decode kernels (the decode package) share the pool;
 * not part of the library's API, and it may change without notice.
 */
public final class ParallelFor {

    /** The loop body: worker in [0, threads) (to pick its scratch), index in [0, count). */
    public interface Body {
        void run(int worker, int index);
    }

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private final int threads;
    private final Runnable[] tasks;
    private final AtomicInteger next = new AtomicInteger();
    private Body body;
    private int count;
    private int pending;
    private Throwable failure;

    /** @param threads workers, 1 to 256 */
    public ParallelFor(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        this.threads = threads;
        this.tasks = new Runnable[threads];
        for (int t = 1; t < threads; t++) {
            int worker = t;
            tasks[t] = () -> {
                Throwable e = null;
                try {
                    loop(worker);
                } catch (Throwable x) {
                    e = x;
                }
                done(e);
            };
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs body(worker, i) for every i in [0, count); rethrows the first failure of any worker. */
    public void run(int count, Body body) {
        if (count <= 0) {
            return;
        }
        this.body = body;
        this.count = count;
        next.set(0);
        int workers = Math.min(threads, count);
        try {
            if (workers == 1) {
                loop(0);
                return;
            }
            ExecutorService pool = POOLS.computeIfAbsent(threads, ParallelFor::newPool);
            start(workers - 1);
            int submitted = 0;
            Throwable first = null;
            try {
                for (int t = 1; t < workers; t++) {
                    pool.execute(tasks[t]);
                    submitted++;
                }
                loop(0);
            } catch (RuntimeException | Error e) {
                first = e;
                next.set(count); // the others stop taking indices
            }
            for (int t = submitted; t < workers - 1; t++) {
                done(null); // never submitted (the pool refused it)
            }
            Throwable other = await();
            first = first == null ? other : first;
            if (first instanceof RuntimeException) {
                throw (RuntimeException) first;
            }
            if (first instanceof Error) {
                throw (Error) first;
            }
            if (first != null) {
                throw new IllegalStateException("parallel worker failed", first);
            }
        } finally {
            this.body = null;
        }
    }

    private void loop(int worker) {
        int i;
        while ((i = next.getAndIncrement()) < count) {
            body.run(worker, i);
        }
    }

    private synchronized void start(int tasks) {
        pending = tasks;
        failure = null;
    }

    private synchronized void done(Throwable e) {
        if (e != null && failure == null) {
            failure = e;
            next.set(count);
        }
        if (--pending == 0) {
            notifyAll();
        }
    }

    /** Waits (uninterruptibly: the tasks use this instance's state) until every task is done; their failure. */
    private synchronized Throwable await() {
        boolean interrupted = false;
        while (pending > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger created = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
            Thread t = new Thread(r, "isentropic-parallel-" + threads + "-" + created.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
