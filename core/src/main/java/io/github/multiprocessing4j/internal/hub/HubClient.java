package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Listener;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;

/**
 * Calls objects hosted by one hub. Calls to this process's own hub run directly, on the caller's thread,
 * without a socket (their items are still encoded by the caller, so sharing behaves the same everywhere).
 * Calls to another process's hub are encoded as one {@link HubFrame} (in its compact form, {@link HubWire},
 * when it moves items) and exchanged over a {@link ConnectionPool}; their asynchronous sends go through a
 * {@link SendFeeder}, whose thread does its own socket I/O.
 */
final class HubClient implements ExitFarewell.Departure {
    /*
     * Immutable after construction. Whether the hub is local is decided once, when the client is made: the
     * local hub, if started, is known by its address. The pool and the feeder exist only for a remote hub.
     * feederChannel is used only by the feeder thread.
     */
    private final String address;
    private final byte[] key;
    /** This process's hub when that is the one called, else null. */
    private final HubServer localHub;
    private final ConnectionPool pool;
    private final SendFeeder feeder;
    /**
     * The feeder's own connection, on which its batches are pipelined; null until its first batch or after
     * it broke. Written only by the feeder thread; volatile for {@link #releaseIfSettled}.
     */
    private volatile Channel feederChannel;

    private HubClient(String address, byte[] key, HubServer localHub) {
        this.address = address;
        this.key = key;
        this.localHub = localHub;
        this.pool = localHub == null ? new ConnectionPool(address, key) : null;
        this.feeder = localHub == null ? new SendFeeder(this::writeBatch) : null;
    }

    /** A client for the hub at {@code address}; one for another process's hub says goodbye at exit. */
    static HubClient open(String address, byte[] key) {
        HubServer started = HubServer.localIfStarted();
        boolean local = started != null && started.address().equals(address);
        if (!local) {
            ExitFarewell.addOnce(HubClients::remote);
        }
        return new HubClient(address, key, local ? started : null);
    }

    byte[] key() {
        return key;
    }

    boolean isLocal() {
        return localHub != null;
    }

    /** Runs {@code frame} and returns its answer, after every pending send of this process was delivered. */
    Object call(HubFrame frame) {
        HubClients.flushAll();
        return callNow(frame);
    }

    /**
     * Runs {@code frame} and returns its answer without first delivering this process's pending sends: for a
     * hub passing a call on to another ({@link PipeState}), whose own pending sends have nothing to do with it.
     */
    Object callWithoutFlush(HubFrame frame) {
        return callNow(frame);
    }

    /**
     * Delivers a call whose answer is not needed: at once to this process's own hub, otherwise through the
     * feeder. Waits only while too much is pending.
     */
    void send(HubFrame.Call call) {
        if (feeder == null) {
            call(call);
        } else {
            feeder.send(call);
        }
    }

    /**
     * Whether the process whose hub this client calls has exited, where that can be told: a hub on a
     * private socket of ours carries its JVM's pid in its address ({@link Listener#listenerExited}). Never
     * true for this process's own hub, or for a hub on TCP (a manager's).
     */
    boolean hubProcessExited() {
        return localHub == null && Listener.listenerExited(address);
    }

    /**
     * Lets go of a hub whose process has exited, unless a send to it is not yet settled (pending, in
     * flight, or failed and not yet reported: the next flush reports it, and a later call releases it):
     * closes the feeder, ending its thread, and the connections kept for the hub, which nothing will use
     * again. A send through this client after that fails at once. Closing a connection to a live hub would
     * tell it that this process exited, so only {@link #hubProcessExited()} hubs are released.
     *
     * @return whether it released the hub
     */
    boolean releaseIfSettled() {
        MultiprocessingException exited = new MultiprocessingException("the process that owns this shared"
                + " object, at " + address + ", has exited");
        if (feeder != null && !feeder.closeIfSettled(exited)) {
            return false;
        }
        Channel channel = feederChannel;
        if (channel != null) {
            channel.close();
        }
        if (pool != null) {
            pool.close();
        }
        return true;
    }

    /** Waits until the sends made so far to this hub were delivered or failed, leaving a failure to be reported. */
    void awaitDelivered() {
        if (feeder != null) {
            feeder.awaitDelivered();
        }
    }

    @Override
    public void flush() {
        if (feeder != null) {
            feeder.flush();
        }
    }

    @Override
    public void sayExiting() {
        callNow(new HubFrame.ExitNotice());
    }

    /**
     * Writes a feeder batch on the feeder's connection without waiting for its answer (see {@link SendFeeder});
     * the returned task reads that answer. Answers come back in the order the batches were written.
     */
    private Runnable writeBatch(HubFrame.Batch batch) {
        if (feederChannel == null || !feederChannel.isOpen()) {
            feederChannel = pool.open();
        }
        Channel channel = feederChannel;
        try {
            channel.send(HubWire.request(pool.nextId(), batch));
        } catch (IOException e) {
            channel.close();
            throw pool.lost(batch.describe(), e);
        }
        return () -> {
            Message reply;
            try {
                reply = pool.receive(channel);
            } catch (IOException e) {
                channel.close();
                throw pool.lost(batch.describe(), e);
            }
            answerOf(reply, batch);
        };
    }

    /**
     * Runs {@code frame} at the hub, doing the socket I/O on a library thread (see {@link ConnectionPool}).
     */
    private Object callNow(HubFrame frame) {
        if (localHub != null) {
            try {
                return frame.runAt(localHub, ProcessHandle.current().pid());
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new MultiprocessingException("shared object call " + frame.describe() + " failed: " + e, e);
            }
        }
        Message request = HubWire.carries(frame) ? HubWire.request(pool.nextId(), frame)
                : new Message.Task(pool.nextId(), Codec.encodeSized(frame, "arguments of " + frame.describe(), 1024 + frame.carriedBytes()));
        Message reply = pool.exchange(request, frame.describe());
        return answerOf(reply, frame);
    }

    /** The answer {@code reply} carries to {@code frame}; throws the failure it reports. */
    private Object answerOf(Message reply, HubFrame frame) {
        if (reply instanceof Message.Parts parts) {
            return HubWire.readAnswer(parts.parts());
        }
        if (!(reply instanceof Message.Outcome outcome)) {
            throw new MultiprocessingException("unexpected reply from the hub at " + address + ": " + reply);
        }
        if (outcome.success()) {
            return Codec.decode(outcome.payload());
        }
        Throwable failure = ThrowableTransport.decode(outcome.payload());
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new MultiprocessingException("shared object call " + frame.describe() + " failed: " + failure, failure);
    }
}
