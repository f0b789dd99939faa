package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls objects hosted by one hub. Calls to this process's own hub run directly, without a socket (their
 * arguments are still encoded by the caller, so sharing behaves the same everywhere). Calls to another
 * process's hub take a connection from a small pool, so that a call that blocks (a {@code get} waiting for
 * an item) holds one connection and other threads go on with others.
 *
 * <h2>Asynchronous sends</h2>
 * A {@code put} on an unbounded queue or a pipe {@code send} to another process's hub does not wait for
 * an answer, as Python's feeder thread does not: {@link #send} adds the call to a pending list and a feeder
 * thread ({@code mp4j-feeder}) delivers pending calls in batches, in order, one round trip per batch. At
 * most {@link #MAX_PENDING_BYTES} of arguments wait at a time; a sender beyond that waits. Program order is
 * kept across objects: every synchronous call first {@linkplain #flushAll() flushes} all pending sends of
 * this process, and so do the end of each task and the exit of a child; a normal exit of any JVM waits up
 * to {@link #EXIT_FLUSH_MILLIS} for them. A batch that fails (the hub's process exited) makes the next call
 * on that hub throw.
 */
final class HubClient {
    private static final Map<String, HubClient> CLIENTS = new ConcurrentHashMap<>();
    /** Whether any client of this process ever sent asynchronously; until then there is nothing to flush. */
    private static volatile boolean anyFeeder;
    static final long MAX_PENDING_BYTES = 8L << 20;
    private static final int MAX_BATCH = 1024;
    /** How long a normal JVM exit waits for pending sends to be delivered. */
    private static final long EXIT_FLUSH_MILLIS = 5000;
    /** Object id that means "run these calls in order" at a hub. */
    static final long BATCH = -1;

    private final String address;
    private final byte[] key;
    /** Whether the hub is this process's own: calls then run directly. */
    private final boolean local;
    private final AtomicLong callIds = new AtomicLong();
    /** Connections not in use; guarded by itself. */
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    /* Asynchronous sends, guarded by pendingLock. */
    private final Object pendingLock = new Object();
    private final ArrayDeque<HubCall> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean sending;
    private RuntimeException sendFailure;
    private Thread feeder;

    private HubClient(String address, byte[] key) {
        this.address = address;
        this.key = key;
        HubServer localHub = HubServer.localIfStarted();
        this.local = localHub != null && localHub.address().equals(address);
    }

    /** The client for a hub; on the hot path, a map lookup by address and a key comparison. */
    static HubClient of(String address, byte[] key) {
        HubClient client = CLIENTS.get(address);
        if (client != null && java.util.Arrays.equals(client.key, key)) {
            return client;
        }
        String withKey = address + "#" + java.util.Base64.getEncoder().encodeToString(key);
        return CLIENTS.computeIfAbsent(client == null ? address : withKey, ignored -> new HubClient(address, key));
    }

    /** Runs a call and returns its answer, after every pending send of this process has been delivered. */
    Object call(long objectId, String method, Object... args) {
        flushAll();
        return callNow(objectId, method, args);
    }

    /**
     * Delivers a call whose answer is not needed: at once to this process's own hub, otherwise through the
     * feeder. Waits only while too much is pending.
     */
    void send(long objectId, String method, Object... args) {
        if (local) {
            call(objectId, method, args);
            return;
        }
        long bytes = 64;
        for (Object arg : args) {
            bytes += arg instanceof byte[] array ? array.length : 0;
        }
        HubCall call = new HubCall(objectId, method, Thread.currentThread().getId(), args);
        boolean interrupted = false;
        synchronized (pendingLock) {
            throwIfSendFailed();
            while (pendingBytes > MAX_PENDING_BYTES) {
                try {
                    pendingLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                throwIfSendFailed();
            }
            pending.addLast(call);
            pendingBytes += bytes;
            if (feeder == null) {
                startExitFlushOnce();
                anyFeeder = true;
                feeder = new Thread(this::feed, "mp4j-feeder");
                feeder.setDaemon(true);
                feeder.start();
            }
            pendingLock.notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized void startExitFlushOnce() {
        if (!anyFeeder) {
            Thread hook = new Thread(() -> {
                Thread flusher = new Thread(HubClient::flushAll, "mp4j-exit-flush");
                flusher.setDaemon(true);
                flusher.start();
                try {
                    flusher.join(EXIT_FLUSH_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mp4j-exit-flush-hook");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Waits until every pending send of every hub client in this process has been delivered. */
    static void flushAll() {
        if (!anyFeeder) {
            return;
        }
        for (HubClient client : CLIENTS.values()) {
            if (client.feeder != null) {
                client.flush();
            }
        }
    }

    private void flush() {
        boolean interrupted = false;
        synchronized (pendingLock) {
            while (!pending.isEmpty() || sending) {
                try {
                    pendingLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            throwIfSendFailed();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void throwIfSendFailed() {
        if (sendFailure != null) {
            RuntimeException failure = sendFailure;
            sendFailure = null;
            throw new MultiprocessingException("an earlier put or send to a shared object failed, so it was lost: "
                    + failure.getMessage(), failure);
        }
    }

    private void feed() {
        while (true) {
            java.util.List<HubCall> batch = new java.util.ArrayList<>();
            long batchBytes = 0;
            synchronized (pendingLock) {
                while (pending.isEmpty()) {
                    try {
                        pendingLock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                while (!pending.isEmpty() && batch.size() < MAX_BATCH && batchBytes < MAX_PENDING_BYTES / 2) {
                    HubCall call = pending.pollFirst();
                    batch.add(call);
                    for (Object arg : call.args()) {
                        batchBytes += 64 + (arg instanceof byte[] array ? array.length : 0);
                    }
                }
                sending = true;
            }
            RuntimeException failure = null;
            try {
                callNow(BATCH, "batch", batch);
            } catch (RuntimeException e) {
                failure = e;
            }
            synchronized (pendingLock) {
                sending = false;
                pendingBytes = Math.max(0, pendingBytes - batchBytes);
                if (failure != null && sendFailure == null) {
                    sendFailure = failure;
                }
                pendingLock.notifyAll();
            }
        }
    }

    private Object callNow(long objectId, String method, Object... args) {
        long threadId = Thread.currentThread().getId();
        if (local) {
            try {
                return HubServer.localIfStarted().invoke(
                        new HubObject.Caller(ProcessHandle.current().pid(), threadId), objectId, method, args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new MultiprocessingException("shared object call " + method + " failed: " + e, e);
            }
        }
        byte[] payload = Codec.encode(new HubCall(objectId, method, threadId, args), "arguments of " + method);
        Channel channel = checkout();
        Message reply;
        try {
            channel.send(new Message.Task(callIds.incrementAndGet(), payload));
            reply = channel.receive();
        } catch (IOException e) {
            channel.close();
            throw new MultiprocessingException("lost the connection to the process that owns this shared object, at "
                    + address + " (" + method + " failed): it has probably exited", e);
        }
        checkin(channel);
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
        throw new MultiprocessingException("shared object call " + method + " failed: " + failure, failure);
    }

    private Channel checkout() {
        synchronized (idle) {
            Channel channel = idle.poll();
            if (channel != null) {
                return channel;
            }
        }
        Channel channel;
        Message welcome;
        try {
            channel = Channel.connect(address);
            Handshake.answer(channel, key, 0, ProcessHandle.current().pid());
            welcome = channel.receive();
        } catch (IOException e) {
            throw new MultiprocessingException("cannot reach the process that owns this shared object at " + address
                    + " (" + e.getMessage() + "): it has exited", e);
        }
        if (!(welcome instanceof Message.Outcome outcome) || !outcome.success()) {
            channel.close();
            throw new MultiprocessingException("the process at " + address + " refused the connection: the key is wrong"
                    + " (give the same authentication key as the manager's listen call)");
        }
        return channel;
    }

    private void checkin(Channel channel) {
        synchronized (idle) {
            idle.push(channel);
        }
    }
}
