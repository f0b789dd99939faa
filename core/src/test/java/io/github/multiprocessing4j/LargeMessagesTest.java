package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large items on queues and pipes, which travel as parts of their own beside the calls that carry them:
 * a single message of 1 GiB, large and small items interleaved, and a sender killed in the middle of one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LargeMessagesTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final int MIB = 1 << 20;
    private static final int GIB = 1 << 30;
    private static final JvmOptions BIG_HEAP = JvmOptions.builder().maxHeap("3g").build();

    /**
     * A block of the 1 GiB message, which is 1,024 such blocks, each with its own number in its first eight
     * bytes: a slice lost, repeated or put in the wrong place shows as a block out of place. Copies and
     * comparisons of whole blocks keep the test's own work small next to the transfer.
     */
    private static byte[] block() {
        byte[] block = new byte[MIB];
        for (int i = 0; i < MIB; i++) {
            block[i] = (byte) (i * 31 + (i >>> 9));
        }
        return block;
    }

    /** How many blocks of {@code message} are exactly as {@link #sendOneGiB} made them. */
    private static long wholeBlocks(byte[] message) {
        byte[] block = block();
        long whole = 0;
        for (int k = 0; k < message.length / MIB; k++) {
            int at = k * MIB;
            if (ByteBuffer.wrap(message, at, 8).getLong() == k && Arrays.equals(message, at + 8, at + MIB, block, 8, MIB)) {
                whole++;
            }
        }
        return whole;
    }

    static void sendOneGiB(Connection end) {
        byte[] block = block();
        byte[] message = new byte[GIB];
        for (int k = 0; k < GIB / MIB; k++) {
            System.arraycopy(block, 0, message, k * MIB, MIB);
            ByteBuffer.wrap(message, k * MIB, 8).putLong(k);
        }
        end.sendBytes(message);
    }

    /** In a child: opens a pipe, has a grandchild send 1 GiB through it, reports the length and whole blocks. */
    static void receiveOneGiBFromAGrandchild(Queue<Long> report) throws Exception {
        Pipe pipe = Pipe.open(false);
        Process sender = new Process(LargeMessagesTest::sendOneGiB, pipe.second(), BIG_HEAP);
        sender.start();
        byte[] message = pipe.first().recvBytes();
        report.put((long) message.length);
        report.put(wholeBlocks(message));
        sender.join();
    }

    @Test
    void aMessageOf1GiB_arrivesWhole() throws Exception {
        Queue<Long> report = new Queue<>();
        Process receiver = new Process(LargeMessagesTest::receiveOneGiBFromAGrandchild, report, BIG_HEAP);
        receiver.start();
        assertEquals(GIB, report.get(LONG));
        assertEquals(GIB / MIB, report.get(LONG), "blocks that arrived whole and in place");
        receiver.join();
        assertEquals(0, receiver.exitCode(), () -> "receiver failed: " + receiver.exception());
    }

    /**
     * In a child: sends slices of one buffer that it overwrites after each send, through a pipe and through
     * a bounded and an unbounded queue. Large messages are written from the buffer itself, so each send
     * must be done with the buffer before it returns.
     */
    static void sendSlicesOfAReusedBuffer(List<Object> ends) throws Exception {
        Connection end = (Connection) ends.get(0);
        @SuppressWarnings("unchecked")
        Queue<byte[]> bounded = (Queue<byte[]>) ends.get(1);
        @SuppressWarnings("unchecked")
        Queue<byte[]> unbounded = (Queue<byte[]>) ends.get(2);
        byte[] buffer = new byte[300_000];
        for (int round = 0; round < 4; round++) {
            java.util.Arrays.fill(buffer, (byte) round);
            end.sendBytes(buffer, 1000, 200_000 + round);
            bounded.put(buffer);
            unbounded.put(buffer);
        }
    }

    @Test
    void largeSends_areDoneWithTheCallersBuffer_whenTheyReturn() throws Exception {
        Pipe pipe = Pipe.open();
        Queue<byte[]> bounded = new Queue<>(2);
        Queue<byte[]> unbounded = new Queue<>();
        Process sender = new Process(LargeMessagesTest::sendSlicesOfAReusedBuffer, List.of(pipe.second(), bounded, unbounded));
        sender.start();
        for (int round = 0; round < 4; round++) {
            byte[] expected = new byte[200_000 + round];
            java.util.Arrays.fill(expected, (byte) round);
            assertArrayEquals(expected, pipe.first().recvBytes(LONG), "pipe message " + round);
            byte[] whole = new byte[300_000];
            java.util.Arrays.fill(whole, (byte) round);
            assertArrayEquals(whole, bounded.get(LONG), "bounded queue item " + round);
            assertArrayEquals(whole, unbounded.get(LONG), "unbounded queue item " + round);
        }
        sender.join();
        assertEquals(0, sender.exitCode(), () -> "sender failed: " + sender.exception());
    }

    /** Sizes around the inline limit and well beyond, each followed by a small item. */
    private static final int[] SIZES = {0, 1, 8191, 8192, 8193, 100_000, 3 << 20, 17};

    private static byte[] item(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7 + seed);
        }
        return bytes;
    }

    static void sendInterleaved(List<Object> channels) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Queue<Object> queue = (Queue<Object>) channels.get(0);
        Connection end = (Connection) channels.get(1);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < SIZES.length; i++) {
                queue.put(item(SIZES[i], round + i));
                queue.put(round * 100 + i);
                end.sendBytes(item(SIZES[i], round - i));
                end.send("small " + round + "/" + i);
            }
        }
    }

    @Test
    void largeAndSmallItemsInterleaved_arriveInTheOrderSent() throws Exception {
        Queue<Object> queue = new Queue<>();
        Pipe pipe = Pipe.open();
        Process sender = new Process(LargeMessagesTest::sendInterleaved, List.of(queue, pipe.second()));
        sender.start();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < SIZES.length; i++) {
                assertArrayEquals(item(SIZES[i], round + i), (byte[]) queue.get(LONG), "queue item " + round + "/" + i);
                assertEquals(round * 100 + i, queue.get(LONG));
                assertArrayEquals(item(SIZES[i], round - i), pipe.first().recvBytes(), "pipe message " + round + "/" + i);
                assertEquals("small " + round + "/" + i, pipe.first().recv());
            }
        }
        sender.join();
        assertEquals(0, sender.exitCode(), () -> "sender failed: " + sender.exception());
    }

    private static final int LARGE = 16 << 20;

    /** Sends large items on both channels (at most 12 of each, to bound the receiver's heap), then waits to be killed. */
    static void sendLargeUntilKilled(List<Object> channels) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Queue<byte[]> queue = (Queue<byte[]>) channels.get(0);
        Connection end = (Connection) channels.get(1);
        byte[] big = item(LARGE, 3);
        for (int i = 0; i < 12; i++) {
            queue.put(big);
            end.sendBytes(big);
        }
        Thread.sleep(120_000);
    }

    @Test
    void senderKilledInTheMiddleOfLargeMessages_leavesOnlyWholeOnes_andTheChannelsUsable() throws Exception {
        Queue<byte[]> queue = new Queue<>();
        Pipe pipe = Pipe.open();
        Process sender = new Process(LargeMessagesTest::sendLargeUntilKilled, List.of(queue, pipe.second()));
        sender.start();
        byte[] first = queue.get(LONG);
        assertArrayEquals(item(LARGE, 3), first);
        sender.kill();
        sender.join();
        for (byte[] item : SharingFaultsTest.takeWhatIsThere(queue)) {
            assertArrayEquals(first, item, "only whole items may arrive");
        }
        while (true) {
            byte[] message;
            try {
                message = pipe.first().recvBytes();
            } catch (EOFException e) {
                break;
            }
            assertArrayEquals(first, message, "only whole messages may arrive");
        }
        queue.put(new byte[] {1});
        assertArrayEquals(new byte[] {1}, queue.get(LONG));
        assertThrows(IllegalStateException.class, () -> pipe.first().send("to nobody"),
                "the dead sender's end counts as closed");
    }
}
