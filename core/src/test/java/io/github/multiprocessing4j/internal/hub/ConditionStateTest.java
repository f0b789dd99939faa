package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConditionStateTest {
    private final FakeHub hub = new FakeHub();
    private final LockState lock = new LockState(true, hub.clock);
    private final ConditionState condition = new ConditionState(lock, hub.clock);
    private final Caller signaller = hub.caller(9, 1);
    private final List<Long> woken = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        hub.close();
    }

    /**
     * Starts a waiter of process {@code pid} and returns once it waits: the signaller can take the lock
     * only after the waiter released it inside {@code await}, where it is queued in the same step.
     */
    private Future<Boolean> startWaiter(long pid) throws Exception {
        Caller waiter = hub.caller(pid, 1);
        CountDownLatch holding = new CountDownLatch(1);
        Future<Boolean> result = hub.async(() -> {
            lock.acquire(waiter, -1);
            holding.countDown();
            boolean signalled = condition.await(waiter, -1);
            woken.add(pid);
            lock.release(waiter);
            return signalled;
        });
        holding.await();
        assertEquals(AcquireOutcome.ACQUIRED, lock.acquire(signaller, -1));
        lock.release(signaller);
        return result;
    }

    private void signal(int n) {
        lock.acquire(signaller, -1);
        condition.signal(signaller, n);
        lock.release(signaller);
    }

    @Test
    void signal_wakesWaitersInArrivalOrder() throws Exception {
        Future<Boolean> first = startWaiter(1);
        Future<Boolean> second = startWaiter(2);
        Future<Boolean> third = startWaiter(3);
        signal(1);
        assertTrue(first.get(2, TimeUnit.SECONDS));
        signal(2);
        assertTrue(second.get(2, TimeUnit.SECONDS));
        assertTrue(third.get(2, TimeUnit.SECONDS));
        assertEquals(1L, woken.get(0));
        assertEquals(Set.of(1L, 2L, 3L), Set.copyOf(woken));
    }

    @Test
    void signal_wakesOnlyAsManyAsAsked() throws Exception {
        Future<Boolean> first = startWaiter(1);
        Future<Boolean> second = startWaiter(2);
        signal(1);
        assertTrue(first.get(2, TimeUnit.SECONDS));
        FakeHub.settle();
        assertFalse(second.isDone());
        lock.acquire(signaller, -1);
        condition.signalAll(signaller);
        lock.release(signaller);
        assertTrue(second.get(2, TimeUnit.SECONDS));
    }

    @Test
    void signal_withoutHoldingTheLock_isRefused() {
        assertThrows(IllegalMonitorStateException.class, () -> condition.signal(signaller, 1));
        assertThrows(IllegalMonitorStateException.class, () -> condition.signalAll(signaller));
    }

    @Test
    void await_thatTimesOut_answersFalse_andHoldsTheLockAgainAsOftenAsEntered() throws Exception {
        Caller waiter = hub.caller(1, 1);
        lock.acquire(waiter, -1);
        lock.acquire(waiter, -1);
        Future<Boolean> result = hub.async(() -> condition.await(waiter, Duration.ofSeconds(1).toNanos()));
        FakeHub.settle();
        assertFalse(lock.isLocked(), "released while waiting");
        hub.clock.advance(Duration.ofSeconds(1));
        assertFalse(result.get(2, TimeUnit.SECONDS));
        assertTrue(lock.isHeldBy(waiter));
        lock.release(waiter);
        assertTrue(lock.isHeldBy(waiter));
        lock.release(waiter);
        assertFalse(lock.isLocked());
    }
}
