package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An authenticated connection between two processes that need not be related, made by {@link Listener#accept()}
 * on one side and {@link Client#connect} on the other: the connection object of Python's
 * {@code multiprocessing.connection.Listener} and {@code Client}. Both ends know the same key, proved in both
 * directions before anything is exchanged.
 *
 * <pre>{@code
 * try (SocketConnection conn = Client.connect(address, authkey)) {
 *     conn.send(List.of(1, 2, 3));
 *     Object answer = conn.recv(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Threads and memory: any number of threads may send (messages never interleave); one thread at a time
 * should receive. A library thread reads ahead at most one message, so a peer that sends faster than this
 * side receives waits, as with a socket's buffer; messages are limited to 1 GiB.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>The same methods as a {@link Connection} (one end of a {@link Pipe}), with the same meanings; unlike a
 *     pipe's end it belongs to this process and cannot be sent to another one.</li>
 * <li>Messages are the library's own frames (the key's HMAC handshake, then length-prefixed values), not
 *     Python's; the two cannot talk to each other.</li>
 * <li>{@link #recv(Duration)} and {@link #recvBytes(Duration)} are bounded receives; Python has only
 *     {@code poll(timeout)} for that. {@link #poll(Duration)} is true at end of file too, as Python's
 *     {@code poll} is (the next receive then throws {@link EOFException}).</li>
 * <li>{@link #close()} closes the socket; the peer's next receive throws {@link EOFException}, as Python's
 *     raises {@code EOFError}.</li>
 * </ul>
 */
public final class SocketConnection implements AutoCloseable {
    /** One thing read from the socket: a message's payload, or the end of the stream. */
    private sealed interface Inbound permits Payload, End {}

    private record Payload(byte[] bytes) implements Inbound {}

    private record End(IOException cause) implements Inbound {}

    private static final AtomicLong READERS = new AtomicLong();

    private final Channel channel;
    private final BlockingQueue<Inbound> inbox = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    /* Accessed only by the receiving thread (one at a time). */
    private Inbound taken;
    private volatile boolean closed;

    SocketConnection(Channel channel) {
        this.channel = channel;
        this.reader = LibraryThreads.start(this::readLoop, "mp4j-connection-reader-" + READERS.incrementAndGet());
    }

    private void readLoop() {
        try {
            while (true) {
                Message message = channel.receive();
                if (message instanceof Message.Task task) {
                    inbox.put(new Payload(task.payload()));
                } else {
                    throw new IOException("unexpected " + message.getClass().getSimpleName() + " frame on a connection");
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            try {
                inbox.put(new End(e instanceof IOException io ? io : new IOException(e)));
            } catch (InterruptedException interrupted) {
                // closed here: nobody receives any more
            }
        } catch (InterruptedException e) {
            // closed here while a message waited to be received
        }
    }

    /**
     * Sends a value: anything {@link java.io.Serializable}, received by the other end's {@link #recv()}.
     *
     * @param value the value to send; null is allowed
     * @throws SerializationException if {@code value} cannot be serialized; nothing is sent
     * @throws IllegalStateException if this connection is closed
     * @throws java.io.UncheckedIOException if the socket fails (the peer is gone or the network broke)
     */
    public void send(Object value) {
        write(Codec.encode(value, "value"));
    }

    /**
     * Sends the bytes, received by the other end's {@link #recvBytes()}.
     *
     * @param bytes the bytes to send as one message
     * @throws IllegalStateException if this connection is closed
     * @throws java.io.UncheckedIOException if the socket fails (the peer is gone or the network broke)
     */
    public void sendBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        sendBytes(bytes, 0, bytes.length);
    }

    /**
     * Sends {@code size} bytes of {@code buffer} from {@code offset}, as Python's
     * {@code send_bytes(buf, offset, size)}.
     *
     * @param buffer the array holding the bytes
     * @param offset where the message starts in {@code buffer}
     * @param size how many bytes to send
     * @throws IndexOutOfBoundsException if the range is not inside {@code buffer}
     * @throws IllegalStateException if this connection is closed
     * @throws java.io.UncheckedIOException if the socket fails (the peer is gone or the network broke)
     */
    public void sendBytes(byte[] buffer, int offset, int size) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, size, buffer.length);
        write(Codec.encode(Arrays.copyOfRange(buffer, offset, offset + size), "bytes"));
    }

    private void write(byte[] payload) {
        requireOpen();
        try {
            channel.send(new Message.Task(0, payload));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to " + channel.remoteAddress() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Receives the next value, waiting as long as it takes.
     *
     * @return the value, or a {@code byte[]} if it was sent with {@link #sendBytes}
     * @throws EOFException if the other end closed the connection (or it broke) and nothing is left
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IllegalStateException if this connection is closed
     */
    public Object recv() throws EOFException, InterruptedException {
        requireOpen();
        if (taken == null) {
            taken = inbox.take();
        }
        return open();
    }

    /**
     * As {@link #recv()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to take only what is already there
     * @return the value, or a {@code byte[]} if it was sent with {@link #sendBytes}
     * @throws EOFException if the other end closed the connection (or it broke) and nothing is left
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws TimeoutException if nothing arrived in time; nothing is lost
     * @throws IllegalStateException if this connection is closed
     */
    public Object recv(Duration timeout) throws EOFException, InterruptedException, TimeoutException {
        if (!poll(timeout)) {
            throw new TimeoutException("nothing received within " + timeout);
        }
        return open();
    }

    /**
     * Receives bytes sent with {@link #sendBytes}.
     *
     * @return the message's bytes
     * @throws EOFException if the other end closed the connection (or it broke) and nothing is left
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws IllegalStateException if the message is not a byte array (it was sent with {@link #send}), or this
     *     connection is closed
     */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        return bytes(recv());
    }

    /**
     * As {@link #recvBytes()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to take only what is already there
     * @return the message's bytes
     * @throws EOFException if the other end closed the connection (or it broke) and nothing is left
     * @throws InterruptedException if the waiting thread is interrupted; nothing is lost
     * @throws TimeoutException if nothing arrived in time; nothing is lost
     * @throws IllegalStateException if the message is not a byte array (it was sent with {@link #send}), or this
     *     connection is closed
     */
    public byte[] recvBytes(Duration timeout) throws EOFException, InterruptedException, TimeoutException {
        return bytes(recv(timeout));
    }

    private static byte[] bytes(Object value) {
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalStateException("expected bytes but received " + (value == null ? "null" : "a " + value.getClass().getName()));
        }
        return bytes;
    }

    /**
     * Whether a message (or the end of the stream) is there to receive, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to only look
     * @return true if the next receive will not wait (it returns a message or throws {@link EOFException})
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if this connection is closed
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        requireOpen();
        if (taken == null) {
            taken = inbox.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        }
        return taken != null;
    }

    /**
     * Whether a message (or the end of the stream) is there to receive now.
     *
     * @return true if the next receive will not wait (it returns a message or throws {@link EOFException})
     * @throws IllegalStateException if this connection is closed
     */
    public boolean poll() {
        requireOpen();
        if (taken == null) {
            taken = inbox.poll();
        }
        return taken != null;
    }

    private Object open() throws EOFException {
        Inbound next = taken;
        if (next instanceof End end) {
            EOFException eof = new EOFException("the connection to " + channel.remoteAddress() + " is closed"
                    + (end.cause() instanceof EOFException ? "" : ": " + end.cause().getMessage()));
            eof.initCause(end.cause());
            throw eof;   // stays taken: every later receive says the same
        }
        taken = null;
        return Codec.decode(((Payload) next).bytes());
    }

    /**
     * Where the other end is: its address and port.
     *
     * @return the peer's socket address
     */
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /**
     * Whether {@link #close()} was called here.
     *
     * @return true once {@link #close()} was called on this object
     */
    public boolean closed() {
        return closed;
    }

    /** Closes the socket; later calls do nothing. */
    @Override
    public void close() {
        closed = true;
        channel.close();
        reader.interrupt();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this connection is closed");
        }
    }

    @Override
    public String toString() {
        return "SocketConnection(" + channel.remoteAddress() + (closed ? ", closed" : "") + ")";
    }
}
