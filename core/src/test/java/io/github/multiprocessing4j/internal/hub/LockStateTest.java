package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LockStateTest {
    private final FakeHub hub = new FakeHub();
    private final LockState lock = new LockState(false, hub.clock);
    private final Caller a = hub.caller(1, 1);
    private final Caller b = hub.caller(2, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void acquire_freeLock_isAcquired_andReleaseFreesItForAnother() {
        assertEquals(AcquireOutcome.ACQUIRED, lock.acquire(a, 0));
        assertTrue(lock.isLocked());
        assertEquals(AcquireOutcome.TIMED_OUT, lock.acquire(b, 0));
        lock.release(a);
        assertFalse(lock.isLocked());
        assertEquals(AcquireOutcome.ACQUIRED, lock.acquire(b, 0));
    }

    @Test
    void acquire_heldByALiveOwner_timesOutOnlyWhenTheClockPassesTheDeadline() throws Exception {
        lock.acquire(a, 0);
        Future<AcquireOutcome> waiter = hub.async(() -> lock.acquire(b, Duration.ofSeconds(5).toNanos()));
        FakeHub.settle();
        assertFalse(waiter.isDone());
        hub.clock.advance(Duration.ofSeconds(6));
        assertEquals(AcquireOutcome.TIMED_OUT, waiter.get(2, TimeUnit.SECONDS));
        assertTrue(lock.isHeldBy(a));
    }

    @Test
    void acquire_waiting_getsTheLockWhenTheOwnerReleases() throws Exception {
        lock.acquire(a, 0);
        Future<AcquireOutcome> waiter = hub.async(() -> lock.acquire(b, -1));
        FakeHub.settle();
        lock.release(a);
        assertEquals(AcquireOutcome.ACQUIRED, waiter.get(2, TimeUnit.SECONDS));
        assertTrue(lock.isHeldBy(b));
    }

    @Test
    void ownerDies_waiterTakesOverWithinASlice_andOnlyThatAcquireIsTold() throws Exception {
        lock.acquire(a, 0);
        Future<AcquireOutcome> waiter = hub.async(() -> lock.acquire(b, -1));
        FakeHub.settle();
        hub.kill(1);
        assertEquals(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, waiter.get(2, TimeUnit.SECONDS));
        lock.release(b);
        assertEquals(AcquireOutcome.ACQUIRED, lock.acquire(hub.caller(3, 1), 0));
    }

    @Test
    void ownersProcessExits_releasesTheLockAtOnce_andTheNextAcquirerIsTold() {
        lock.acquire(a, 0);
        lock.processExited(1, true);
        assertFalse(lock.isLocked());
        assertEquals(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, lock.acquire(b, 0));
    }

    @Test
    void otherProcessExits_leavesTheLockHeld() {
        lock.acquire(a, 0);
        lock.processExited(2, true);
        assertTrue(lock.isHeldBy(a));
    }

    @Test
    void release_byANonOwner_isRefused() {
        lock.acquire(a, 0);
        assertThrows(IllegalMonitorStateException.class, () -> lock.release(b));
        assertThrows(IllegalMonitorStateException.class, () -> lock.release(hub.caller(1, 2)));
        assertTrue(lock.isHeldBy(a));
    }

    @Test
    void plainLock_isNotReentrant() {
        lock.acquire(a, 0);
        assertEquals(AcquireOutcome.TIMED_OUT, lock.acquire(a, 0));
    }

    @Test
    void reentrantLock_isFreeOnlyOnceReleasedAsOftenAsAcquired() {
        LockState rlock = new LockState(true, hub.clock);
        rlock.acquire(a, 0);
        assertEquals(AcquireOutcome.ACQUIRED, rlock.acquire(a, 0));
        rlock.release(a);
        assertEquals(AcquireOutcome.TIMED_OUT, rlock.acquire(b, 0));
        rlock.release(a);
        assertEquals(AcquireOutcome.ACQUIRED, rlock.acquire(b, 0));
    }
}
