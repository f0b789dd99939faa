package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The heap a large message needs: sending or receiving a 100 MiB array through a {@link Pipe} must not take
 * more than about twice its size on either side. Each test gives the child JVM at that end a maximum heap
 * near that bound, so a path that made extra whole copies of the message would fail with
 * {@link OutOfMemoryError} in the child (exit code 1) instead of passing. A receiver keeps no copy of its
 * own: it hands the caller the array it read the bytes into (measured: 115 MiB of heap is enough; before
 * that change, 200 MiB was not).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeMessageMemoryTest {
    private static final int SIZE = 100 << 20;

    static void sendOne(Connection end) {
        byte[] message = new byte[SIZE];
        message[SIZE - 1] = 7;
        end.sendBytes(message);
    }

    static void receiveOne(Connection end) throws Exception {
        byte[] message = end.recvBytes();
        if (message.length != SIZE || message[SIZE - 1] != 7) {
            throw new AssertionError("received " + message.length + " bytes, last " + message[message.length - 1]);
        }
    }

    @Test
    void aChildSends100MiB_withAHeapOf170MiB() throws Exception {
        Pipe pipe = Pipe.open(false);
        Process sender = new Process(LargeMessageMemoryTest::sendOne, pipe.second(),
                JvmOptions.builder().maxHeap("170m").build());
        sender.start();
        byte[] message = pipe.first().recvBytes();
        sender.join();
        assertEquals(0, sender.exitCode(), "the sender ran out of heap or failed");
        assertEquals(SIZE, message.length);
        assertEquals(7, message[SIZE - 1]);
    }

    @Test
    void aChildReceives100MiB_withAHeapOf140MiB() throws Exception {
        Pipe pipe = Pipe.open(false);
        Process receiver = new Process(LargeMessageMemoryTest::receiveOne, pipe.first(),
                JvmOptions.builder().maxHeap("140m").build());
        receiver.start();
        byte[] message = new byte[SIZE];
        message[SIZE - 1] = 7;
        pipe.second().sendBytes(message);
        receiver.join();
        assertEquals(0, receiver.exitCode(), "the receiver ran out of heap or failed");
    }
}
