package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventStateTest {
    private final FakeHub hub = new FakeHub();
    private final EventState event = new EventState(hub.clock);
    private final Caller caller = hub.caller(1, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void set_wakesAWaiter_andClearResetsTheFlag() throws Exception {
        Future<Boolean> waiter = hub.async(() -> event.waitFor(caller, -1));
        FakeHub.settle();
        assertFalse(waiter.isDone());
        event.set();
        assertTrue(waiter.get(2, TimeUnit.SECONDS));
        assertTrue(event.waitFor(caller, 0));
        event.clear();
        assertFalse(event.isSet());
        assertFalse(event.waitFor(caller, 0));
    }

    @Test
    void waitFor_timesOutWithTheClock() throws Exception {
        Future<Boolean> waiter = hub.async(() -> event.waitFor(caller, Duration.ofSeconds(1).toNanos()));
        FakeHub.settle();
        assertFalse(waiter.isDone());
        hub.clock.advance(Duration.ofSeconds(1));
        assertFalse(waiter.get(2, TimeUnit.SECONDS));
    }
}
