package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.FrameCodec;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections to one other process's hub, reused between calls: a call takes an idle connection (or opens
 * and authenticates a new one), sends one frame, reads the reply, and gives the connection back. A call
 * that blocks (a {@code get} waiting for an item) holds one connection while other threads go on with
 * others.
 */
final class ConnectionPool {
    /*
     * An interrupt must never close a connection mid-call: that could lose what the call took (an item, a
     * lock). Blocking socket channels close on an interrupt, so every connection is made non-blocking
     * (Channel.makeSendsInterruptSafe) as soon as it is authenticated, and a call on an idle connection then
     * does its I/O on the caller's thread, with no hand-off to another thread and back; the caller waits for
     * the reply through interrupts and keeps its interrupt flag. Opening a connection (connect and handshake,
     * which block) runs on the library's events executor instead, with the caller waiting uninterruptibly, and
     * so does the first call on the new connection. A connection that failed is closed, not returned; idle
     * connections live until this JVM exits, and the hub takes their closing for this process's exit (see
     * Peers), unless the hub's own process exited first (then {@link #close} closes them). The feeder keeps a
     * connection of its own (open), on which it does its I/O itself.
     */
    /** The socket buffers asked for each way: a 1 MiB item then crosses in one wake-up of each side. */
    static final int SOCKET_BUFFER = 4 << 20;

    private final String address;
    private final byte[] key;
    private final AtomicLong callIds = new AtomicLong();
    /** How much of an announced length a reply may have allocated before its bytes arrive (see FrameCodec). */
    private final int allocateAhead;
    /** Connections not in use. Accessed only while holding idle. */
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    /** Set once the hub's process has exited. Accessed only while holding idle. */
    private boolean closed;

    ConnectionPool(String address, byte[] key) {
        this.address = address;
        this.key = key;
        // A hub on a private socket is one of this process's family; a manager's TCP entrance is not trusted
        // to announce only what it sends.
        this.allocateAhead = address.startsWith("unix:") ? Integer.MAX_VALUE : 0;
    }

    /** A fresh id for a call's frame. */
    long nextId() {
        return callIds.incrementAndGet();
    }

    /**
     * Sends {@code request} (a {@code TASK} or {@code PARTS} frame) and returns the reply: on the caller's
     * thread over an idle connection, else on a library thread that opens a new one.
     *
     * @param what what the call does, for messages
     * @throws MultiprocessingException if the hub cannot be reached, refuses the key, or the connection breaks
     */
    Message exchange(Message request, String what) {
        Channel idleChannel = takeIdle();
        if (idleChannel != null) {
            return exchangeOn(idleChannel, request, what);
        }
        return awaitUninterruptibly(LibraryThreads.events().submit(() -> exchangeOn(connect(), request, what)));
    }

    /** Sends {@code request} on {@code channel}, one of this pool's connections, reads the reply and gives the connection back. */
    private Message exchangeOn(Channel channel, Message request, String what) {
        try {
            channel.send(request);
            Message reply = receive(channel);
            checkin(channel);
            return reply;
        } catch (IOException e) {
            channel.close();
            throw lost(what, e);
        } catch (RuntimeException | Error e) {
            channel.close(); // a frame may be half written or half read: the connection cannot be reused
            throw e;
        }
    }

    /**
     * A new connection that the caller keeps for itself (the feeder's, on which it pipelines its batches)
     * and closes when it breaks.
     */
    Channel open() {
        synchronized (idle) {
            requireOpen();
        }
        return connect();
    }

    /** Reads the next reply on {@code channel}, one of this pool's connections. */
    Message receive(Channel channel) throws IOException {
        return channel.receive(FrameCodec.MAX_LARGE_FRAME_LENGTH, allocateAhead);
    }

    /** The failure of a call ({@code what}) whose connection broke. */
    MultiprocessingException lost(String what, IOException e) {
        return new MultiprocessingException("lost the connection to the process that owns this shared object, at "
                + address + " (" + what + " failed): it has probably exited", e);
    }

    private static Message awaitUninterruptibly(Future<Message> reply) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return reply.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new MultiprocessingException("shared object call failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Closes this pool, for a hub whose process has exited (see {@link HubClient#releaseIfSettled}): its idle
     * connections now, one in use when it comes back, and a later call fails at once.
     */
    void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(Channel::close);
            idle.clear();
        }
    }

    /** An idle connection, or null when there is none. */
    private Channel takeIdle() {
        synchronized (idle) {
            requireOpen();
            return idle.poll();
        }
    }

    private Channel connect() {
        Channel channel = null;
        try {
            channel = Channel.connect(address);
            channel.enlargeBuffers(SOCKET_BUFFER);
            Handshake.answer(channel, key, 0, ProcessHandle.current().pid());
            channel.makeSendsInterruptSafe();
            return channel;
        } catch (Handshake.RefusedException e) {
            channel.close();
            throw new MultiprocessingException("the process at " + address + " refused the connection: the key is wrong"
                    + " (give the same authentication key as the manager's listen call)", e);
        } catch (IOException e) {
            if (channel != null) {
                channel.close();
            }
            throw new MultiprocessingException("cannot reach the process that owns this shared object at " + address
                    + " (" + e.getMessage() + "): it has exited, or something else answers there", e);
        }
    }

    private void checkin(Channel channel) {
        synchronized (idle) {
            if (closed) {
                channel.close();
            } else {
                idle.push(channel);
            }
        }
    }

    private void requireOpen() {
        assert Thread.holdsLock(idle);
        if (closed) {
            throw new MultiprocessingException("the process that owns this shared object, at " + address
                    + ", has exited");
        }
    }
}
