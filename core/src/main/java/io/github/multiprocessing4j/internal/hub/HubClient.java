package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    /**
     * Where socket I/O with other hubs happens: never on a caller's thread, since an interrupt there would
     * close the connection mid-call (socket channels are interruptible).
     */
    private static final ExecutorService IO = Executors.newCachedThreadPool(LibraryThreads.factory("mp4j-hub-io"));
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
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingBytes;
    /** Sends handed to {@link #send} and sends delivered (or failed), counted from the start. */
    private long enqueued;
    private long delivered;
    private RuntimeException sendFailure;
    private Thread feeder;

    /** A call waiting for the feeder, with the bytes it counts against {@link #MAX_PENDING_BYTES}. */
    private record Pending(HubCall call, long bytes) {}

    private HubClient(String address, byte[] key) {
        this.address = address;
        this.key = key;
        HubServer localHub = HubServer.localIfStarted();
        this.local = localHub != null && localHub.address().equals(address);
        if (!local) {
            startExitHookOnce();
        }
    }

    /** The client for a hub; on the hot path, a map lookup by address and a key comparison. */
    static HubClient of(String address, byte[] key) {
        HubClient client = CLIENTS.get(address);
        if (client != null && java.util.Arrays.equals(client.key, key)) {
            return client;
        }
        if (client == null) {
            client = CLIENTS.computeIfAbsent(address, ignored -> new HubClient(address, key));
            if (java.util.Arrays.equals(client.key, key)) {
                return client;
            }
        }
        String withKey = address + "#" + java.util.Base64.getEncoder().encodeToString(key);
        return CLIENTS.computeIfAbsent(withKey, ignored -> new HubClient(address, key));
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
        Pending call = new Pending(new HubCall(objectId, method, Thread.currentThread().getId(), args), bytes);
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
            enqueued++;
            if (feeder == null) {
                anyFeeder = true;
                feeder = LibraryThreads.start(this::feed, "mp4j-feeder");
            }
            pendingLock.notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean exitHookAdded;
    /** Set when this JVM ends because its work failed: the hubs it used then treat it as dead. */
    private static volatile boolean exitingAfterFailure;

    /** This JVM is about to exit because its target threw: no normal-exit notice will be sent. */
    static void exitingAfterFailure() {
        exitingAfterFailure = true;
    }

    /**
     * At a normal exit (a shutdown hook; a killed or halted JVM runs none), delivers pending sends and tells
     * every other hub this JVM used that it exits normally, so their semaphores do not take its used
     * permits for those of a dead process. Bounded by {@link #EXIT_FLUSH_MILLIS}.
     */
    private static synchronized void startExitHookOnce() {
        if (exitHookAdded) {
            return;
        }
        exitHookAdded = true;
        ExitSequence.add(ExitSequence.Step.DELIVER_SENDS, () -> {
            Thread farewell = LibraryThreads.start(() -> {
                try {
                    flushAll();
                } catch (RuntimeException e) {
                    // Lost sends were reported to their senders where possible; the farewells must still go.
                }
                if (exitingAfterFailure) {
                    return;
                }
                for (HubClient client : CLIENTS.values()) {
                    if (!client.local) {
                        try {
                            client.callNow(HubServer.EXITING, "exiting");
                        } catch (RuntimeException e) {
                            // That hub is gone already: nobody to tell.
                        }
                    }
                }
            }, "mp4j-exit-farewell");
            try {
                farewell.join(EXIT_FLUSH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Waits until every send made so far by this process, to any hub, has been delivered. */
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

    /** Waits for the sends enqueued before this call; later ones (another thread still sending) do not count. */
    private void flush() {
        boolean interrupted = false;
        synchronized (pendingLock) {
            long target = enqueued;
            while (delivered < target) {
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
            List<HubCall> batch = new ArrayList<>();
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
                    Pending next = pending.pollFirst();
                    batch.add(next.call());
                    batchBytes += next.bytes();
                }
            }
            RuntimeException failure = null;
            try {
                callNow(BATCH, "batch", batch);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Throwable e) {
                failure = new MultiprocessingException("delivering puts and sends failed: " + e, e);
            } finally {
                synchronized (pendingLock) {
                    delivered += batch.size();
                    pendingBytes -= batchBytes;
                    if (failure != null && sendFailure == null) {
                        sendFailure = failure;
                    }
                    pendingLock.notifyAll();
                }
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
        return callRemote(objectId, method, threadId, args);
    }

    private Object callRemote(long objectId, String method, long threadId, Object[] args) {
        byte[] payload = Codec.encodeSized(new HubCall(objectId, method, threadId, args), "arguments of " + method,
                1024 + arrayBytes(args));
        Message reply = awaitUninterruptibly(IO.submit(() -> exchange(payload, method)));
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

    /** The bytes of the byte arrays among {@code args}, including those of a feeder batch's calls. */
    private static long arrayBytes(Object[] args) {
        long bytes = 0;
        for (Object arg : args) {
            if (arg instanceof byte[] array) {
                bytes += array.length;
            } else if (arg instanceof List<?> batch) {
                for (Object call : batch) {
                    if (call instanceof HubCall hubCall) {
                        bytes += 64 + arrayBytes(hubCall.args());
                    }
                }
            }
        }
        return bytes;
    }

    /** One request and its reply on a pooled connection; runs on an {@link #IO} thread. */
    private Message exchange(byte[] payload, String method) {
        Channel channel = checkout();
        try {
            channel.send(new Message.Task(callIds.incrementAndGet(), payload));
            Message reply = channel.receive();
            checkin(channel);
            return reply;
        } catch (IOException e) {
            channel.close();
            throw new MultiprocessingException("lost the connection to the process that owns this shared object, at "
                    + address + " (" + method + " failed): it has probably exited", e);
        }
    }

    /**
     * Waits for a reply without giving up on interrupt: the call is already on its way, and abandoning it
     * could lose what it took (an item, a lock). The interrupt flag is restored for the caller.
     */
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

    private Channel checkout() {
        synchronized (idle) {
            Channel channel = idle.poll();
            if (channel != null) {
                return channel;
            }
        }
        Channel channel = null;
        try {
            channel = Channel.connect(address);
            Handshake.answer(channel, key, 0, ProcessHandle.current().pid());
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
            idle.push(channel);
        }
    }
}
