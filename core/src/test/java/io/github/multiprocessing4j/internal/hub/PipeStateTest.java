package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
class PipeStateTest {
    private final FakeHub hub = new FakeHub();
    private final PipeState pipe = new PipeState(hub.clock);
    /** Uses end 0. */
    private final Caller parent = hub.caller(1, 1);
    /** Uses end 1. */
    private final Caller child = hub.caller(2, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    private static Item message(int n) {
        return Item.of(new byte[] {(byte) n});
    }

    private static byte[] delivered(PipeReceipt receipt) {
        assertInstanceOf(PipeReceipt.Delivered.class, receipt);
        return ((PipeReceipt.Delivered) receipt).message().head();
    }

    @Test
    void messages_arriveAtTheOtherEnd_inOrder_bothWays() {
        pipe.send(child, 1, message(1));
        pipe.send(child, 1, message(2));
        pipe.send(parent, 0, message(3));
        assertArrayEquals(new byte[] {(byte) 1}, delivered(pipe.receive(parent, 0, 0)));
        assertArrayEquals(new byte[] {(byte) 2}, delivered(pipe.receive(parent, 0, 0)));
        assertArrayEquals(new byte[] {(byte) 3}, delivered(pipe.receive(child, 1, 0)));
    }

    @Test
    void receive_withNothingSent_timesOutWithTheClock_andAnEndNobodyUsedYetIsNotClosed() throws Exception {
        Future<PipeReceipt> receive = hub.async(() -> pipe.receive(parent, 0, Duration.ofSeconds(2).toNanos()));
        FakeHub.settle();
        assertFalse(receive.isDone());
        hub.clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(PipeReceipt.TimedOut.class, receive.get(2, TimeUnit.SECONDS));
        assertInstanceOf(PipeReceipt.TimedOut.class, pipe.poll(parent, 0, 0));
    }

    @Test
    void whenEveryUserOfThePeerEndExits_theReceiverDrainsWhatWasSent_thenGetsEndOfFile() {
        pipe.send(child, 1, message(1));
        pipe.processExited(2, true);
        assertInstanceOf(PipeReceipt.Ready.class, pipe.poll(parent, 0, 0));
        assertArrayEquals(new byte[] {(byte) 1}, delivered(pipe.receive(parent, 0, 0)));
        assertInstanceOf(PipeReceipt.EndOfFile.class, pipe.receive(parent, 0, -1));
    }

    @Test
    void aWaitingReceiver_isWokenWithEndOfFile_whenThePeersLastUserCloses() throws Exception {
        pipe.attach(child, 1, null, false, false);
        pipe.attach(hub.caller(3, 1), 1, null, false, false);
        Future<PipeReceipt> receive = hub.async(() -> pipe.receive(parent, 0, -1));
        pipe.close(child, 1, false, false);
        FakeHub.settle();
        assertFalse(receive.isDone(), "another process still uses the peer end");
        pipe.processExited(3, false);
        assertInstanceOf(PipeReceipt.EndOfFile.class, receive.get(2, TimeUnit.SECONDS));
    }

    @Test
    void send_toAClosedPeer_isRefused() {
        pipe.attach(child, 1, null, false, false);
        pipe.close(child, 1, false, false);
        FakeHub.assertMessageContains(assertThrows(IllegalStateException.class, () -> pipe.send(parent, 0, message(1))), "other end of this pipe is closed");
    }

    @Test
    void aReceiverWhoseProcessDied_takesNothing() throws Exception {
        Future<PipeReceipt> receive = hub.async(() -> pipe.receive(parent, 0, -1));
        FakeHub.settle();
        hub.kill(1);
        assertInstanceOf(PipeReceipt.TimedOut.class, receive.get(2, TimeUnit.SECONDS));
        pipe.send(child, 1, message(1));
        assertInstanceOf(PipeReceipt.TimedOut.class, pipe.receive(parent, 0, 0));
        assertArrayEquals(new byte[] {(byte) 1}, delivered(pipe.receive(hub.caller(4, 1), 0, 0)));
    }

    @Test
    void closingACopyHandedToAnotherProcess_beforeThatProcessAttached_keepsTheEndOpenForIt() throws Exception {
        pipe.close(parent, 1, true, false);
        pipe.send(parent, 0, message(1));
        assertArrayEquals(new byte[] {(byte) 1}, delivered(pipe.receive(child, 1, 0)));
        pipe.processExited(2, false);
        assertInstanceOf(PipeReceipt.EndOfFile.class, pipe.receive(parent, 0, 0));
    }

    @Test
    void closingACopyNeverHandedOver_closesTheEnd() {
        pipe.close(parent, 1, false, false);
        assertInstanceOf(PipeReceipt.EndOfFile.class, pipe.receive(parent, 0, 0));
    }
}
