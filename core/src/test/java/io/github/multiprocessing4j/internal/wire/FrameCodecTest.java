package io.github.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frame format, tested in memory without sockets. */
class FrameCodecTest {

    private static byte[] encode(Message... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GatheringByteChannel out = gathering(Channels.newChannel(bytes));
        for (Message m : messages) {
            FrameCodec.write(out, m);
        }
        return bytes.toByteArray();
    }

    private static Message decode(byte[] bytes) throws IOException {
        return FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(bytes)));
    }

    @Test
    void everyMessageKind_roundTrips() throws IOException {
        byte[] nonce = new byte[32];
        Arrays.fill(nonce, (byte) 7);
        byte[] mac = new byte[32];
        Arrays.fill(mac, (byte) 9);
        byte[] clientNonce = new byte[32];
        Arrays.fill(clientNonce, (byte) 5);
        byte[] bytes = encode(new Message.Challenge(nonce), new Message.Hello(3, 4242, mac, clientNonce),
                new Message.Task(11, new byte[] {1, 2, 3}), new Message.Outcome(11, false, new byte[] {4}),
                new Message.Stop(), new Message.Welcome(mac), new Message.Refused());
        var in = Channels.newChannel(new ByteArrayInputStream(bytes));

        assertArrayEquals(nonce, assertInstanceOf(Message.Challenge.class, FrameCodec.read(in)).nonce());
        Message.Hello hello = assertInstanceOf(Message.Hello.class, FrameCodec.read(in));
        assertEquals(3, hello.childId());
        assertEquals(4242, hello.pid());
        assertArrayEquals(mac, hello.mac());
        assertArrayEquals(clientNonce, hello.nonce());
        Message.Task task = assertInstanceOf(Message.Task.class, FrameCodec.read(in));
        assertEquals(11, task.taskId());
        assertArrayEquals(new byte[] {1, 2, 3}, task.payload());
        Message.Outcome outcome = assertInstanceOf(Message.Outcome.class, FrameCodec.read(in));
        assertEquals(false, outcome.success());
        assertArrayEquals(new byte[] {4}, outcome.payload());
        assertInstanceOf(Message.Stop.class, FrameCodec.read(in));
        assertArrayEquals(mac, assertInstanceOf(Message.Welcome.class, FrameCodec.read(in)).mac());
        assertInstanceOf(Message.Refused.class, FrameCodec.read(in));
        assertThrows(EOFException.class, () -> FrameCodec.read(in), "clean end between frames is EOF");
    }

    @Test
    void taskFrame_hasTheDocumentedLayout() throws IOException {
        byte[] bytes = encode(new Message.Task(1, new byte[] {(byte) 0xAB}));
        ByteBuffer frame = ByteBuffer.wrap(bytes);
        assertEquals(1 + 8 + 1, frame.getInt(), "length counts kind, task id and payload");
        assertEquals(3, frame.get(), "TASK kind");
        assertEquals(1, frame.getLong());
        assertEquals((byte) 0xAB, frame.get());
        assertEquals(0, frame.remaining());
    }

    @Test
    void streamEndingInsideAFrame_isMalformedNotEof() throws IOException {
        byte[] bytes = encode(new Message.Task(1, new byte[100]));
        byte[] truncated = Arrays.copyOf(bytes, 50);
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> decode(truncated));
        assertEquals("channel closed inside a frame after 46 of 109 bytes", e.getMessage());
    }

    @Test
    void lengthAboveTheLimit_isRefusedBeforeReadingTheBody() {
        byte[] header = ByteBuffer.allocate(5).putInt(FrameCodec.MAX_FRAME_LENGTH + 1).put((byte) 3).array();
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> decode(header));
        assertEquals("frame length must be between 1 and 1073741824: 1073741825", e.getMessage());
        byte[] negative = ByteBuffer.allocate(4).putInt(-5).array();
        assertThrows(MalformedFrameException.class, () -> decode(negative));
    }

    @Test
    void readerLimit_refusesLongerFrames() throws IOException {
        byte[] task = encode(new Message.Task(1, new byte[200]));
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(task)), FrameCodec.HANDSHAKE_FRAME_LENGTH));
        assertEquals("frame length must be between 1 and 128: 209", e.getMessage());
    }

    @Test
    void unknownKindAndBadBodies_areRefusedWithTheValue() {
        byte[] unknown = ByteBuffer.allocate(5).putInt(1).put((byte) 99).array();
        assertEquals("unknown frame kind: 99",
                assertThrows(MalformedFrameException.class, () -> decode(unknown)).getMessage());
        byte[] shortNonce = ByteBuffer.allocate(8).putInt(4).put((byte) 1).put(new byte[3]).array();
        assertEquals("CHALLENGE nonce must be 32 bytes: 3",
                assertThrows(MalformedFrameException.class, () -> decode(shortNonce)).getMessage());
        byte[] shortTask = ByteBuffer.allocate(8).putInt(4).put((byte) 3).put(new byte[3]).array();
        assertEquals("TASK body needs at least 9 bytes: 4",
                assertThrows(MalformedFrameException.class, () -> decode(shortTask)).getMessage());
        byte[] badFlag = ByteBuffer.allocate(14).putInt(10).put((byte) 4).putLong(1).put((byte) 2).array();
        assertEquals("OUTCOME success flag must be 0 or 1: 2",
                assertThrows(MalformedFrameException.class, () -> decode(badFlag)).getMessage());
    }

    /** Adapts a plain channel to the gathering interface the codec writes to. */
    private static GatheringByteChannel gathering(WritableByteChannel channel) {
        return new GatheringByteChannel() {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    n += channel.write(srcs[i]);
                }
                return n;
            }

            @Override
            public long write(ByteBuffer[] srcs) throws IOException {
                return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return channel.write(src);
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Test
    void assign_roundTripsItsNameAndRole_andRefusesAnUnknownFlag() throws IOException {
        byte[] bytes = encode(new Message.Assign("Process-1:PoolWorker-7 ü", true), new Message.Assign("Process-2", false));
        var in = Channels.newChannel(new ByteArrayInputStream(bytes));
        assertEquals(new Message.Assign("Process-1:PoolWorker-7 ü", true), FrameCodec.read(in));
        assertEquals(new Message.Assign("Process-2", false), FrameCodec.read(in));

        byte[] badFlag = {0, 0, 0, 3, 8, 2, 'x'};
        assertInstanceOf(MalformedFrameException.class, assertThrows(IOException.class, () -> decode(badFlag)));
    }
}
