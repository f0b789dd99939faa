package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regressions for the faults a review of the concurrency found: interrupts closing sockets, a barrier reset
 * that left waiters waiting, phantom semaphore permits, and contract details.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReviewRegressionTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void taskThatLeavesItsInterruptFlagSet_stillDeliversItsResult() throws Exception {
        try (Pool pool = new Pool(1)) {
            assertEquals(5, pool.apply(() -> {
                Thread.currentThread().interrupt();
                return 5;
            }));
            assertEquals(6, pool.apply(() -> 6), "the worker is still alive and serving");
        }
    }

    @Test
    void submittingFromAnInterruptedThread_doesNotBreakTheWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            Thread.currentThread().interrupt();
            AsyncResult<Long> r = pool.applyAsync(() -> ProcessHandle.current().pid());
            assertTrue(Thread.interrupted(), "the caller's flag is left as it was");
            assertEquals(worker, r.get(LONG), "same worker: its channel was not closed by the interrupt");
        }
    }

    static void interruptedGetThenPut(List<Queue<String>> queues) throws Exception {
        Thread.currentThread().interrupt();
        try {
            queues.get(0).get(Duration.ofSeconds(5));
            queues.get(1).put("no interrupt seen");
        } catch (InterruptedException expected) {
            queues.get(1).put("interrupted, and the queue still works");
        }
    }

    @Test
    void interruptedRemoteWait_throwsInterruptedException_andTheConnectionSurvives() throws Exception {
        Queue<String> empty = new Queue<>();
        Queue<String> report = new Queue<>();
        Process child = new Process(ReviewRegressionTest::interruptedGetThenPut, List.of(empty, report));
        child.start();
        assertEquals("interrupted, and the queue still works", report.get(LONG));
        child.join();
        assertEquals(0, child.exitCode(), () -> "child failed: " + child.exception());
    }

    @Test
    void lockOnAnInterruptedThread_acquiresAndKeepsTheFlag() throws Exception {
        Lock lock = new Lock();
        Thread.currentThread().interrupt();
        lock.lock();
        assertTrue(Thread.interrupted());
        assertTrue(lock.isLocked());
        lock.unlock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
    }

    @Test
    void barrierReset_breaksTheCurrentWaiters_andTheNextRoundWorks() throws Exception {
        Barrier barrier = new Barrier(2);
        Queue<String> outcome = new Queue<>();
        Process waiter = new Process((List<Object> shared) -> {
            @SuppressWarnings("unchecked")
            Queue<String> out = (Queue<String>) shared.get(1);
            try {
                ((Barrier) shared.get(0)).await();
                out.put("passed");
            } catch (BrokenBarrierException e) {
                out.put("broken");
            }
        }, List.of(barrier, outcome));
        waiter.start();
        while (barrier.numberWaiting() == 0) {
            Thread.sleep(10);
        }
        barrier.reset();
        assertEquals("broken", outcome.get(LONG));
        waiter.join();
        assertFalse(barrier.isBroken());
        Process partner = new Process((Barrier b) -> b.await(Duration.ofSeconds(30)), barrier);
        partner.start();
        barrier.await(LONG);
        partner.join();
        assertEquals(0, partner.exitCode());
    }

    @Test
    void permitReleasedByAnotherProcess_isNotRecoveredAgainWhenItsTakerExits() throws Exception {
        BoundedSemaphore semaphore = new BoundedSemaphore(1);
        Event taken = new Event();
        Process taker = new Process((List<Object> shared) -> {
            ((Semaphore) shared.get(0)).acquire();
            ((Event) shared.get(1)).set();
            Thread.sleep(60_000);
        }, List.of(semaphore, taken));
        taker.start();
        assertTrue(taken.waitFor(LONG));
        assertEquals(0, semaphore.availablePermits());
        semaphore.release();
        assertEquals(1, semaphore.availablePermits());
        taker.kill();
        taker.join();
        Thread.sleep(300);
        assertEquals(1, semaphore.availablePermits(), "no phantom permit from the taker's death");
    }

    @Test
    void permitsTakenByConsumersThatExitNormally_stayTaken() throws Exception {
        Semaphore tokens = new Semaphore(0);
        for (int i = 0; i < 3; i++) {
            tokens.release();
        }
        List<Process> consumers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process consumer = new Process((Semaphore s) -> s.acquire(), tokens);
            consumer.start();
            consumers.add(consumer);
        }
        for (Process consumer : consumers) {
            consumer.join();
            assertEquals(0, consumer.exitCode());
        }
        Thread.sleep(300);
        assertEquals(0, tokens.availablePermits(), "consumed tokens do not come back when consumers exit normally");
    }

    @Test
    void permitOfAProcessWhoseTargetThrew_isReturned() throws Exception {
        Semaphore semaphore = new Semaphore(1);
        Process holder = new Process((Semaphore s) -> {
            s.acquire();
            throw new IllegalStateException("failed while holding the permit");
        }, semaphore);
        holder.start();
        holder.join();
        assertEquals(1, holder.exitCode());
        assertTrue(semaphore.acquire(LONG), "the permit of a process that failed comes back");
        assertTrue(semaphore.previousHolderDied());
    }

    @Test
    void closedResultIterator_yieldsNothingMore() throws Exception {
        try (Pool pool = new Pool(1)) {
            ResultIterator<Integer> results = pool.imapUnordered((Integer x) -> x, List.of(1, 2, 3, 4, 5, 6));
            results.next();
            results.close();
            assertFalse(results.hasNext());
        }
    }

    @Test
    void executorFutureOfACancelledRunnable_throwsCancellationException() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Future<?> running = executor.submit((Runnable & Serializable) () -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Future<?> queued = executor.submit((Runnable & Serializable) () -> { });
            assertTrue(queued.cancel(false));
            assertThrows(CancellationException.class, queued::get);
            running.cancel(true);
            assertThrows(CancellationException.class, running::get);
        }
    }

    @Test
    void initializerThatEndsTheJvm_breaksThePoolInsteadOfRestartingForever() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(() -> System.exit(9)).build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> pool.applyAsync(() -> 1).get(LONG));
        assertTrue(e.getMessage().contains("initializer"), e.getMessage());
        assertEquals(9, e.exitCode());
        pool.terminate();
    }

    @Test
    void dependentActionsMayCallThePool_withoutDeadlockingItsOnlyWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            int doubled = pool.applyAsync(() -> 21).toCompletableFuture()
                    .thenApply(v -> {
                        try {
                            return pool.apply((Integer x) -> x * 2, v);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            assertEquals(42, doubled);
        }
    }
}
