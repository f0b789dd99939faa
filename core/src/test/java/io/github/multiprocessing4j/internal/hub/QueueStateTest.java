package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.github.multiprocessing4j.internal.codec.Item;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueStateTest {
    private final FakeHub hub = new FakeHub();
    private final Caller caller = hub.caller(1, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    private static Item item(int n) {
        return Item.of(new byte[] {(byte) n});
    }

    @Test
    void items_comeOutInTheOrderPut() {
        QueueState queue = new QueueState(0, hub.clock);
        for (int n = 0; n < 5; n++) {
            assertTrue(queue.put(caller, item(n), 0));
        }
        assertEquals(5, queue.size());
        for (int n = 0; n < 5; n++) {
            assertArrayEquals(new byte[] {(byte) n}, queue.get(caller, 0).head());
        }
        assertNull(queue.get(caller, 0));
    }

    @Test
    void boundedQueue_refusesAPutWhenFull_andAWaitingPutGoesInOnceAGetMakesRoom() throws Exception {
        QueueState queue = new QueueState(2, hub.clock);
        queue.put(caller, item(1), 0);
        queue.put(caller, item(2), 0);
        assertTrue(queue.isFull());
        assertFalse(queue.put(caller, item(3), 0));
        Future<Boolean> put = hub.async(() -> queue.put(caller, item(3), -1));
        FakeHub.settle();
        assertFalse(put.isDone());
        assertArrayEquals(new byte[] {(byte) 1}, queue.get(caller, 0).head());
        assertTrue(put.get(2, TimeUnit.SECONDS));
        assertEquals(2, queue.size());
    }

    @Test
    void putOnAFullQueue_timesOutWhenTheClockPassesTheDeadline() throws Exception {
        QueueState queue = new QueueState(1, hub.clock);
        queue.put(caller, item(1), 0);
        Future<Boolean> put = hub.async(() -> queue.put(caller, item(2), Duration.ofSeconds(3).toNanos()));
        FakeHub.settle();
        assertFalse(put.isDone());
        hub.clock.advance(Duration.ofSeconds(3));
        assertFalse(put.get(2, TimeUnit.SECONDS));
        assertEquals(1, queue.size());
    }

    @Test
    void getOnAnEmptyQueue_waitsForAPut_orTimesOutWithTheClock() throws Exception {
        QueueState queue = new QueueState(0, hub.clock);
        Future<Item> get = hub.async(() -> queue.get(caller, -1));
        FakeHub.settle();
        queue.put(hub.caller(2, 1), item(7), 0);
        assertArrayEquals(new byte[] {7}, get.get(2, TimeUnit.SECONDS).head());

        Future<Item> timed = hub.async(() -> queue.get(caller, Duration.ofSeconds(1).toNanos()));
        FakeHub.settle();
        assertFalse(timed.isDone());
        hub.clock.advance(Duration.ofSeconds(1));
        assertNull(timed.get(2, TimeUnit.SECONDS));
    }

    @Test
    void waiterWhoseProcessDied_takesNothing() throws Exception {
        QueueState queue = new QueueState(0, hub.clock);
        Caller doomed = hub.caller(3, 1);
        Future<Item> get = hub.async(() -> queue.get(doomed, -1));
        FakeHub.settle();
        hub.kill(3);
        assertNull(get.get(2, TimeUnit.SECONDS));
        queue.put(caller, item(1), 0);
        assertNull(queue.get(doomed, 0));
        assertEquals(1, queue.size());
    }

    @Test
    void join_waitsUntilEveryItemIsMarkedDone_andExtraTaskDoneIsRefused() throws Exception {
        QueueState queue = new QueueState(0, hub.clock);
        queue.put(caller, item(1), 0);
        queue.put(caller, item(2), 0);
        assertFalse(queue.join(caller, 0));
        Future<Boolean> join = hub.async(() -> queue.join(caller, -1));
        queue.taskDone();
        FakeHub.settle();
        assertFalse(join.isDone());
        queue.taskDone();
        assertTrue(join.get(2, TimeUnit.SECONDS));
        FakeHub.assertMessageContains(assertThrows(IllegalStateException.class, queue::taskDone), "more times than there were items put");
    }
}
