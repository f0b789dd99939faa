package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Locks, semaphores, events, conditions and barriers across processes, including dying holders. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SynchronizationTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    /** Read-modify-write of a plain shared element: correct only under the lock. */
    static void addUnderLock(List<Object> shared) {
        Lock lock = (Lock) shared.get(0);
        Array.OfLong total = (Array.OfLong) shared.get(1);
        for (int i = 0; i < 200; i++) {
            lock.lock();
            try {
                long seen = total.get(0);
                Thread.onSpinWait();
                total.set(0, seen + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void lock_excludesOtherProcesses() throws Exception {
        Lock lock = new Lock();
        Array.OfLong total = Array.ofLongs(1);
        Process a = new Process(SynchronizationTest::addUnderLock, List.of(lock, total));
        Process b = new Process(SynchronizationTest::addUnderLock, List.of(lock, total));
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(0, a.exitCode());
        assertEquals(0, b.exitCode());
        assertEquals(400, total.get(0));
        assertFalse(lock.isLocked());
    }

    static void holdAndAnnounce(List<Object> shared) throws Exception {
        java.util.concurrent.locks.Lock lock = (java.util.concurrent.locks.Lock) shared.get(0);
        lock.lock();
        ((Event) shared.get(1)).set();
        Thread.sleep(60_000);
    }

    @Test
    void lockHeldByAProcessThatDies_isReleased_andTheNextOwnerIsTold() throws Exception {
        Lock lock = new Lock();
        Event held = new Event();
        Process holder = new Process(SynchronizationTest::holdAndAnnounce, List.of(lock, held));
        holder.start();
        assertTrue(held.waitFor(LONG));
        assertFalse(lock.tryLock(Duration.ofMillis(100)), "the child holds it");
        holder.kill();
        assertTrue(lock.tryLock(LONG), "a dead owner's lock must be released");
        assertTrue(lock.previousOwnerDied());
        lock.unlock();
        assertTrue(lock.tryLock());
        assertFalse(lock.previousOwnerDied(), "only the first acquire after the death is told");
        lock.unlock();
        holder.join();
    }

    @Test
    void lock_unlockByANonOwner_isRefused() {
        Lock lock = new Lock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void rlock_isReentrantForItsOwnerOnly() throws Exception {
        RLock lock = new RLock();
        lock.lock();
        lock.lock();
        Queue<Boolean> got = new Queue<>();
        Process other = new Process((List<Object> shared) -> {
            @SuppressWarnings("unchecked")
            Queue<Boolean> answer = (Queue<Boolean>) shared.get(1);
            answer.put(((RLock) shared.get(0)).tryLock(Duration.ofMillis(200)));
        }, List.of(lock, got));
        other.start();
        assertFalse(got.get(LONG), "another process cannot take a held RLock");
        other.join();
        lock.unlock();
        assertTrue(lock.isLocked(), "entered twice, released once");
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void semaphorePermitOfADeadProcess_isReturned() throws Exception {
        Semaphore semaphore = new Semaphore(1);
        Event held = new Event();
        Process holder = new Process((List<Object> shared) -> {
            ((Semaphore) shared.get(0)).acquire();
            ((Event) shared.get(1)).set();
            Thread.sleep(60_000);
        }, List.of(semaphore, held));
        holder.start();
        assertTrue(held.waitFor(LONG));
        assertEquals(0, semaphore.availablePermits());
        assertFalse(semaphore.tryAcquire());
        holder.kill();
        assertTrue(semaphore.acquire(LONG));
        assertTrue(semaphore.previousHolderDied());
        semaphore.release();
        holder.join();
    }

    @Test
    void boundedSemaphore_refusesReleaseAboveItsCount() throws Exception {
        BoundedSemaphore semaphore = new BoundedSemaphore(1);
        semaphore.acquire();
        semaphore.release();
        assertThrows(IllegalStateException.class, semaphore::release);
    }

    @Test
    void event_wakesAWaitingChild() throws Exception {
        Event go = new Event();
        Queue<String> out = new Queue<>();
        Process waiter = new Process((List<Object> shared) -> {
            boolean set = ((Event) shared.get(0)).waitFor(Duration.ofSeconds(30));
            @SuppressWarnings("unchecked")
            Queue<String> q = (Queue<String>) shared.get(1);
            q.put(set ? "woke" : "timed out");
        }, List.of(go, out));
        waiter.start();
        assertFalse(go.isSet());
        assertFalse(go.waitFor(Duration.ofMillis(50)));
        go.set();
        assertEquals("woke", out.get(LONG));
        go.clear();
        assertFalse(go.isSet());
        waiter.join();
    }

    static void awaitSignal(List<Object> shared) throws Exception {
        Condition condition = (Condition) shared.get(0);
        Event waiting = (Event) shared.get(1);
        Array.OfInt ready = (Array.OfInt) shared.get(2);
        condition.lock().lock();
        try {
            waiting.set();
            while (ready.get(0) == 0) {
                if (!condition.await(Duration.ofSeconds(30))) {
                    throw new AssertionError("never signalled");
                }
            }
        } finally {
            condition.lock().unlock();
        }
    }

    @Test
    void condition_signalWakesAWaiterInAnotherProcess() throws Exception {
        Condition condition = new Condition();
        Event waiting = new Event();
        Array.OfInt ready = Array.ofInts(1);
        Process waiter = new Process(SynchronizationTest::awaitSignal, List.of(condition, waiting, ready));
        waiter.start();
        assertTrue(waiting.waitFor(LONG));
        condition.lock().lock();
        try {
            ready.set(0, 1);
            condition.signalAll();
        } finally {
            condition.lock().unlock();
        }
        waiter.join();
        assertEquals(0, waiter.exitCode(), () -> "waiter failed: " + waiter.exception());
    }

    @Test
    void barrier_releasesAllPartiesTogether_andATimeoutBreaksIt() throws Exception {
        Barrier barrier = new Barrier(3);
        Process a = new Process((Barrier b) -> b.await(Duration.ofSeconds(30)), barrier);
        Process b = new Process((Barrier bb) -> bb.await(Duration.ofSeconds(30)), barrier);
        a.start();
        b.start();
        int index = barrier.await(LONG);
        assertTrue(index >= 0 && index < 3);
        a.join();
        b.join();
        assertEquals(0, a.exitCode());
        assertEquals(0, b.exitCode());

        assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(100)));
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
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
        long deadline = System.nanoTime() + LONG.toNanos();
        while (barrier.numberWaiting() == 0) {
            assertTrue(System.nanoTime() < deadline, "the waiter never reached the barrier");
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
    void permitReleasedByAnotherProcess_isNotRecoveredAgainWhenItsTakerDies() throws Exception {
        Semaphore semaphore = new Semaphore(2);
        Event taken = new Event();
        Process taker = new Process((List<Object> shared) -> {
            Semaphore s = (Semaphore) shared.get(0);
            s.acquire();
            s.acquire();
            ((Event) shared.get(1)).set();
            Thread.sleep(60_000);
        }, List.of(semaphore, taken));
        taker.start();
        assertTrue(taken.waitFor(LONG));
        assertEquals(0, semaphore.availablePermits());
        semaphore.release();
        assertEquals(1, semaphore.availablePermits(), "this process gave back one of the taker's two permits");
        taker.kill();
        taker.join();
        assertEquals(2, permitsOnceChangedFrom(semaphore, 1),
                "the one permit the taker still held comes back, and no phantom of the one released for it");
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
        // A normal exit changes nothing visible. A witness started after the consumers ended takes one more
        // token and is killed: once its token is back, the owner has handled exits well past the consumers'.
        tokens.release();
        Event taken = new Event();
        Process witness = new Process((List<Object> shared) -> {
            ((Semaphore) shared.get(0)).acquire();
            ((Event) shared.get(1)).set();
            Thread.sleep(60_000);
        }, List.of(tokens, taken));
        witness.start();
        assertTrue(taken.waitFor(LONG));
        witness.kill();
        witness.join();
        assertEquals(1, permitsOnceChangedFrom(tokens, 0),
                "only the killed witness's token comes back, not those consumed by processes that exited normally");
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

    /** Polls, for at most {@link #LONG}, until {@code semaphore} has other than {@code permits} available. */
    private static int permitsOnceChangedFrom(Semaphore semaphore, int permits) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (semaphore.availablePermits() == permits) {
            assertTrue(System.nanoTime() < deadline, () -> "still " + permits + " permits after " + LONG);
            Thread.sleep(10);
        }
        return semaphore.availablePermits();
    }
}
