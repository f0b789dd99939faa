package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;


import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SemaphoreStateTest {
    private final FakeHub hub = new FakeHub();
    private final SemaphoreState semaphore = new SemaphoreState(2, false, hub.clock);
    private final Caller consumer = hub.caller(1, 1);
    private final Caller producer = hub.caller(2, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void acquire_takesPermitsUntilNoneAreLeft_thenTimesOutWithTheClock() throws Exception {
        assertEquals(AcquireOutcome.ACQUIRED, semaphore.acquire(consumer, 0));
        assertEquals(AcquireOutcome.ACQUIRED, semaphore.acquire(consumer, 0));
        assertEquals(0, semaphore.availablePermits());
        Future<AcquireOutcome> waiter = hub.async(() -> semaphore.acquire(producer, Duration.ofSeconds(1).toNanos()));
        FakeHub.settle();
        assertFalse(waiter.isDone());
        hub.clock.advance(Duration.ofSeconds(2));
        assertEquals(AcquireOutcome.TIMED_OUT, waiter.get(2, TimeUnit.SECONDS));
    }

    @Test
    void release_wakesAWaiter() throws Exception {
        semaphore.acquire(consumer, 0);
        semaphore.acquire(consumer, 0);
        Future<AcquireOutcome> waiter = hub.async(() -> semaphore.acquire(producer, -1));
        FakeHub.settle();
        semaphore.release(consumer);
        assertEquals(AcquireOutcome.ACQUIRED, waiter.get(2, TimeUnit.SECONDS));
    }

    @Test
    void permitsOfAProcessThatDied_areReturned_andEachAcquireOfOneIsTold() {
        semaphore.acquire(consumer, 0);
        semaphore.acquire(consumer, 0);
        semaphore.processExited(1, true);
        assertEquals(2, semaphore.availablePermits());
        assertEquals(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, semaphore.acquire(producer, 0));
        assertEquals(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, semaphore.acquire(producer, 0));
        semaphore.release(producer);
        assertEquals(AcquireOutcome.ACQUIRED, semaphore.acquire(producer, 0));
    }

    @Test
    void permitsOfAProcessThatExitedNormally_stayTaken() {
        semaphore.acquire(consumer, 0);
        semaphore.processExited(1, false);
        assertEquals(1, semaphore.availablePermits());
        semaphore.processExited(1, true);
        assertEquals(1, semaphore.availablePermits(), "its permits were forgotten at the first exit");
    }

    @Test
    void releaseByAProcessHoldingNone_countsAgainstAHolder_soItsPermitIsNotRecoveredTwice() {
        semaphore.acquire(consumer, 0);
        semaphore.release(producer);
        semaphore.processExited(1, true);
        assertEquals(2, semaphore.availablePermits());
    }

    @Test
    void boundedSemaphore_refusesAReleaseAboveItsInitialCount() {
        SemaphoreState bounded = new SemaphoreState(1, true, hub.clock);
        FakeHub.assertMessageContains(assertThrows(IllegalStateException.class, () -> bounded.release(producer)), "1 permits");
        bounded.acquire(consumer, 0);
        bounded.release(consumer);
        assertEquals(1, bounded.availablePermits());
    }
}
