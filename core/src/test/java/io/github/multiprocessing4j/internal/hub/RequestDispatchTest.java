package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.Item;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests reach the typed method of their kind's state, survive encoding, and refuse another kind. */
class RequestDispatchTest {
    private final FakeHub hub = new FakeHub();
    private final Caller caller = hub.caller(1, 1);

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void aRequest_runsTheTypedMethodOfItsKind() throws Exception {
        QueueState queue = new QueueState(0, hub.clock);
        assertTrue(new QueueRequest.Put(Item.of(new byte[] {5}), 0).dispatch(queue, caller));
        assertEquals(1, new QueueRequest.Size().dispatch(queue, caller));
        assertArrayEquals(new byte[] {(byte) 5}, new QueueRequest.Get(0).dispatch(queue, caller).head());
    }

    @Test
    void aRequestForAnotherKind_isRefused_namingBoth() {
        QueueState queue = new QueueState(0, hub.clock);
        FakeHub.assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new LockRequest.Acquire(0).dispatch(queue, caller)), "LockRequest.Acquire", "QueueState");
    }

    @Test
    void framesAndReplies_surviveEncoding() throws Exception {
        HubFrame frame = new HubFrame.Batch(java.util.List.of(
                new HubFrame.Call(new ObjectId(0, 3), 7, new PipeRequest.Send(1, Item.of(new byte[] {1, 2}))),
                new HubFrame.Call(new ObjectId(0, 4), 7, new BarrierRequest.Await(-1))));
        HubFrame decoded = (HubFrame) Codec.decode(Codec.encode(frame, "frame"));
        assertInstanceOf(HubFrame.Batch.class, decoded);
        assertEquals(new HubFrame.Call(new ObjectId(0, 4), 7, new BarrierRequest.Await(-1)), ((HubFrame.Batch) decoded).calls().get(1));
        assertEquals(new BarrierOutcome.Passed(2), Codec.decode(Codec.encode(new BarrierOutcome.Passed(2), "reply")));
        assertEquals(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, Codec.decode(Codec.encode(AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, "reply")));
        assertEquals(64 + 2 + 64, frame.carriedBytes());
    }
}
