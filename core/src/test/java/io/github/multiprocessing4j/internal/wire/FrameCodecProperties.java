package io.github.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.CodecValues;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link FrameCodec} in memory, through channels that move few bytes a call: every message
 * comes back as it was written, and any bytes at all read as a message or fail with the documented
 * {@link EOFException} or {@link MalformedFrameException}, holding no more memory than the bytes sent justify.
 */
class FrameCodecProperties {

    static Arbitrary<byte[]> exactly(int length) {
        return Arbitraries.bytes().array(byte[].class).ofSize(length);
    }

    static Arbitrary<byte[]> payloads() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                CodecValues.values().map(value -> Codec.encode(value, "payload")));
    }

    @Provide
    static Arbitrary<Message> messages() {
        return Arbitraries.oneOf(
                exactly(FrameCodec.NONCE_LENGTH).map(Message.Challenge::new),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), exactly(FrameCodec.MAC_LENGTH),
                        exactly(FrameCodec.NONCE_LENGTH)).as(Message.Hello::new),
                exactly(FrameCodec.MAC_LENGTH).map(Message.Welcome::new),
                Arbitraries.just(new Message.Refused()),
                Combinators.combine(Arbitraries.longs(), payloads()).as(Message.Task::new),
                Combinators.combine(Arbitraries.longs(), Arbitraries.of(true, false), payloads()).as(Message.Outcome::new),
                Arbitraries.just(new Message.Stop()),
                Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', ':').withCharRange('\u00e0', '\u00ff')
                        .ofMaxLength(40), Arbitraries.of(true, false)).as(Message.Assign::new));
    }

    @Provide
    static Arbitrary<List<Message>> messageSequences() {
        return messages().list().ofMaxSize(5);
    }

    @Provide
    static Arbitrary<Object> values() {
        return CodecValues.values();
    }

    @Property
    void messagesWrittenBackToBack_readBackInOrder_thenEof(@ForAll("messageSequences") List<Message> messages,
            @ForAll @IntRange(min = 1, max = 7) int bytesPerCall) throws IOException {
        ChunkedChannel in = new ChunkedChannel(write(messages, bytesPerCall), bytesPerCall);
        for (Message message : messages) {
            assertEquals(describe(message), describe(FrameCodec.read(in)));
        }
        assertThrows(EOFException.class, () -> FrameCodec.read(in));
    }

    @Property
    void codecValueInATaskFrame_comesBackEqual(@ForAll("values") Object value, @ForAll long taskId) throws IOException {
        byte[] frame = write(List.of(new Message.Task(taskId, Codec.encode(value, "value"))), 64);
        Message.Task task = (Message.Task) FrameCodec.read(new ChunkedChannel(frame, 3));
        assertEquals(taskId, task.taskId());
        assertEquals(value, Codec.decode(task.payload()));
    }

    @Property
    void macOrNonceOfTheWrongSize_isRefusedByTheWriter(@ForAll @Size(max = 40) byte[] field) {
        if (field.length == FrameCodec.MAC_LENGTH) {
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> write(List.of(new Message.Welcome(field)), 16));
        assertEquals("WELCOME mac must be 32 bytes: " + field.length, e.getMessage());
    }

    @Property
    void anyBytes_readAsAFrameOrFailAsDocumented(@ForAll @Size(max = 80) byte[] bytes,
            @ForAll boolean handshakeLimit) {
        readOrRefuse(bytes, handshakeLimit ? FrameCodec.HANDSHAKE_FRAME_LENGTH : FrameCodec.MAX_FRAME_LENGTH);
    }

    /** Valid frames with a few bytes changed, cut short or extended: the inputs that get past the length check. */
    @Property
    void damagedFrame_readsOrFailsAsDocumented(@ForAll("messages") Message message,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 0, max = 400) Integer> positions,
            @ForAll byte replacement, @ForAll @IntRange(min = -8, max = 8) int lengthChange) throws IOException {
        byte[] bytes = write(List.of(message), 16);
        for (int position : positions) {
            bytes[position % bytes.length] ^= replacement;
        }
        readOrRefuse(Arrays.copyOf(bytes, Math.max(0, bytes.length + lengthChange)), FrameCodec.MAX_FRAME_LENGTH);
    }

    private static void readOrRefuse(byte[] bytes, int maxLength) {
        ChunkedChannel in = new ChunkedChannel(bytes, 5);
        try {
            FrameCodec.read(in, maxLength);
        } catch (EOFException | MalformedFrameException documented) {
            // the two failures read promises
        } catch (IOException e) {
            throw new AssertionError("an undocumented IOException", e);
        }
        assertTrue(in.largestBuffer <= Math.max(FrameCodec.FIRST_PAYLOAD_READ, 2L * bytes.length),
                () -> "buffer of " + in.largestBuffer + " bytes for " + bytes.length + " bytes of input");
    }

    /**
     * A TASK or OUTCOME header announcing up to the frame limit, followed by fewer bytes, fails as a stream
     * that ended inside a frame, and the reader held at most twice the bytes that came (or the first read).
     */
    @Property(tries = 30)
    void lengthBeyondTheBytesSent_growsTheBufferOnlyWithTheBytes(
            @ForAll @IntRange(min = 2 * FrameCodec.FIRST_PAYLOAD_READ, max = FrameCodec.MAX_FRAME_LENGTH) int announced,
            @ForAll @IntRange(min = 0, max = 3 * FrameCodec.FIRST_PAYLOAD_READ) int sent, @ForAll boolean task) {
        Assume.that(1 + 9 + sent < announced);
        byte[] bytes = new byte[5 + 9 + sent];
        ByteBuffer.wrap(bytes).putInt(announced).put((byte) (task ? 3 : 4));
        ChunkedChannel in = new ChunkedChannel(bytes, 1 << 16);
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> FrameCodec.read(in));
        assertTrue(e.getMessage().startsWith("channel closed inside a frame"), e.getMessage());
        assertTrue(in.largestBuffer <= Math.max(FrameCodec.FIRST_PAYLOAD_READ, 2L * bytes.length),
                () -> "buffer of " + in.largestBuffer + " bytes for " + bytes.length + " bytes of input");
    }

    /** The message's kind and fields, byte arrays by content: records compare arrays by identity. */
    static String describe(Message message) {
        List<Object> fields = new ArrayList<>();
        fields.add(message.getClass().getSimpleName());
        for (var component : message.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(message);
                fields.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return fields.toString();
    }

    static byte[] write(List<Message> messages, int bytesPerCall) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GatheringByteChannel channel = new ChunkedWrites(out, bytesPerCall);
        for (Message message : messages) {
            FrameCodec.write(channel, message);
        }
        return out.toByteArray();
    }

    /** Hands out its bytes at most {@code bytesPerCall} at a time, and notes the largest buffer it was given. */
    static final class ChunkedChannel implements ReadableByteChannel {
        private final ByteBuffer source;
        private final int bytesPerCall;
        long largestBuffer;

        ChunkedChannel(byte[] bytes, int bytesPerCall) {
            this.source = ByteBuffer.wrap(bytes);
            this.bytesPerCall = bytesPerCall;
        }

        @Override
        public int read(ByteBuffer dst) {
            largestBuffer = Math.max(largestBuffer, dst.capacity());
            if (!source.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(bytesPerCall, dst.remaining()), source.remaining());
            dst.put(source.slice().limit(n));
            source.position(source.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Accepts at most {@code bytesPerCall} bytes a call, as a socket with a full send buffer does. */
    static final class ChunkedWrites implements GatheringByteChannel {
        private final ByteArrayOutputStream out;
        private final int bytesPerCall;

        ChunkedWrites(ByteArrayOutputStream out, int bytesPerCall) {
            this.out = out;
            this.bytesPerCall = bytesPerCall;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (srcs[i].hasRemaining()) {
                    return write(srcs[i]);
                }
            }
            return 0;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(bytesPerCall, src.remaining());
            byte[] chunk = new byte[n];
            src.get(chunk);
            out.write(chunk, 0, n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
