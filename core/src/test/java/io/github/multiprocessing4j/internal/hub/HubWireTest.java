package io.github.multiprocessing4j.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compact form of item calls and answers, in memory: what a large byte array becomes on the way. */
@Timeout(10)
class HubWireTest {
    private static final ObjectId QUEUE = new ObjectId(1, 2);
    private static final ObjectId PIPE = new ObjectId(3, 4);

    /** The parts as the reader gets them: each part's buffers joined into one array. */
    private static List<byte[]> asRead(Message.GatheredParts written) {
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuffer[] part : written.parts()) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (ByteBuffer buffer : part) {
                ByteBuffer copy = buffer.duplicate();
                byte[] bytes = new byte[copy.remaining()];
                copy.get(bytes);
                joined.writeBytes(bytes);
            }
            parts.add(joined.toByteArray());
        }
        return parts;
    }

    private static byte[] filled(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @Test
    void aLargeByteArraySlice_arrivesAsAnItemWhoseBodyIsExactlyTheSlice() {
        byte[] buffer = filled(100_000, 1);
        HubFrame frame = new HubFrame.Batch(List.of(
                new HubFrame.Call(PIPE, 7, new PipeRequest.SendSlice(1, Codec.bytesTag(), buffer, 10, 90_000)),
                new HubFrame.Call(QUEUE, 7, new QueueRequest.PutSlice(Codec.bytesTag(), buffer, -1)),
                new HubFrame.Call(QUEUE, 7, new QueueRequest.Put(Codec.encodeItem("small", "item"), 5))));

        HubFrame.Batch read = (HubFrame.Batch) HubWire.readRequest(asRead(HubWire.request(9, frame)));

        PipeRequest.Send send = (PipeRequest.Send) read.calls().get(0).request();
        assertThat(send.end()).isEqualTo(1);
        assertThat(send.message().head()).containsExactly(Codec.bytesTag());
        assertThat(send.message().body()).isEqualTo(Arrays.copyOfRange(buffer, 10, 90_010));
        QueueRequest.Put put = (QueueRequest.Put) read.calls().get(1).request();
        assertThat(put.item().body()).isEqualTo(buffer);
        assertThat(put.timeoutNanos()).isEqualTo(-1);
        QueueRequest.Put small = (QueueRequest.Put) read.calls().get(2).request();
        assertThat(Codec.decodeItem(small.item())).isEqualTo("small");
        assertThat(small.timeoutNanos()).isEqualTo(5);
    }

    @Test
    void itemsOfEveryShape_surviveACallAndAnAnswer() {
        List<Item> items = List.of(Codec.encodeItem(42, "item"), Item.of(filled(HubWire.INLINE_LIMIT + 1, 2)),
                new Item(Codec.bytesTag(), filled(200_000, 3)), new Item(new byte[] {1, 2}, new byte[] {3}));
        for (Item item : items) {
            HubFrame.Call call = (HubFrame.Call) HubWire.readRequest(
                    asRead(HubWire.request(1, new HubFrame.Call(PIPE, 1, new PipeRequest.Send(0, item)))));
            assertSameBytes(item, ((PipeRequest.Send) call.request()).message());
            assertSameBytes(item, (Item) HubWire.readAnswer(asRead(HubWire.answer(1, item))));
            PipeReceipt.Delivered delivered = (PipeReceipt.Delivered) HubWire.readAnswer(
                    asRead(HubWire.answer(1, new PipeReceipt.Delivered(item))));
            assertSameBytes(item, delivered.message());
        }
    }

    private static void assertSameBytes(Item expected, Item actual) {
        assertThat(actual.length()).isEqualTo(expected.length());
        byte[] joined = Arrays.copyOf(actual.head(), (int) actual.length());
        System.arraycopy(actual.body(), 0, joined, actual.head().length, actual.body().length);
        byte[] expectedJoined = Arrays.copyOf(expected.head(), (int) expected.length());
        System.arraycopy(expected.body(), 0, expectedJoined, expected.head().length, expected.body().length);
        assertThat(joined).isEqualTo(expectedJoined);
    }

    @Test
    void anItemPromisingTwoPartsWithOnlyOneThere_isRefusedAsMalformed() {
        HubFrame frame = new HubFrame.Call(PIPE, 1, new PipeRequest.Send(0, new Item(Codec.bytesTag(), filled(HubWire.INLINE_LIMIT, 4))));
        List<byte[]> parts = asRead(HubWire.request(1, frame));
        assertThat(parts).hasSize(3);
        assertThatThrownBy(() -> HubWire.readRequest(parts.subList(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refers to part 2 of 2");
    }

    @Test
    void synchronizationCalls_travelCompact_andArriveEqual() {
        List<Request<?>> calls = List.of(new QueueRequest.Size(), new QueueRequest.IsFull(), new QueueRequest.TaskDone(),
                new QueueRequest.Join(-1), new LockRequest.Acquire(1_500_000_000L), new LockRequest.Release(),
                new LockRequest.IsLocked(), new SemaphoreRequest.Acquire(0), new SemaphoreRequest.Release(),
                new SemaphoreRequest.AvailablePermits(), new EventRequest.Set(), new EventRequest.Clear(),
                new EventRequest.IsSet(), new EventRequest.WaitFor(Long.MAX_VALUE), new ConditionRequest.Await(7),
                new ConditionRequest.Signal(3), new ConditionRequest.SignalAll());
        for (Request<?> request : calls) {
            HubFrame.Call call = new HubFrame.Call(QUEUE, 11, request);
            assertThat(HubWire.carries(call)).as(Request.nameOf(request)).isTrue();
            HubFrame.Call read = (HubFrame.Call) HubWire.readRequest(asRead(HubWire.request(5, call)));
            assertThat(read).isEqualTo(call);
        }
    }

    @Test
    void numbersAndAcquireOutcomes_surviveAnAnswer() {
        for (Object answer : List.of(0, -1, Integer.MAX_VALUE, AcquireOutcome.TIMED_OUT, AcquireOutcome.ACQUIRED,
                AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER, true, false)) {
            assertThat(HubWire.readAnswer(asRead(HubWire.answer(1, answer)))).isEqualTo(answer);
        }
        assertThat(HubWire.readAnswer(asRead(HubWire.answer(1, null)))).isNull();
        assertThat(HubWire.answer(1, "a string")).as("no compact form: the general form carries it").isNull();
    }

    @Test
    void anUnknownPlainCall_orANumberItCannotTake_isRefusedAsMalformed() {
        ByteBuffer head = ByteBuffer.allocate(5 + 8 + 8 + 8 + 1 + 1 + 8);
        head.put((byte) 1).putInt(1).putLong(1).putLong(2).putLong(11).put((byte) 5).put((byte) 99).putLong(0);
        assertThatThrownBy(() -> HubWire.readRequest(List.of(head.array())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown plain call 99");
        Message.GatheredParts signal = HubWire.request(1, new HubFrame.Call(QUEUE, 11, new ConditionRequest.Signal(1)));
        byte[] tooMany = asRead(signal).get(0);
        ByteBuffer.wrap(tooMany).putLong(tooMany.length - 8, 1L << 40);
        assertThatThrownBy(() -> HubWire.readRequest(List.of(tooMany)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot take " + (1L << 40));
        head.put(head.capacity() - 9, (byte) 0x80);
        assertThatThrownBy(() -> HubWire.readRequest(List.of(head.array())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown plain call -128");
        byte[] sizeWithANumber = asRead(HubWire.request(1, new HubFrame.Call(QUEUE, 11, new QueueRequest.Size()))).get(0);
        ByteBuffer.wrap(sizeWithANumber).putLong(sizeWithANumber.length - 8, 5);
        assertThatThrownBy(() -> HubWire.readRequest(List.of(sizeWithANumber)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no number but got 5");
    }

    @Test
    void aBatchMixingItemsAndSynchronizationCalls_arrivesInOrder() {
        HubFrame.Batch batch = new HubFrame.Batch(List.of(
                new HubFrame.Call(QUEUE, 1, new QueueRequest.Put(Codec.encodeItem("first", "item"), -1)),
                new HubFrame.Call(QUEUE, 1, new QueueRequest.TaskDone()),
                new HubFrame.Call(PIPE, 2, new EventRequest.Set()),
                new HubFrame.Call(QUEUE, 1, new QueueRequest.Get(3))));
        HubFrame.Batch read = (HubFrame.Batch) HubWire.readRequest(asRead(HubWire.request(2, batch)));
        assertThat(read.calls()).hasSize(4);
        assertThat(read.calls().subList(1, 4)).isEqualTo(batch.calls().subList(1, 4));
        assertSameBytes(((QueueRequest.Put) batch.calls().get(0).request()).item(),
                ((QueueRequest.Put) read.calls().get(0).request()).item());
    }
}
