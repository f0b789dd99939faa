package io.github.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads and writes {@link Message}s as length-prefixed frames.
 *
 * <pre>
 * +----------------+--------+---------------------------------------------+
 * | length (int32) | kind   | body: length - 1 bytes                      |
 * | big-endian     | (u8)   |                                             |
 * +----------------+--------+---------------------------------------------+
 *
 * kind 1 CHALLENGE  body = nonce (32 bytes)
 * kind 2 HELLO      body = childId (int64) | pid (int64) | mac (32 bytes)
 * kind 3 TASK       body = taskId (int64) | payload (rest)
 * kind 4 OUTCOME    body = taskId (int64) | success (u8: 0 or 1) | payload (rest)
 * kind 5 STOP       body = empty
 * </pre>
 *
 * A frame longer than {@link #MAX_FRAME_LENGTH} is refused before any of its body is read, so a corrupt or
 * hostile length cannot make the reader allocate without bound. Large payloads are written with a gathering
 * write, without copying them into a second buffer.
 */
public final class FrameCodec {
    /** The largest frame accepted: 1 GiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 30;

    static final int NONCE_LENGTH = 32;
    static final int MAC_LENGTH = 32;

    private static final byte CHALLENGE = 1;
    private static final byte HELLO = 2;
    private static final byte TASK = 3;
    private static final byte OUTCOME = 4;
    private static final byte STOP = 5;

    private FrameCodec() {}

    /** Writes one frame. The caller serializes concurrent writers. */
    public static void write(GatheringByteChannel out, Message message) throws IOException {
        ByteBuffer head;
        byte[] payload;
        if (message instanceof Message.Challenge c) {
            head = header(CHALLENGE, 0, c.nonce().length);
            payload = c.nonce();
        } else if (message instanceof Message.Hello h) {
            head = header(HELLO, 16, h.mac().length).putLong(h.childId()).putLong(h.pid());
            payload = h.mac();
        } else if (message instanceof Message.Task t) {
            head = header(TASK, 8, t.payload().length).putLong(t.taskId());
            payload = t.payload();
        } else if (message instanceof Message.Outcome o) {
            head = header(OUTCOME, 9, o.payload().length).putLong(o.taskId()).put((byte) (o.success() ? 1 : 0));
            payload = o.payload();
        } else if (message instanceof Message.Stop) {
            head = header(STOP, 0, 0);
            payload = new byte[0];
        } else {
            throw new IllegalArgumentException("unknown message type: " + message.getClass().getName());
        }
        head.flip();
        ByteBuffer body = ByteBuffer.wrap(payload);
        ByteBuffer[] buffers = {head, body};
        while (head.hasRemaining() || body.hasRemaining()) {
            out.write(buffers);
        }
    }

    private static ByteBuffer header(byte kind, int fixedBodyLength, int payloadLength) throws MalformedFrameException {
        long length = 1L + fixedBodyLength + payloadLength;
        if (length > MAX_FRAME_LENGTH) {
            throw new MalformedFrameException("frame length exceeds " + MAX_FRAME_LENGTH + ": " + length
                    + " (send large data in parts, or through shared memory)");
        }
        return ByteBuffer.allocate(4 + 1 + fixedBodyLength).putInt((int) length).put(kind);
    }

    /**
     * Reads one frame.
     *
     * @throws EOFException if the stream ends cleanly before the first byte of a frame
     * @throws MalformedFrameException if the frame breaks the format, or the stream ends inside it
     */
    public static Message read(ReadableByteChannel in) throws IOException {
        ByteBuffer lengthBuffer = ByteBuffer.allocate(4);
        if (!readFully(in, lengthBuffer, true)) {
            throw new EOFException("channel closed by peer");
        }
        int length = lengthBuffer.flip().getInt();
        if (length < 1 || length > MAX_FRAME_LENGTH) {
            throw new MalformedFrameException("frame length must be between 1 and " + MAX_FRAME_LENGTH + ": " + length);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(in, body, false);
        body.flip();
        byte kind = body.get();
        return switch (kind) {
            case CHALLENGE -> new Message.Challenge(exactly(body, NONCE_LENGTH, "CHALLENGE nonce"));
            case HELLO -> {
                requireAtLeast(body, 16 + MAC_LENGTH, "HELLO");
                long childId = body.getLong();
                long pid = body.getLong();
                yield new Message.Hello(childId, pid, exactly(body, MAC_LENGTH, "HELLO mac"));
            }
            case TASK -> {
                requireAtLeast(body, 8, "TASK");
                long taskId = body.getLong();
                yield new Message.Task(taskId, rest(body));
            }
            case OUTCOME -> {
                requireAtLeast(body, 9, "OUTCOME");
                long taskId = body.getLong();
                byte success = body.get();
                if (success != 0 && success != 1) {
                    throw new MalformedFrameException("OUTCOME success flag must be 0 or 1: " + success);
                }
                yield new Message.Outcome(taskId, success == 1, rest(body));
            }
            case STOP -> {
                exactly(body, 0, "STOP body");
                yield new Message.Stop();
            }
            default -> throw new MalformedFrameException("unknown frame kind: " + kind);
        };
    }

    private static boolean readFully(ReadableByteChannel in, ByteBuffer buffer, boolean eofAllowedAtStart)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                if (eofAllowedAtStart && buffer.position() == 0) {
                    return false;
                }
                throw new MalformedFrameException("channel closed inside a frame after " + buffer.position()
                        + " of " + buffer.limit() + " bytes");
            }
        }
        return true;
    }

    private static void requireAtLeast(ByteBuffer body, int bytes, String what) throws MalformedFrameException {
        if (body.remaining() < bytes) {
            throw new MalformedFrameException(what + " body needs at least " + bytes + " bytes: " + body.remaining());
        }
    }

    private static byte[] exactly(ByteBuffer body, int bytes, String what) throws MalformedFrameException {
        if (body.remaining() != bytes) {
            throw new MalformedFrameException(what + " must be " + bytes + " bytes: " + body.remaining());
        }
        return rest(body);
    }

    private static byte[] rest(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return bytes;
    }
}
