package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Processes that die while sharing: no hang, no half object, a clear exception. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharingFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    static void putBigThenLoop(Queue<byte[]> queue) throws InterruptedException {
        byte[] big = new byte[64 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 7);
        while (true) {
            queue.put(big);
        }
    }

    @Test
    void senderKilledMidMessage_leavesOnlyWholeItems_andTheQueueUsable() throws Exception {
        Queue<byte[]> queue = new Queue<>(2);
        Process sender = new Process(SharingFaultsTest::putBigThenLoop, queue);
        sender.start();
        byte[] first = queue.get(LONG);
        assertEquals(64 * 1024 * 1024, first.length);
        sender.kill();
        sender.join();
        for (byte[] item : takeWhatIsThere(queue)) {
            assertEquals(first.length, item.length, "only whole items may arrive");
            assertArrayEquals(first, item);
        }
        queue.put(new byte[] {1});
        assertArrayEquals(new byte[] {1}, queue.get(LONG));
    }

    /** Every item {@code queue} holds now, taken without waiting, in order. */
    static <T> List<T> takeWhatIsThere(Queue<T> queue) {
        List<T> items = new ArrayList<>();
        while (true) {
            try {
                items.add(queue.getNowait());
            } catch (Queue.Empty e) {
                return items;
            }
        }
    }

    static void shareOwnQueueThenWait(Queue<Queue<String>> mailbox) throws InterruptedException {
        Queue<String> mine = new Queue<>();
        mailbox.put(mine);
        Thread.sleep(60_000);
    }

    @Test
    void ownerOfAQueueDies_waitersGetAnExceptionNotAHang() throws Exception {
        Queue<Queue<String>> mailbox = new Queue<>();
        Process owner = new Process(SharingFaultsTest::shareOwnQueueThenWait, mailbox);
        owner.start();
        Queue<String> theirs = mailbox.get(LONG);
        assertThrows(Queue.Empty.class, () -> theirs.get(Duration.ofMillis(100)), "reachable while the owner lives");
        owner.kill();
        owner.join();
        MultiprocessingException e = assertThrows(MultiprocessingException.class, () -> theirs.get(LONG));
        assertTrue(e.getMessage().contains("owns this shared object"), e.getMessage());

        theirs.put("lost");
        MultiprocessingException lost = assertThrows(MultiprocessingException.class, theirs::qsize,
                "a put that could not be delivered is reported at the next call");
        assertTrue(lost.getMessage().contains("earlier put or send"), lost.getMessage());
    }

    @Test
    void waiterThatDies_doesNotTakeItemsWithIt() throws Exception {
        Queue<String> queue = new Queue<>();
        Event waiting = new Event();
        Process waiter = new Process((List<Object> shared) -> {
            ((Event) shared.get(1)).set();
            ((Queue<?>) shared.get(0)).get();
        }, List.of(queue, waiting));
        waiter.start();
        // The queue tells nobody how many wait on it: the event, set just before get, is the closest signal.
        assertTrue(waiting.waitFor(LONG), "the waiter is about to block in get");
        waiter.kill();
        waiter.join();
        queue.put("for the living");
        assertEquals("for the living", queue.get(LONG));
    }
}
