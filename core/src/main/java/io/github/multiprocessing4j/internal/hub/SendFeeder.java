package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Asynchronous sends to one other process's hub: a {@code put} on an unbounded queue or a pipe
 * {@code send} does not wait for an answer, as Python's feeder thread does not. {@link #send} adds the call
 * to a pending list and a feeder thread ({@code mp4j-feeder}) delivers pending calls in batches, in order,
 * one round trip per batch. At most {@link #MAX_PENDING_BYTES} of items wait at a time; a sender beyond
 * that waits (back-pressure). A batch that fails (the hub's process exited) makes the next send or flush
 * on this hub throw.
 *
 * <p>Program order is kept across objects by the callers: every synchronous call first
 * {@linkplain HubClients#flushAll() flushes} all pending sends of this process, and so do the end of each
 * task and the exit of a child.
 */
final class SendFeeder {
    /*
     * Counters: enqueued counts sends handed to send(), delivered those whose batch came back (or failed).
     * A flush waits until delivered reaches the enqueued it saw on entry, so sends made meanwhile by other
     * threads do not hold it up. The feeder thread is started with the first send and lives as long as the
     * JVM (a daemon, parked while there is nothing to send).
     */
    static final long MAX_PENDING_BYTES = 8L << 20;
    private static final int MAX_BATCH = 1024;
    /** Whether any feeder of this process ever started; until then no flush has anything to wait for. */
    private static volatile boolean anyStarted;

    private final Consumer<HubFrame.Batch> deliver;
    private final Object pendingLock = new Object();
    /** Accessed only while holding pendingLock. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Accessed only while holding pendingLock. */
    private long pendingBytes;
    /** Accessed only while holding pendingLock. */
    private long enqueued;
    /** Accessed only while holding pendingLock. */
    private long delivered;
    /** The first failure not yet reported to a sender. Accessed only while holding pendingLock. */
    private RuntimeException sendFailure;
    /** Accessed only while holding pendingLock. */
    private Thread feeder;

    /** A call waiting for the feeder, with the bytes it counts against {@link #MAX_PENDING_BYTES}. */
    private record Pending(HubFrame.Call call, long bytes) {}

    /** @param deliver runs one batch at the hub, throwing if it failed; called on the feeder thread */
    SendFeeder(Consumer<HubFrame.Batch> deliver) {
        this.deliver = deliver;
    }

    static boolean anyStarted() {
        return anyStarted;
    }

    /**
     * Queues {@code call} for delivery; waits only while more than {@link #MAX_PENDING_BYTES} are pending.
     *
     * @throws MultiprocessingException if an earlier send to this hub failed
     */
    void send(HubFrame.Call call) {
        Pending next = new Pending(call, 64 + call.carriedBytes());
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
            pending.addLast(next);
            pendingBytes += next.bytes();
            enqueued++;
            if (feeder == null) {
                anyStarted = true;
                feeder = LibraryThreads.start(this::feed, "mp4j-feeder");
            }
            pendingLock.notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the sends enqueued before this call; later ones (another thread still sending) do not
     * count. Keeps waiting through interrupts and restores the flag.
     *
     * @throws MultiprocessingException if one of them, or an earlier one, failed
     */
    void flush() {
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
        assert Thread.holdsLock(pendingLock);
        if (sendFailure != null) {
            RuntimeException failure = sendFailure;
            sendFailure = null;
            throw new MultiprocessingException("an earlier put or send to a shared object failed, so it was lost: "
                    + failure.getMessage(), failure);
        }
    }

    private void feed() {
        while (true) {
            List<HubFrame.Call> batch = new ArrayList<>();
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
                deliver.accept(new HubFrame.Batch(batch));
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
}
