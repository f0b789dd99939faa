package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BarrierStateTest {
    private final FakeHub hub = new FakeHub();
    private final BarrierState barrier = new BarrierState(3, hub.clock);

    @AfterEach
    void close() {
        hub.close();
    }

    private Future<BarrierOutcome> arrive(long pid, long timeoutNanos) throws InterruptedException {
        Future<BarrierOutcome> outcome = hub.async(() -> barrier.await(hub.caller(pid, 1), timeoutNanos));
        FakeHub.settle();
        return outcome;
    }

    @Test
    void allParties_passTogether_withArrivalIndexes_andTheBarrierStartsOver() throws Exception {
        for (int round = 0; round < 2; round++) {
            Future<BarrierOutcome> first = arrive(1, -1);
            Future<BarrierOutcome> second = arrive(2, -1);
            assertEquals(2, barrier.numberWaiting());
            assertFalse(first.isDone());
            assertEquals(new BarrierOutcome.Passed(0), barrier.await(hub.caller(3, 1), -1));
            assertEquals(List.of(new BarrierOutcome.Passed(2), new BarrierOutcome.Passed(1)), List.of(first.get(2, TimeUnit.SECONDS), second.get(2, TimeUnit.SECONDS)));
            assertEquals(0, barrier.numberWaiting());
        }
    }

    @Test
    void aTimedOutWait_breaksTheBarrierForEveryone_untilReset() throws Exception {
        Future<BarrierOutcome> patient = arrive(1, -1);
        Future<BarrierOutcome> hasty = arrive(2, Duration.ofSeconds(1).toNanos());
        assertFalse(hasty.isDone());
        hub.clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(BarrierOutcome.TimedOut.class, hasty.get(2, TimeUnit.SECONDS));
        assertInstanceOf(BarrierOutcome.Broken.class, patient.get(2, TimeUnit.SECONDS));
        assertTrue(barrier.isBroken());
        assertInstanceOf(BarrierOutcome.Broken.class, barrier.await(hub.caller(3, 1), -1));

        barrier.reset();
        assertFalse(barrier.isBroken());
        Future<BarrierOutcome> first = arrive(1, -1);
        Future<BarrierOutcome> second = arrive(2, -1);
        assertEquals(new BarrierOutcome.Passed(0), barrier.await(hub.caller(3, 1), -1));
        assertEquals(new BarrierOutcome.Passed(2), first.get(2, TimeUnit.SECONDS));
        assertEquals(new BarrierOutcome.Passed(1), second.get(2, TimeUnit.SECONDS));
    }

    @Test
    void reset_breaksItForCurrentWaiters_andStartsAWholeGeneration() throws Exception {
        Future<BarrierOutcome> waiter = arrive(1, -1);
        barrier.reset();
        assertInstanceOf(BarrierOutcome.Broken.class, waiter.get(2, TimeUnit.SECONDS));
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.numberWaiting());
    }

    @Test
    void abort_breaksItForCurrentAndLaterWaiters() throws Exception {
        Future<BarrierOutcome> waiter = arrive(1, -1);
        barrier.abort();
        assertInstanceOf(BarrierOutcome.Broken.class, waiter.get(2, TimeUnit.SECONDS));
        assertInstanceOf(BarrierOutcome.Broken.class, barrier.await(hub.caller(2, 1), 0));
    }

    @Test
    void withAnAction_theLastPartyIsToldToRunIt_andTheOthersWaitUntilItReports() throws Exception {
        BarrierState withAction = new BarrierState(2, true, hub.clock);
        Future<BarrierOutcome> first = hub.async(() -> withAction.await(hub.caller(1, 1), -1));
        FakeHub.settle();
        BarrierOutcome last = withAction.await(hub.caller(2, 1), -1);
        BarrierOutcome.RunAction run = assertInstanceOf(BarrierOutcome.RunAction.class, last);
        Future<BarrierOutcome> nextRound = hub.async(() -> withAction.await(hub.caller(3, 1), -1));
        FakeHub.settle();
        assertFalse(first.isDone(), "nobody passes before the action ran");
        assertEquals(new BarrierOutcome.Passed(0), withAction.actionDone(run.index(), run.generation(), true));
        assertEquals(new BarrierOutcome.Passed(1), first.get(2, TimeUnit.SECONDS));
        FakeHub.settle();
        assertFalse(nextRound.isDone(), "a party arriving during the action belongs to the next round");
        assertEquals(1, withAction.numberWaiting());
    }

    @Test
    void withAnAction_thatFails_orWhoseRunnerDies_theBarrierBreaks() throws Exception {
        BarrierState withAction = new BarrierState(2, true, hub.clock);
        Future<BarrierOutcome> first = hub.async(() -> withAction.await(hub.caller(1, 1), -1));
        FakeHub.settle();
        BarrierOutcome.RunAction run = assertInstanceOf(BarrierOutcome.RunAction.class, withAction.await(hub.caller(2, 1), -1));
        assertInstanceOf(BarrierOutcome.Broken.class, withAction.actionDone(run.index(), run.generation(), false));
        assertInstanceOf(BarrierOutcome.Broken.class, first.get(2, TimeUnit.SECONDS));

        withAction.reset();
        Future<BarrierOutcome> again = hub.async(() -> withAction.await(hub.caller(1, 1), -1));
        FakeHub.settle();
        assertInstanceOf(BarrierOutcome.RunAction.class, withAction.await(hub.caller(2, 1), -1));
        withAction.processExited(2, true);
        assertInstanceOf(BarrierOutcome.Broken.class, again.get(2, TimeUnit.SECONDS));
        assertTrue(withAction.isBroken());
    }
}
