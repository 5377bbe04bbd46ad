package org.isentropic.kernels.fused;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one worker pool of the kernels ({@link FusedKernel}, {@link MultiHeadKernel},
 * {@code DecodeStep}, {@code MultiHeadDecode}): runs
 * the indices 0 .. count - 1 of a loop on up to {@code threads} workers (the caller is worker 0), each worker
 * taking the next index from a shared counter, and waits for all of them.
 *
 * <p>The helpers are daemon threads shared per thread count ({@link Crew}). A call claims the idle ones and
 * hands each the call directly (a field, no queue), so a call allocates nothing with any number of threads.
 * A helper busy with another instance's call is not waited for: the loop runs on the workers it got, since
 * every worker takes indices from the shared counter until none are left. Which worker runs an index
 * therefore varies between calls; bodies that write only their index's results give the same output for
 * every thread count. Helpers and the caller spin for {@value #SPIN_NANOS} ns before they sleep, so that
 * back-to-back calls (decode steps) do not pay a thread wake-up each. One call at a time per instance
 * (callers synchronise, or keep one instance per concurrent caller as {@link FusedWorkspace} does).
 *
 * <p>Internal: public only so that the decode kernels (the decode package) share the pool;
 * not part of the library's API, and it may change without notice.
 */
public final class ParallelFor {

    /** The loop body: worker in [0, threads) (to pick its scratch), index in [0, count). */
    public interface Body {
        void run(int worker, int index);
    }

    /** How long an idle helper, or a caller waiting for its helpers, spins before it sleeps. */
    static final long SPIN_NANOS = 50_000;

    private static final Map<Integer, Crew> CREWS = new ConcurrentHashMap<>();

    private final int threads;
    private final Helper[] claimed;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread caller;
    private Body body;
    private int count;

    /** @param threads workers, 1 to 256 */
    public ParallelFor(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        this.threads = threads;
        this.claimed = new Helper[threads];
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
        failure.set(null);
        try {
            int helpers = Math.min(threads, count) - 1;
            if (helpers > 0) {
                helpers = CREWS.computeIfAbsent(threads, Crew::new).claim(helpers, claimed);
            }
            if (helpers == 0) {
                loop(0);
                return;
            }
            caller = Thread.currentThread();
            pending.set(helpers);
            for (int t = 0; t < helpers; t++) {
                claimed[t].hand(this, t + 1);
                claimed[t] = null;
            }
            try {
                loop(0);
            } catch (RuntimeException | Error e) {
                fail(e);
            }
            awaitHelpers();
            rethrow(failure.get());
        } finally {
            this.body = null;
            this.caller = null;
        }
    }

    private void loop(int worker) {
        int i;
        while ((i = next.getAndIncrement()) < count) {
            body.run(worker, i);
        }
    }

    /** A helper's share of the call. */
    private void work(int worker) {
        try {
            loop(worker);
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** A helper's completion: the last one wakes the caller. */
    private void helperDone() {
        Thread waiting = caller;
        if (pending.decrementAndGet() == 0) {
            LockSupport.unpark(waiting);
        }
    }

    /** Keeps the first failure and stops the others taking indices. */
    private void fail(Throwable e) {
        failure.compareAndSet(null, e);
        next.set(count);
    }

    /** Waits, uninterruptibly (the helpers use this instance's state), until every helper is done. */
    private void awaitHelpers() {
        boolean interrupted = false;
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(Throwable first) {
        if (first instanceof RuntimeException) {
            throw (RuntimeException) first;
        }
        if (first instanceof Error) {
            throw (Error) first;
        }
        if (first != null) {
            throw new IllegalStateException("parallel worker failed", first);
        }
    }

    /** The threads - 1 helper threads shared by every instance with this thread count. */
    private static final class Crew {
        private final Helper[] helpers;

        Crew(int threads) {
            helpers = new Helper[threads - 1];
            for (int t = 0; t < helpers.length; t++) {
                helpers[t] = new Helper("isentropic-parallel-" + threads + "-" + (t + 1));
                helpers[t].start();
            }
        }

        /** Claims up to {@code wanted} idle helpers into {@code into}; how many it got. */
        int claim(int wanted, Helper[] into) {
            int got = 0;
            for (int t = 0; t < helpers.length && got < wanted; t++) {
                if (helpers[t].idle.compareAndSet(true, false)) {
                    into[got++] = helpers[t];
                }
            }
            return got;
        }
    }

    /** A daemon thread that runs the calls handed to it, one at a time. */
    private static final class Helper extends Thread {
        final AtomicBoolean idle = new AtomicBoolean(true);
        private volatile ParallelFor call;
        private int worker;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        /** Hands a claimed helper its call and its worker number. */
        void hand(ParallelFor call, int worker) {
            this.worker = worker;
            this.call = call; // volatile write: publishes the worker number
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                ParallelFor c = awaitCall();
                int w = worker;
                call = null;
                c.work(w);
                idle.set(true); // before the completion, so that the caller's next call can claim this helper
                c.helperDone();
            }
        }

        private ParallelFor awaitCall() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            ParallelFor c;
            while ((c = call) == null) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    Thread.interrupted(); // a helper has no one to report an interrupt to: ignore it
                }
            }
            return c;
        }
    }
}
