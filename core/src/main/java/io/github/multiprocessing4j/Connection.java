package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.PipeReceipt;
import io.github.multiprocessing4j.internal.hub.PipeRequest;
import io.github.multiprocessing4j.internal.hub.Waits;
import java.io.EOFException;
import java.io.Serializable;
import java.time.Duration;
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
 * <li>{@code recv} has a bounded form, {@link #recv(Duration)}, where Python needs {@code poll(timeout)}
 *     first.</li>
 * </ul>
 */
public final class Connection implements Serializable, AutoCloseable {
    private final Handle handle;
    private final int end;
    private final boolean readable;
    private final boolean writable;
    private transient volatile boolean closed;

    Connection(Handle handle, int end, boolean readable, boolean writable) {
        this.handle = handle;
        this.end = end;
        this.readable = readable;
        this.writable = writable;
    }

    /**
     * Sends an object to the other end. It is serialized here, so a value that cannot be sent fails this
     * call, naming its class.
     *
     * <p>Like Python's, a send returns once the message is on its way: to a pipe opened by another process
     * it is delivered by a background thread, in order.
     *
     * @throws IllegalStateException if this end is closed or receive-only, or (here or at a later call)
     *         if the other end is closed
     */
    public void send(Object value) {
        requireUsable(writable, "send on a receive-only end");
        handle.send(new PipeRequest.Send(end, Codec.encode(value, "pipe message")));
    }

    /** Sends raw bytes, received by {@link #recvBytes()} on the other end. */
    public void sendBytes(byte[] bytes) {
        send(bytes.clone());
    }

    /**
     * Receives the next object, waiting as long as it takes.
     *
     * @throws EOFException when nothing is left and the other end is closed (closed explicitly, or every
     *         process using it exited)
     */
    public Object recv() throws EOFException, InterruptedException {
        requireUsable(readable, "receive on a send-only end");
        return decode(Waits.until(null, this::receiveSlice));
    }

    /**
     * Receives the next object, waiting at most {@code timeout} (Python has only {@code poll} for this).
     *
     * @throws TimeoutException if nothing arrived in time; nothing is lost
     * @throws EOFException when nothing is left and the other end is closed
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
        PipeReceipt receipt = handle.call(new PipeRequest.Receive(end, sliceNanos));
        return receipt instanceof PipeReceipt.TimedOut ? null : receipt;
    }

    private static Object decode(PipeReceipt receipt) throws EOFException {
        if (receipt instanceof PipeReceipt.Delivered delivered) {
            return Codec.decode(delivered.message());
        }
        throw new EOFException("the other end of the pipe is closed: every process that used it closed it or exited");
    }

    /** Receives bytes sent with {@link #sendBytes}. */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        Object value = recv();
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalStateException("expected bytes but received a " + value.getClass().getName());
        }
        return bytes;
    }

    /** Receives bytes sent with {@link #sendBytes}, waiting at most {@code timeout}. */
    public byte[] recvBytes(Duration timeout) throws EOFException, InterruptedException, TimeoutException {
        Object value = recv(timeout);
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalStateException("expected bytes but received a " + value.getClass().getName());
        }
        return bytes;
    }

    /** Whether something can be received (or end of file reached) within {@code timeout}. */
    public boolean poll(Duration timeout) throws InterruptedException {
        requireUsable(readable, "poll on a send-only end");
        return Waits.until(Waits.requireTimeout(timeout), slice -> handle.call(new PipeRequest.Poll(end, slice)) ? Boolean.TRUE : null) != null;
    }

    /** Whether something can be received now. */
    public boolean poll() {
        requireUsable(readable, "poll on a send-only end");
        return handle.call(new PipeRequest.Poll(end, Waits.NO_WAIT));
    }

    /** This process stops using this end; once no process uses it, the other end sees end of file. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            handle.call(new PipeRequest.Close(end));
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

    /** Arriving in another process: that process now uses this end. */
    private Object readResolve() {
        handle.call(new PipeRequest.Attach(end));
        return this;
    }
}
