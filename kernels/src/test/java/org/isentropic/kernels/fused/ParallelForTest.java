package org.isentropic.kernels.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker pool: every index once, failures rethrown, instances sharing helpers, nothing allocated per call. */
class ParallelForTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs count indices and returns how often each ran. */
    private static int[] timesRun(ParallelFor parallel, int count) {
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        parallel.run(count, (worker, i) -> {
            assertTrue(worker >= 0 && worker < parallel.threads(), "worker " + worker);
            runs.incrementAndGet(i);
        });
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = runs.get(i);
        }
        return out;
    }

    @Test
    void everyIndexRunsExactlyOnceForEveryThreadCount() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            ParallelFor parallel = new ParallelFor(threads);
            for (int count : new int[] {0, 1, 2, 3, 7, 1000}) {
                for (int repeat = 0; repeat < 20; repeat++) {
                    int[] ones = new int[count];
                    Arrays.fill(ones, 1);
                    assertArrayEquals(ones, timesRun(parallel, count), threads + " threads, " + count + " indices");
                }
            }
        }
    }

    @Test
    void helpersRunIndicesTooWhenTheBodyIsSlow() throws InterruptedException {
        ParallelFor parallel = new ParallelFor(2);
        AtomicIntegerArray byWorker = new AtomicIntegerArray(2);
        // Each index waits until the other worker has started one, so the caller alone cannot finish the loop.
        CountDownLatch both = new CountDownLatch(2);
        parallel.run(2, (worker, i) -> {
            byWorker.incrementAndGet(worker);
            both.countDown();
            try {
                assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS), "the helper never ran an index");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1, byWorker.get(0));
        assertEquals(1, byWorker.get(1));
    }

    @Test
    void theFirstFailureIsRethrownAndThePoolKeepsWorking() {
        ParallelFor parallel = new ParallelFor(2);
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing : new int[] {0, 5, 99}) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> parallel.run(100, (w, i) -> {
                if (i == failing) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            AssertionError error = new AssertionError("error");
            assertSame(error, assertThrows(AssertionError.class, () -> parallel.run(100, (w, i) -> {
                if (i == failing) {
                    throw error;
                }
            })));
            int[] ones = new int[100];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, timesRun(parallel, 100), "after a failure at " + failing);
        }
    }

    @Test
    void concurrentInstancesWithTheSameThreadCountAllFinish() throws Exception {
        int callers = 4;
        Thread[] threads = new Thread[callers];
        Throwable[] failures = new Throwable[callers];
        for (int c = 0; c < callers; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                try {
                    ParallelFor parallel = new ParallelFor(2);
                    for (int repeat = 0; repeat < 200; repeat++) {
                        int[] runs = timesRun(parallel, 64);
                        for (int i = 0; i < runs.length; i++) {
                            assertEquals(1, runs[i], "caller " + id + ", index " + i);
                        }
                    }
                } catch (Throwable e) {
                    failures[id] = e;
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a caller did not finish within a minute");
        }
        for (Throwable f : failures) {
            if (f != null) {
                throw new AssertionError(f);
            }
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForItsHelpersAndKeepsTheInterrupt() {
        ParallelFor parallel = new ParallelFor(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(50);
        Thread.currentThread().interrupt();
        try {
            parallel.run(50, (w, i) -> {
                busyFor(200_000);
                runs.incrementAndGet(i);
            });
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
        } finally {
            Thread.interrupted();
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(1, runs.get(i), "index " + i + " when run returned");
        }
    }

    /**
     * Steady-state calls with two threads allocate nothing, on the caller or on the helper (the thread
     * allocation counters, not a timing; the caller's counter read cost is measured around an empty loop and
     * subtracted). Plain code with no Vector API boxes, so this holds in the interpreter too.
     */
    @Test
    void twoThreadCallsAllocateNothing() {
        assertTrue(THREADS.isThreadAllocatedMemorySupported(), "thread allocation counter not supported");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        ParallelFor parallel = new ParallelFor(2);
        long[] sink = new long[2];
        long[] helper = {-1};
        ParallelFor.Body body = (worker, i) -> {
            sink[worker] += i;
            if (worker == 1) {
                helper[0] = Thread.currentThread().getId();
            }
            busyFor(2_000);
        };
        for (int warm = 0; warm < 2000 || helper[0] < 0; warm++) {
            parallel.run(16, body);
            assertTrue(warm < 100_000, "the helper never ran an index");
        }
        long caller = Thread.currentThread().getId();
        long callerBefore = THREADS.getThreadAllocatedBytes(caller);
        long callerMid = THREADS.getThreadAllocatedBytes(caller);
        long helperBefore = THREADS.getThreadAllocatedBytes(helper[0]);
        for (int call = 0; call < 500; call++) {
            parallel.run(16, body);
        }
        long callerAfter = THREADS.getThreadAllocatedBytes(caller);
        long helperAfter = THREADS.getThreadAllocatedBytes(helper[0]);
        assertEquals(0, (callerAfter - callerMid) - (callerMid - callerBefore), "caller bytes over 500 calls");
        assertEquals(0, helperAfter - helperBefore, "helper bytes over 500 calls");
    }

    private static void busyFor(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
