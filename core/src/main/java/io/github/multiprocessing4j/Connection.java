package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.PipeReceipt;
import io.github.multiprocessing4j.internal.hub.PipeRequest;
import io.github.multiprocessing4j.internal.hub.PipeRoutes;
import io.github.multiprocessing4j.internal.hub.Waits;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Send it to another
 * process as an argument or capture; the copies there are the same end.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@code send_bytes} and {@code recv_bytes} are {@link #sendBytes} and {@link #recvBytes}; values are
 *     sent with Java serialization instead of pickle, so they must be {@link Serializable}, which
 *     {@link #send} checks at once.</li>
 * <li>A closed or dead peer makes {@code recv} throw {@link java.io.EOFException} (Python:
 *     {@code EOFError}).</li>
 * <li>Messages are whole values: {@link #send} sends an object, {@link #sendBytes} a byte array, which
 *     {@link #recv()} returns as a {@code byte[]}. Python's {@code recv_bytes()} of a pickled {@code send()}
 *     returns the pickle; here {@link #recvBytes()} of a message that is not a byte array throws
 *     {@link IllegalStateException} naming its class (the library's encoding is not a public format), and
 *     {@link #recv()} of {@code sendBytes} data returns the bytes instead of unpickling them.</li>
 * <li>{@link #recv(Duration)} and {@link #recvBytes(Duration)} are bounded receives; Python has only
 *     {@code poll(timeout)} for that.</li>
 * <li>{@link #recvBytesInto} throws {@link BufferTooShort} holding the whole message, as Python's
 *     {@code BufferTooShort} holds it in {@code args[0]}.</li>
 * <li>{@link #close()} gives up this process's copy. An end counts as closed when every process that used
 *     it closed it or exited; a process that handed the end to a child and never used it may close its copy
 *     at once, as in Python's {@code child_conn.close()} after {@code start()}.</li>
 * </ul>
 */
public final class Connection implements Serializable, AutoCloseable {
    /** Messages of {@code sendBytes} at least this long are not copied before they are written. */
    private static final int BORROW_FROM = 64 << 10;

    /** The pipe in the hub of the process that opened it; where its ends' inboxes start (see {@link PipeRoutes}). */
    private final Handle handle;
    /** Which end of the pipe this is: 0 or 1. */
    private final int end;
    /** Whether this end can receive. */
    private final boolean readable;
    /** Whether this end can send. */
    private final boolean writable;
    private transient volatile boolean closed;
    /** Whether this copy was serialized, to hand it to another process. */
    private transient volatile boolean handedOver;
    /** Where this process sends and receives; looked up once. */
    private transient volatile PipeRoutes routes;
    /** For a copy that arrived from another process: the keepers of the inboxes that process knew. */
    private transient Handle[] keepersKnownBySender;

    /**
     * {@link #recvBytesInto} got a message larger than the buffer: Python's
     * {@code multiprocessing.BufferTooShort}. The message is not lost: {@link #message()} holds it.
     */
    public static final class BufferTooShort extends MultiprocessingException {
        private static final long serialVersionUID = 1L;
        /** The whole message that did not fit; handed out only as copies. */
        private final byte[] message;

        /**
         * Makes the exception for a message that did not fit.
         *
         * @param message the whole message; copied
         * @param room how many bytes were left in the buffer from the requested offset
         */
        public BufferTooShort(byte[] message, int room) {
            super("message of " + message.length + " bytes does not fit in the " + room + " bytes left in the buffer");
            this.message = message.clone();
        }

        /**
         * The whole message that did not fit (Python's {@code e.args[0]}).
         *
         * @return a copy of the message's bytes
         */
        public byte[] message() {
            return message.clone();
        }
    }

    Connection(Handle handle, int end, boolean readable, boolean writable) {
        this.handle = handle;
        this.end = end;
        this.readable = readable;
        this.writable = writable;
        routes().holding(end);
    }

    /**
     * Sends an object to the other end. It is serialized here, so a value that cannot be sent fails this
     * call, naming its class.
     *
     * <p>Like Python's, a send returns once the message is on its way: to a pipe opened by another process
     * it is delivered by a background thread, in order.
     *
     * @param value the object to send; must be serializable (null is allowed)
     * @throws IllegalStateException if this end is closed or receive-only, or (here or at a later call)
     *         if the other end is closed
     * @throws SerializationException if {@code value} cannot be serialized; nothing is sent
     */
    public void send(Object value) {
        requireUsable(writable, "send on a receive-only end");
        routes().send(1 - end, new PipeRequest.Send(end, Codec.encodeItem(value, "pipe message")));
    }

    /**
     * Sends raw bytes, received by {@link #recvBytes()} on the other end.
     *
     * @param bytes the bytes to send as one message; copied, so later changes to the array are not sent
     * @throws IllegalStateException if this end is closed or receive-only, or the other end is closed
     */
    public void sendBytes(byte[] bytes) {
        sendBytes(bytes, 0, Objects.requireNonNull(bytes, "bytes").length);
    }

    /**
     * Sends the bytes of {@code buffer} from {@code offset} to its end (Python's
     * {@code send_bytes(buf, offset)}).
     *
     * @param buffer the array holding the bytes; the range is copied
     * @param offset where the message starts in {@code buffer}; its length sends an empty message
     * @throws IndexOutOfBoundsException if {@code offset} is negative or beyond the buffer (Python raises
     *     ValueError)
     * @throws IllegalStateException if this end is closed or receive-only, or the other end is closed
     */
    public void sendBytes(byte[] buffer, int offset) {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || offset > buffer.length) {
            throw new IndexOutOfBoundsException("offset must be in [0, " + buffer.length + "] but was " + offset);
        }
        sendBytes(buffer, offset, buffer.length - offset);
    }

    /**
     * Sends {@code size} bytes of {@code buffer} from {@code offset} (Python's
     * {@code send_bytes(buf, offset, size)}).
     *
     * @param buffer the array holding the bytes; the range is copied
     * @param offset where the message starts in {@code buffer}
     * @param size how many bytes to send
     * @throws IndexOutOfBoundsException if the range is not inside the buffer (Python raises ValueError)
     * @throws IllegalStateException if this end is closed or receive-only, or the other end is closed
     */
    public void sendBytes(byte[] buffer, int offset, int size) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, size, buffer.length);
        requireUsable(writable, "send on a receive-only end");
        if (size >= BORROW_FROM && size < Codec.MAX_ITEM_LENGTH) {
            // Written straight from the caller's array (to another process), which send waits for.
            routes().send(1 - end, new PipeRequest.SendSlice(end, Codec.bytesTag(), buffer, offset, size));
        } else {
            routes().send(1 - end, new PipeRequest.Send(end, Item.of(Codec.encodeBytes(buffer, offset, size, "pipe message"))));
        }
    }

    /**
     * Sends the bytes between {@code buffer}'s position and limit as one message, received by
     * {@link #recvBytes()} as a {@code byte[]} (Python's {@code send_bytes} takes any object that exposes its
     * bytes, such as a {@code memoryview}). The buffer's position then moves to its limit, as a channel's
     * write leaves it; if the send fails, it stays. A buffer backed by an accessible array is sent from that
     * array; a direct or read-only one is copied once first.
     *
     * @param buffer the bytes to send
     * @throws IllegalStateException if this end is closed or receive-only, or the other end is closed
     */
    public void sendBytes(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.hasArray()) {
            sendBytes(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            sendBytes(copy);
        }
        buffer.position(buffer.limit());
    }

    /**
     * Receives the next object, waiting as long as it takes.
     *
     * @return the object, or a {@code byte[]} if it was sent with {@link #sendBytes}
     * @throws EOFException when nothing is left and the other end is closed (closed explicitly, or every
     *         process using it exited)
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IllegalStateException if this end is closed or send-only
     */
    public Object recv() throws EOFException, InterruptedException {
        requireUsable(readable, "receive on a send-only end");
        return decode(Waits.until(null, this::receiveSlice));
    }

    /**
     * Receives the next object, waiting at most {@code timeout} (Python has only {@code poll} for this).
     *
     * @param timeout how long to wait at most; zero or negative to take only what is already there
     * @return the object, or a {@code byte[]} if it was sent with {@link #sendBytes}
     * @throws TimeoutException if nothing arrived in time; nothing is lost
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IllegalStateException if this end is closed or send-only
     */
    public Object recv(Duration timeout) throws EOFException, InterruptedException, TimeoutException {
        requireUsable(readable, "receive on a send-only end");
        PipeReceipt receipt = Waits.until(Waits.requireTimeout(timeout), this::receiveSlice);
        if (receipt == null) {
            throw new TimeoutException("nothing received within " + timeout.toMillis() + " ms");
        }
        return decode(receipt);
    }

    /** One slice of a receive: a message or end of file, or null while nothing came (for {@link Waits}). */
    private PipeReceipt receiveSlice(long sliceNanos) {
        PipeReceipt receipt = routes().receive(end, new PipeRequest.Receive(end, sliceNanos));
        return receipt instanceof PipeReceipt.TimedOut ? null : receipt;
    }

    private static Object decode(PipeReceipt receipt) throws EOFException {
        if (receipt instanceof PipeReceipt.Delivered delivered) {
            return Codec.decodeItem(delivered.message());
        }
        throw new EOFException("the other end of the pipe is closed: every process that used it closed it or exited");
    }

    /**
     * Receives bytes sent with {@link #sendBytes}.
     *
     * @return the message's bytes
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IllegalStateException if the message is not a byte array (it was sent with {@link #send}); it is consumed
     */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        return asBytes(recv());
    }

    /**
     * Receives bytes sent with {@link #sendBytes}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to take only what is already there
     * @return the message's bytes
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws TimeoutException if nothing arrived in time; nothing is lost
     * @throws IllegalStateException if the message is not a byte array (it was sent with {@link #send}); it is consumed
     */
    public byte[] recvBytes(Duration timeout) throws EOFException, InterruptedException, TimeoutException {
        return asBytes(recv(timeout));
    }

    private static byte[] asBytes(Object value) {
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalStateException("expected bytes (sent with sendBytes) but received "
                    + (value == null ? "null" : "a " + value.getClass().getName()));
        }
        return bytes;
    }

    /**
     * Receives bytes sent with {@link #sendBytes} into {@code buffer} from its start and returns their
     * number (Python's {@code recv_bytes_into}).
     *
     * @param buffer where to write the message, from index 0
     * @return the number of bytes written
     * @throws BufferTooShort if the message does not fit; it is then taken and held by the exception
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     */
    public int recvBytesInto(byte[] buffer) throws EOFException, InterruptedException {
        return recvBytesInto(buffer, 0);
    }

    /**
     * As {@link #recvBytesInto(byte[])}, writing from {@code offset}.
     *
     * @param buffer where to write the message
     * @param offset the index of {@code buffer} where the message starts, from 0 to {@code buffer.length}
     * @return the number of bytes written
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IndexOutOfBoundsException if {@code offset} is outside the buffer
     * @throws BufferTooShort if the message does not fit after {@code offset}; it is then held by the exception
     */
    public int recvBytesInto(byte[] buffer, int offset) throws EOFException, InterruptedException {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || offset > buffer.length) {
            throw new IndexOutOfBoundsException("offset must be in [0, " + buffer.length + "] but was " + offset);
        }
        byte[] message = recvBytes();
        if (message.length > buffer.length - offset) {
            throw new BufferTooShort(message, buffer.length - offset);
        }
        System.arraycopy(message, 0, buffer, offset, message.length);
        return message.length;
    }

    /**
     * Receives bytes sent with {@link #sendBytes} into {@code buffer} at its position, which then moves past
     * them, as a channel's read leaves it (Python's {@code recv_bytes_into} into any writable buffer, such as
     * an {@code array}; a direct buffer works too).
     *
     * @param buffer where to write the message, between its position and its limit
     * @return the number of bytes written
     * @throws BufferTooShort if the message does not fit in what remains; it is then taken and held by the
     *     exception, and the buffer is unchanged
     * @throws java.nio.ReadOnlyBufferException if {@code buffer} is read-only
     * @throws EOFException when nothing is left and the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     */
    public int recvBytesInto(ByteBuffer buffer) throws EOFException, InterruptedException {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        byte[] message = recvBytes();
        if (message.length > buffer.remaining()) {
            throw new BufferTooShort(message, buffer.remaining());
        }
        buffer.put(message);
        return message.length;
    }

    /**
     * Whether this process closed its copy of this end (Python's {@code closed}).
     *
     * @return true once {@link #close()} was called in this process
     */
    public boolean closed() {
        return closed;
    }

    /**
     * Whether this end can receive (Python's {@code readable}).
     *
     * @return true for a duplex end and for the receiving end of a one-way pipe
     */
    public boolean readable() {
        return readable;
    }

    /**
     * Whether this end can send (Python's {@code writable}).
     *
     * @return true for a duplex end and for the sending end of a one-way pipe
     */
    public boolean writable() {
        return writable;
    }

    /**
     * Whether something can be received (or end of file reached) within {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to only look
     * @return true if the next {@link #recv()} will not wait: a message is there or the other end is closed
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if this end is closed or send-only
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        requireUsable(readable, "poll on a send-only end");
        return Waits.until(Waits.requireTimeout(timeout), slice -> pollSlice(slice) ? Boolean.TRUE : null) != null;
    }

    /**
     * Whether something can be received now.
     *
     * @return true if the next {@link #recv()} will not wait: a message is there or the other end is closed
     * @throws IllegalStateException if this end is closed or send-only
     */
    public boolean poll() {
        requireUsable(readable, "poll on a send-only end");
        return pollSlice(Waits.NO_WAIT);
    }

    /** Whether a receive would not wait, waiting at most {@code sliceNanos} for that. */
    private boolean pollSlice(long sliceNanos) {
        return routes().poll(end, sliceNanos);
    }

    /** This process stops using this end; once no process uses it, the other end sees end of file. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            routes().close(end, handedOver);
        }
    }

    private void requireUsable(boolean allowed, String what) {
        if (closed) {
            throw new IllegalStateException("this end of the pipe is closed");
        }
        if (!allowed) {
            throw new IllegalStateException("cannot " + what + " of a one-way pipe");
        }
    }

    /**
     * Leaving for another process: closing this copy without using it keeps the end open for that one.
     *
     * @param out the stream writing this end
     * @throws IOException if the stream fails
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        handedOver = true;
        routes().handingOut(end);
        out.defaultWriteObject();
        out.writeObject(routes().keepers());
    }

    /**
     * Reads an end with the keepers of its inboxes as the sending process knew them.
     *
     * @param in the stream reading this end
     * @throws IOException if the stream fails
     * @throws ClassNotFoundException if a class of the stream cannot be found
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        keepersKnownBySender = (Handle[]) in.readObject();
    }

    /**
     * Arriving in another process: that process now uses this end, and keeps its inbox if it can receive on
     * it (see {@link PipeRoutes}).
     *
     * @return this end, now registered as used by this process
     */
    private Object readResolve() {
        routes().holding(end);
        routes().attach(end, readable, keepersKnownBySender);
        return this;
    }

    private PipeRoutes routes() {
        PipeRoutes known = routes;
        if (known == null) {
            known = PipeRoutes.of(handle);
            routes = known;
        }
        return known;
    }
}
