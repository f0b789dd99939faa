package io.github.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel reads through a read-ahead buffer, blocking or not ({@link Channel#makeSendsInterruptSafe()}),
 * and a non-blocking one can be watched by a second thread ({@link Channel#peerClosedWithin}); over a real
 * Unix socket, no byte of any frame may be lost or reordered by either, nor by the switch from one mode to
 * the other.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelReadAheadTest {

    /** Two connected channels over a Unix socket in a temporary directory. */
    private static Channel[] connectedPair() throws Exception {
        Path dir = Files.createTempDirectory("mp4j-channel-test");
        Path path = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Channel client = Channel.connect("unix:" + path);
            Channel accepted = new Channel(server.accept());
            Files.delete(path);
            Files.delete(dir);
            return new Channel[] {client, accepted};
        }
    }

    private static byte[] payload(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /**
     * Sends a task of each of {@code lengths} (task i carries {@code payload(lengths[i], i)}), then a stop if
     * asked, on another thread: large frames fill the socket before the receiver reads them.
     */
    private static java.util.concurrent.CompletableFuture<Void> sendInTheBackground(Channel sender, int[] lengths,
            boolean thenStop) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < lengths.length; i++) {
                    sender.send(new Message.Task(i, payload(lengths[i], i)));
                }
                if (thenStop) {
                    sender.send(new Message.Stop());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void smallAndLargeFramesSentBackToBack_arriveWhole_andInOrder() throws Exception {
        Channel[] pair = connectedPair();
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            receiver.makeSendsInterruptSafe();
            int[] lengths = {0, 1, 7, 100, 8 * 1024 - 14, 8 * 1024, 8 * 1024 + 1, 300_000, 3, 2 << 20, 5};
            java.util.concurrent.CompletableFuture<Void> writer = sendInTheBackground(sender, lengths, true);
            for (int i = 0; i < lengths.length; i++) {
                Message.Task task = assertInstanceOf(Message.Task.class, receiver.receive());
                assertEquals(i, task.taskId());
                assertArrayEquals(payload(lengths[i], i), task.payload(), "payload of frame " + i);
            }
            assertInstanceOf(Message.Stop.class, receiver.receive());
            writer.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void bytesThatArriveWhileWatched_areKeptForTheNextReceive() throws Exception {
        Channel[] pair = connectedPair();
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            receiver.makeSendsInterruptSafe();
            assertFalse(receiver.peerClosedWithin(20), "nothing was sent and the peer is open");
            sender.send(new Message.Task(1, payload(5000, 1)));
            sender.send(new Message.Task(2, payload(10, 2)));
            assertFalse(receiver.peerClosedWithin(5000), "bytes arrived; the peer is still open");
            assertArrayEquals(payload(5000, 1), assertInstanceOf(Message.Task.class, receiver.receive()).payload());
            assertArrayEquals(payload(10, 2), assertInstanceOf(Message.Task.class, receiver.receive()).payload());
        }
    }

    @Test
    void peerThatCloses_isSeenByTheWatcher_andReceiveEndsAfterTheFramesBeforeTheClose() throws Exception {
        Channel[] pair = connectedPair();
        Channel receiver = pair[1];
        try (receiver) {
            receiver.makeSendsInterruptSafe();
            try (Channel sender = pair[0]) {
                sender.send(new Message.Task(7, payload(3, 7)));
            }
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                closed = receiver.peerClosedWithin(100);
            }
            assertTrue(closed, "the watcher must see the peer's close");
            Message.Task task = assertInstanceOf(Message.Task.class, receiver.receive());
            assertEquals(7, task.taskId());
            assertTrue(Arrays.equals(payload(3, 7), task.payload()));
            assertThrows(EOFException.class, receiver::receive);
        }
    }

    @Test
    void watchingABlockingChannel_isRefusedWithTheStepToTakeFirst() throws Exception {
        Channel[] pair = connectedPair();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pair[1].peerClosedWithin(10));
            assertTrue(e.getMessage().contains("makeSendsInterruptSafe"), e.getMessage());
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
    @Test
    void twoWaitersOfOneChannel_takeEveryFrameOnce_evenFramesReadAheadTogether() throws Exception {
        Channel[] pair = connectedPair();
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            receiver.makeSendsInterruptSafe();
            int frames = 400;
            java.util.concurrent.ConcurrentHashMap<Long, byte[]> taken = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
            Runnable waiting = () -> {
                try (Channel.Waiter waiter = receiver.newWaiter()) {
                    while (taken.size() < frames) {
                        if (waiter.await(100) && receiver.receiveIfReady() instanceof Message.Task task
                                && taken.put(task.taskId(), task.payload()) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(waiting);
            java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(waiting);
            for (int i = 0; i < frames; i++) {
                // Small frames back to back land in one read-ahead: the second must not wait for the socket.
                sender.send(new Message.Task(i, payload(i % 50 == 0 ? 20_000 : i % 7, i)));
            }
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
            assertEquals(0, duplicates.get(), "no frame is taken twice");
            for (int i = 0; i < frames; i++) {
                assertArrayEquals(payload(i % 50 == 0 ? 20_000 : i % 7, i), taken.get((long) i), "frame " + i);
            }
        }
    }

    @Test
    void interruptedOrWokenWaiter_returnsAtOnce_andTheChannelStaysOpen() throws Exception {
        Channel[] pair = connectedPair();
        Channel sender = pair[0];
        try (Channel receiver = pair[1]) {
            receiver.makeSendsInterruptSafe();
            Channel.Waiter waiter = receiver.newWaiter();
            Thread.currentThread().interrupt();
            // A wait longer than the test's timeout: only the interrupt can end it.
            assertFalse(waiter.await(60_000));
            assertTrue(Thread.interrupted(), "the interrupt flag is kept");
            assertTrue(receiver.isOpen(), "an interrupt closes nothing");
            assertEquals(null, receiver.receiveIfReady(), "nothing has arrived");
            waiter.wakeup();
            assertFalse(waiter.await(60_000), "a wake-up ends the next wait");
            sender.send(new Message.Task(9, payload(3, 9)));
            while (!waiter.await(1000)) {
                // Until the frame is there.
            }
            Message.Task task = assertInstanceOf(Message.Task.class, receiver.receiveIfReady());
            assertEquals(9, task.taskId());
            sender.close();
            while (!waiter.await(1000)) {
                // Until the end of the stream is there.
            }
            assertThrows(EOFException.class, receiver::receiveIfReady);
        } finally {
            sender.close();
        }
    }

    @Test
    void aBlockingChannel_readsFramesSentBackToBack_whole_andInOrder() throws Exception {
        Channel[] pair = connectedPair();
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            int[] lengths = {0, 1, 7, 100, 8 * 1024 - 14, 8 * 1024, 8 * 1024 + 1, 300_000, 3, 5};
            java.util.concurrent.CompletableFuture<Void> writer = sendInTheBackground(sender, lengths, false);
            for (int i = 0; i < lengths.length; i++) {
                Message.Task task = assertInstanceOf(Message.Task.class, receiver.receive());
                assertEquals(i, task.taskId());
                assertArrayEquals(payload(lengths[i], i), task.payload(), "payload of frame " + i);
            }
            writer.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    // A lost byte would leave the non-blocking receive waiting through interrupts: time it out from outside.
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bytesReadAheadWhileBlocking_areReadAfterTheSwitchToNonBlocking() throws Exception {
        Channel[] pair = connectedPair();
        Channel sender = pair[0];
        try (Channel receiver = pair[1]) {
            // Small frames sent together: the first blocking read takes all of them into the read-ahead.
            for (int i = 0; i < 5; i++) {
                sender.send(new Message.Task(i, payload(20, i)));
            }
            Thread.sleep(100);
            assertEquals(0, assertInstanceOf(Message.Task.class, receiver.receive()).taskId());
            receiver.makeSendsInterruptSafe();
            for (int i = 1; i < 5; i++) {
                Message.Task task = assertInstanceOf(Message.Task.class, receiver.receive());
                assertEquals(i, task.taskId());
                assertArrayEquals(payload(20, i), task.payload(), "payload of frame " + i);
            }
            sender.close();
            assertThrows(EOFException.class, receiver::receive);
        } finally {
            sender.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bytesReadAheadWhileBlocking_wakeAWaiterAtOnce_afterTheSwitch() throws Exception {
        Channel[] pair = connectedPair();
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            sender.send(new Message.Task(1, payload(20, 1)));
            sender.send(new Message.Task(2, payload(20, 2)));
            Thread.sleep(100);
            assertEquals(1, assertInstanceOf(Message.Task.class, receiver.receive()).taskId());
            receiver.makeSendsInterruptSafe();
            try (Channel.Waiter waiter = receiver.newWaiter()) {
                long start = System.nanoTime();
                assertTrue(waiter.await(10_000), "the second frame was read ahead already");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the waiter waited for bytes it had");
                Message.Task second = assertInstanceOf(Message.Task.class, receiver.receiveIfReady());
                assertEquals(2, second.taskId());
            }
        }
    }
}
