package io.github.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
 * kind 2 HELLO      body = childId (int64) | pid (int64) | mac (32 bytes) | nonce (32 bytes)
 * kind 3 TASK       body = taskId (int64) | payload (rest)
 * kind 4 OUTCOME    body = taskId (int64) | success (u8: 0 or 1) | payload (rest)
 * kind 5 STOP       body = empty
 * kind 6 WELCOME    body = mac (32 bytes)
 * kind 7 REFUSED    body = empty
 * kind 8 ASSIGN     body = worker (u8: 0 or 1) | name (UTF-8, rest)
 * </pre>
 *
 * A frame longer than the reader's limit ({@link #MAX_FRAME_LENGTH}, or {@link #HANDSHAKE_FRAME_LENGTH}
 * before the peer has proved the key) is refused before any of its body is read. Within the limit, a payload's
 * array is allocated for at most its first {@value #FIRST_PAYLOAD_READ} bytes and then doubled as bytes
 * arrive, so a corrupt or hostile length makes the reader hold at most twice the bytes actually sent. Large
 * payloads are written with a gathering write, without copying them into a second buffer.
 */
public final class FrameCodec {
    /** The largest frame accepted: 1 GiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 30;
    /** The largest frame read during the handshake, before the peer is authenticated. */
    public static final int HANDSHAKE_FRAME_LENGTH = 128;

    /** The most a payload's array is given before any of its bytes have arrived. */
    static final int FIRST_PAYLOAD_READ = 1 << 20;

    static final int NONCE_LENGTH = 32;
    static final int MAC_LENGTH = 32;

    private static final byte CHALLENGE = 1;
    private static final byte HELLO = 2;
    private static final byte TASK = 3;
    private static final byte OUTCOME = 4;
    private static final byte STOP = 5;
    private static final byte WELCOME = 6;
    private static final byte REFUSED = 7;
    private static final byte ASSIGN = 8;

    private FrameCodec() {}

    /**
     * Writes one frame. The caller serializes concurrent writers.
     *
     * @throws IllegalArgumentException if a nonce or mac is not the {@value #NONCE_LENGTH} or
     *         {@value #MAC_LENGTH} bytes the reader expects
     */
    public static void write(GatheringByteChannel out, Message message) throws IOException {
        ByteBuffer head;
        byte[] payload;
        if (message instanceof Message.Challenge c) {
            head = header(CHALLENGE, 0, requireLength(c.nonce(), NONCE_LENGTH, "CHALLENGE nonce"));
            payload = c.nonce();
        } else if (message instanceof Message.Hello h) {
            head = header(HELLO, 16 + requireLength(h.mac(), MAC_LENGTH, "HELLO mac"),
                    requireLength(h.nonce(), NONCE_LENGTH, "HELLO nonce")).putLong(h.childId()).putLong(h.pid()).put(h.mac());
            payload = h.nonce();
        } else if (message instanceof Message.Welcome w) {
            head = header(WELCOME, 0, requireLength(w.mac(), MAC_LENGTH, "WELCOME mac"));
            payload = w.mac();
        } else if (message instanceof Message.Refused) {
            head = header(REFUSED, 0, 0);
            payload = new byte[0];
        } else if (message instanceof Message.Task t) {
            head = header(TASK, 8, t.payload().length).putLong(t.taskId());
            payload = t.payload();
        } else if (message instanceof Message.Outcome o) {
            head = header(OUTCOME, 9, o.payload().length).putLong(o.taskId()).put((byte) (o.success() ? 1 : 0));
            payload = o.payload();
        } else if (message instanceof Message.Stop) {
            head = header(STOP, 0, 0);
            payload = new byte[0];
        } else if (message instanceof Message.Assign a) {
            payload = a.name().getBytes(StandardCharsets.UTF_8);
            head = header(ASSIGN, 1, payload.length).put((byte) (a.worker() ? 1 : 0));
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

    private static int requireLength(byte[] field, int length, String what) {
        if (field.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes: " + field.length);
        }
        return length;
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
     * Reads one frame. The fixed fields are read first, then the payload straight into an array of its
     * own, so a large payload is copied once from the socket and not again.
     *
     * @throws EOFException if the stream ends cleanly before the first byte of a frame
     * @throws MalformedFrameException if the frame breaks the format, or the stream ends inside it
     */
    public static Message read(ReadableByteChannel in) throws IOException {
        return read(in, MAX_FRAME_LENGTH);
    }

    /** Reads one frame of at most {@code maxLength} bytes (after the length field). */
    public static Message read(ReadableByteChannel in, int maxLength) throws IOException {
        ByteBuffer lengthBuffer = ByteBuffer.allocate(4);
        if (!readFully(in, lengthBuffer, true, 0, 0)) {
            throw new EOFException("channel closed by peer");
        }
        int length = lengthBuffer.flip().getInt();
        if (length < 1 || length > maxLength) {
            throw new MalformedFrameException("frame length must be between 1 and " + maxLength + ": " + length);
        }
        Body body = new Body(in, length);
        byte kind = body.fixed(1, "frame").get();
        return switch (kind) {
            case CHALLENGE -> new Message.Challenge(body.exactly(NONCE_LENGTH, "CHALLENGE nonce"));
            case HELLO -> {
                ByteBuffer fixed = body.fixed(16 + MAC_LENGTH, "HELLO");
                long childId = fixed.getLong();
                long pid = fixed.getLong();
                byte[] mac = new byte[MAC_LENGTH];
                fixed.get(mac);
                yield new Message.Hello(childId, pid, mac, body.exactly(NONCE_LENGTH, "HELLO nonce"));
            }
            case WELCOME -> new Message.Welcome(body.exactly(MAC_LENGTH, "WELCOME mac"));
            case REFUSED -> {
                body.exactly(0, "REFUSED body");
                yield new Message.Refused();
            }
            case TASK -> new Message.Task(body.fixed(8, "TASK").getLong(), body.rest());
            case OUTCOME -> {
                ByteBuffer fixed = body.fixed(9, "OUTCOME");
                long taskId = fixed.getLong();
                byte success = fixed.get();
                if (success != 0 && success != 1) {
                    throw new MalformedFrameException("OUTCOME success flag must be 0 or 1: " + success);
                }
                yield new Message.Outcome(taskId, success == 1, body.rest());
            }
            case STOP -> {
                body.exactly(0, "STOP body");
                yield new Message.Stop();
            }
            case ASSIGN -> {
                byte worker = body.fixed(1, "ASSIGN").get();
                if (worker != 0 && worker != 1) {
                    throw new MalformedFrameException("ASSIGN worker flag must be 0 or 1: " + worker);
                }
                yield new Message.Assign(new String(body.rest(), StandardCharsets.UTF_8), worker == 1);
            }
            default -> throw new MalformedFrameException("unknown frame kind: " + kind);
        };
    }

    /** The body of one frame, read piece by piece; knows how much of it is left. */
    private static final class Body {
        private final ReadableByteChannel in;
        private final int length;
        private int consumed;

        Body(ReadableByteChannel in, int length) {
            this.in = in;
            this.length = length;
        }

        /** The next {@code bytes} bytes, which the frame kind requires. */
        ByteBuffer fixed(int bytes, String what) throws IOException {
            if (length - consumed < bytes) {
                throw new MalformedFrameException(what + " body needs at least " + (consumed + bytes) + " bytes: " + length);
            }
            return read(bytes).flip();
        }

        /** Everything left, which must be exactly {@code bytes} long. */
        byte[] exactly(int bytes, String what) throws IOException {
            if (length - consumed != bytes) {
                throw new MalformedFrameException(what + " must be " + bytes + " bytes: " + (length - consumed));
            }
            return rest();
        }

        /**
         * Everything left. The array starts at most {@link #FIRST_PAYLOAD_READ} long and doubles as it fills,
         * so its size follows the bytes that arrive rather than the length the header claims.
         */
        byte[] rest() throws IOException {
            int start = consumed;
            int size = length - start;
            byte[] payload = new byte[Math.min(size, FIRST_PAYLOAD_READ)];
            int filled = 0;
            while (true) {
                readFully(in, ByteBuffer.wrap(payload).position(filled), false, start, length);
                consumed += payload.length - filled;
                filled = payload.length;
                if (filled == size) {
                    return payload;
                }
                payload = Arrays.copyOf(payload, (int) Math.min(size, 2L * filled));
            }
        }

        private ByteBuffer read(int bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(bytes);
            readFully(in, buffer, false, consumed, length);
            consumed += bytes;
            return buffer;
        }
    }

    /**
     * Fills {@code buffer}. For the error message when the stream ends inside a frame, {@code before} and
     * {@code frame} place the buffer in the frame's body (the bytes after the length field). A clean end
     * before a frame is allowed only when asked.
     */
    private static boolean readFully(ReadableByteChannel in, ByteBuffer buffer, boolean eofAllowedAtStart, int before,
            int frame) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                if (eofAllowedAtStart && buffer.position() == 0) {
                    return false;
                }
                throw new MalformedFrameException("channel closed inside a frame after " + (before + buffer.position())
                        + " of " + frame + " bytes");
            }
        }
        return true;
    }
}
