package io.github.multiprocessing4j.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * kind 9 PARTS      body = id (int64) | count (int32) | count part lengths (int32 each)
 *                   then the parts, back to back, after the body (not counted by length)
 * </pre>
 *
 * A frame longer than the reader's limit ({@link #MAX_FRAME_LENGTH}, or {@link #HANDSHAKE_FRAME_LENGTH}
 * before the peer has proved the key) is refused before any of its body is read. Within the limit, a payload's
 * array is allocated for at most its first {@value #FIRST_PAYLOAD_READ} bytes and then doubled as bytes
 * arrive, so a corrupt or hostile length makes the reader hold at most twice the bytes actually sent. Large
 * payloads are written with a gathering write, without copying them into a second buffer.
 *
 * <p>A {@code PARTS} frame carries several byte arrays (a hub call's head and the large items it carries)
 * without joining them: the writer gathers them straight from their arrays, the reader reads each into an
 * array of its own, so an item is copied once on each side. Its parts may add up to more than
 * {@link #MAX_FRAME_LENGTH} when the reader allows it ({@link #read(ReadableByteChannel, long, int)}), which
 * is how a single message of 1 GiB or more travels. A reader that trusts its peer (a process of its own
 * family, on a private socket) may allocate each part whole as announced; otherwise parts grow with the
 * bytes that arrive, as payloads do.
 *
 * <p>Reads and writes hand the socket at most {@link #IO_SLICE} bytes per call: the JDK copies a heap
 * buffer through a temporary direct buffer as large as the call, so a 1 GiB array written in one call would
 * cost 1 GiB of native memory.
 */
public final class FrameCodec {
    /** The largest frame accepted: 1 GiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 30;
    /** The largest frame read during the handshake, before the peer is authenticated. */
    public static final int HANDSHAKE_FRAME_LENGTH = 128;

    /** The largest {@code PARTS} frame a reader that allows large frames accepts: 4 GiB, parts included. */
    public static final long MAX_LARGE_FRAME_LENGTH = 4L << 30;
    /** The most parts one {@code PARTS} frame carries. */
    public static final int MAX_PARTS = 4096;

    /** The most a payload's array is given before any of its bytes have arrived. */
    static final int FIRST_PAYLOAD_READ = 1 << 20;
    /** The most bytes handed to one read or write call of the socket. */
    static final int IO_SLICE = 1 << 20;

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
    private static final byte PARTS = 9;

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
        } else if (message instanceof Message.Parts p) {
            writeParts(out, p.id(), p.parts().stream().map(part -> new ByteBuffer[] {ByteBuffer.wrap(part)}).toList());
            return;
        } else if (message instanceof Message.GatheredParts p) {
            writeParts(out, p.id(), p.parts());
            return;
        } else {
            throw new IllegalArgumentException("unknown message type: " + message.getClass().getName());
        }
        writeFully(out, slices(head.flip(), List.of(ByteBuffer.wrap(payload))));
    }

    private static void writeParts(GatheringByteChannel out, long id, List<ByteBuffer[]> parts) throws IOException {
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("a PARTS frame carries at most " + MAX_PARTS + " parts: " + parts.size());
        }
        ByteBuffer head = ByteBuffer.allocate(4 + 1 + 12 + 4 * parts.size())
                .putInt(1 + 12 + 4 * parts.size()).put(PARTS).putLong(id).putInt(parts.size());
        List<ByteBuffer> segments = new ArrayList<>();
        for (ByteBuffer[] part : parts) {
            long length = 0;
            for (ByteBuffer segment : part) {
                length += segment.remaining();
                segments.add(segment);
            }
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a PARTS frame's part is at most " + Integer.MAX_VALUE + " bytes: " + length);
            }
            head.putInt((int) length);
        }
        writeFully(out, slices(head.flip(), segments));
    }

    /** {@code head}, then each buffer cut into slices of at most {@link #IO_SLICE} bytes (no bytes copied). */
    private static ByteBuffer[] slices(ByteBuffer head, List<ByteBuffer> buffers) {
        List<ByteBuffer> slices = new ArrayList<>();
        slices.add(head);
        for (ByteBuffer buffer : buffers) {
            for (int offset = buffer.position(); offset < buffer.limit(); offset += IO_SLICE) {
                slices.add(buffer.slice(offset, Math.min(IO_SLICE, buffer.limit() - offset)));
            }
        }
        return slices.toArray(ByteBuffer[]::new);
    }

    /** Writes every buffer, gathering small neighbours into one call and never more than about {@link #IO_SLICE} a call. */
    private static void writeFully(GatheringByteChannel out, ByteBuffer[] buffers) throws IOException {
        int first = 0;
        while (first < buffers.length) {
            if (!buffers[first].hasRemaining()) {
                first++;
                continue;
            }
            int end = first + 1;
            long bytes = buffers[first].remaining();
            while (end < buffers.length && end - first < 64 && bytes + buffers[end].remaining() <= IO_SLICE) {
                bytes += buffers[end].remaining();
                end++;
            }
            out.write(buffers, first, end - first);
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
        return read(in, maxLength, FIRST_PAYLOAD_READ);
    }

    /**
     * Reads one frame of at most {@code maxLength} bytes after the length field, the parts of a
     * {@code PARTS} frame included; the length field itself is at most {@link #MAX_FRAME_LENGTH}. An array
     * is allocated whole before its bytes arrive only up to {@code allocateAhead} bytes, and grows with the
     * bytes beyond that: pass {@link Integer#MAX_VALUE} only for a peer trusted not to announce more than it
     * sends.
     */
    public static Message read(ReadableByteChannel in, long maxLength, int allocateAhead) throws IOException {
        ByteBuffer lengthBuffer = ByteBuffer.allocate(4);
        if (!readFully(in, lengthBuffer, true, 0, 0)) {
            throw new EOFException("channel closed by peer");
        }
        int length = lengthBuffer.flip().getInt();
        long maxField = Math.min(maxLength, MAX_FRAME_LENGTH);
        if (length < 1 || length > maxField) {
            throw new MalformedFrameException("frame length must be between 1 and " + maxField + ": " + length);
        }
        Body body = new Body(in, length, allocateAhead);
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
            case PARTS -> readParts(in, body, length, maxLength, allocateAhead);
            default -> throw new MalformedFrameException("unknown frame kind: " + kind);
        };
    }

    private static Message.Parts readParts(ReadableByteChannel in, Body body, int length, long maxLength, int allocateAhead)
            throws IOException {
        ByteBuffer fixed = body.fixed(12, "PARTS");
        long id = fixed.getLong();
        int count = fixed.getInt();
        if (count < 0 || count > MAX_PARTS) {
            throw new MalformedFrameException("PARTS count must be between 0 and " + MAX_PARTS + ": " + count);
        }
        ByteBuffer table = ByteBuffer.wrap(body.exactly(4 * count, "PARTS length table"));
        int[] lengths = new int[count];
        long total = length;
        for (int i = 0; i < count; i++) {
            lengths[i] = table.getInt();
            total += lengths[i];
            if (lengths[i] < 0 || total > maxLength) {
                throw new MalformedFrameException("PARTS part " + i + " has length " + lengths[i]
                        + ": parts must be at least 0 bytes and the frame at most " + maxLength);
            }
        }
        List<byte[]> parts = new ArrayList<>(count);
        long before = length;
        for (int i = 0; i < count; i++) {
            parts.add(readGrowing(in, lengths[i], allocateAhead, before, total));
            before += lengths[i];
        }
        return new Message.Parts(id, parts);
    }

    /**
     * Reads {@code size} bytes into an array of their own. The array starts at most {@code allocateAhead}
     * long (at least {@link #FIRST_PAYLOAD_READ}) and doubles as it fills, so its size follows the bytes that
     * arrive rather than the length announced. {@code before} and {@code frame} place it in its frame for
     * messages.
     */
    private static byte[] readGrowing(ReadableByteChannel in, int size, int allocateAhead, long before, long frame)
            throws IOException {
        byte[] payload = new byte[Math.min(size, Math.max(allocateAhead, FIRST_PAYLOAD_READ))];
        int filled = 0;
        while (true) {
            readFully(in, ByteBuffer.wrap(payload).position(filled), false, before, frame);
            filled = payload.length;
            if (filled == size) {
                return payload;
            }
            payload = Arrays.copyOf(payload, (int) Math.min(size, 2L * filled));
        }
    }

    /** The body of one frame, read piece by piece; knows how much of it is left. */
    private static final class Body {
        private final ReadableByteChannel in;
        private final int length;
        private final int allocateAhead;
        private int consumed;

        Body(ReadableByteChannel in, int length, int allocateAhead) {
            this.in = in;
            this.length = length;
            this.allocateAhead = allocateAhead;
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

        /** Everything left, in an array that grows with the bytes that arrive (see {@link #readGrowing}). */
        byte[] rest() throws IOException {
            byte[] payload = readGrowing(in, length - consumed, allocateAhead, consumed, length);
            consumed = length;
            return payload;
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
    private static boolean readFully(ReadableByteChannel in, ByteBuffer buffer, boolean eofAllowedAtStart, long before,
            long frame) throws IOException {
        int limit = buffer.limit();
        while (buffer.position() < limit) {
            buffer.limit(Math.min(limit, buffer.position() + IO_SLICE));
            int read = in.read(buffer);
            buffer.limit(limit);
            if (read < 0) {
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
