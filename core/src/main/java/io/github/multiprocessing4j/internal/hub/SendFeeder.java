package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous sends to one other process's hub: a {@code put} on an unbounded queue or a pipe
 * {@code send} does not wait for an answer, as Python's feeder thread does not. {@link #send} adds the call
 * to a pending list and a feeder thread ({@code mp4j-feeder}) delivers pending calls in batches, in order.
 * The feeder does not wait for a batch's answer before writing the next: up to {@link #WINDOW} batches are
 * in flight on its connection, so the socket stays busy while the hub runs the batch before. At most
 * {@link #MAX_PENDING_BYTES} of items wait or travel at a time; a sender beyond that waits (back-pressure).
 * A batch that fails (the hub's process exited) makes the next send or flush on this hub throw.
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
     * JVM (a daemon, parked while there is nothing to send). It writes while there is something pending and
     * fewer than WINDOW batches in flight, and otherwise collects the oldest answer.
     */
    static final long MAX_PENDING_BYTES = 8L << 20;
    /** The most batches written and not yet answered. */
    static final int WINDOW = 4;
    private static final int MAX_BATCH = 1024;
    /** The most item bytes in one batch, so that {@link #WINDOW} batches fit the pending limit. */
    private static final long MAX_BATCH_BYTES = MAX_PENDING_BYTES / WINDOW;
    /** Whether any feeder of this process ever started; until then no flush has anything to wait for. */
    private static volatile boolean anyStarted;

    private final Link link;
    private final Object pendingLock = new Object();
    /** Accessed only while holding pendingLock. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Accessed only while holding pendingLock. */
    private long pendingBytes;
    /** Accessed only while holding pendingLock. */
    private long enqueued;
    /** Sends written to the connection (or failed), so their items' arrays are no longer needed. Accessed only while holding pendingLock. */
    private long written;
    /** Accessed only while holding pendingLock. */
    private long delivered;
    /** The first failure not yet reported to a sender. Accessed only while holding pendingLock. */
    private RuntimeException sendFailure;
    /** Accessed only while holding pendingLock. */
    private Thread feeder;
    /** Why this feeder was closed, once it was ({@link #close}); null while open. Accessed only while holding pendingLock. */
    private RuntimeException closedBecause;

    /** A call waiting for the feeder, with the bytes it counts against {@link #MAX_PENDING_BYTES}. */
    private record Pending(HubFrame.Call call, long bytes) {}

    /** A batch written and not yet answered: how many calls and bytes it settles, and how to await its answer. */
    private record InFlight(int calls, long bytes, Runnable answer) {}

    /** Where batches go; used only by the feeder thread. */
    interface Link {
        /**
         * Writes {@code batch} to the hub and returns what waits for its answer, which throws if the batch
         * failed. Throws if the batch could not be written.
         */
        Runnable write(HubFrame.Batch batch);
    }

    /** @param link delivers batches to the hub; called on the feeder thread */
    SendFeeder(Link link) {
        this.link = link;
    }

    static boolean anyStarted() {
        return anyStarted;
    }

    /**
     * Queues {@code call} for delivery; waits only while more than {@link #MAX_PENDING_BYTES} are pending,
     * and, when the call borrows the caller's array ({@link Request#borrowsCallerArray()}), until it has been
     * written to the connection, so the caller may then change the array.
     *
     * @throws MultiprocessingException if an earlier send to this hub failed
     */
    void send(HubFrame.Call call) {
        Pending next = new Pending(call, 64 + call.carriedBytes());
        boolean interrupted = false;
        synchronized (pendingLock) {
            throwIfSendFailed();
            throwIfClosed();
            while (pendingBytes > MAX_PENDING_BYTES) {
                try {
                    pendingLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                throwIfSendFailed();
                throwIfClosed();
            }
            pending.addLast(next);
            pendingBytes += next.bytes();
            enqueued++;
            if (feeder == null) {
                anyStarted = true;
                feeder = LibraryThreads.start(this::feed, "mp4j-feeder");
            }
            pendingLock.notifyAll();
            long mine = enqueued;
            // Closed: the hub's process has exited, so what is still being written of the array goes nowhere.
            while (call.request().borrowsCallerArray() && written < mine && closedBecause == null) {
                try {
                    pendingLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (closedBecause != null) {
                throwIfSendFailed(); // closed while this send waited: it may have been dropped
            }
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
        awaitDelivered();
        synchronized (pendingLock) {
            throwIfSendFailed();
        }
    }

    /**
     * As {@link #flush}, but leaves a failure for the next send or flush to report: for a thread that is not
     * the sender's ({@link PipeRoutes}).
     */
    void awaitDelivered() {
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
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes this feeder for good, for one used only once ({@link SendWarmUp}) or one whose hub's process
     * has exited ({@link HubClient#releaseIfSettled}). Sends still pending are dropped: they count as delivered, and
     * {@code cause} is the failure the next send or flush reports. Batches in flight end as their connection
     * does; the thread ends once none is left. A later send throws {@code cause} at once.
     */
    void close(RuntimeException cause) {
        synchronized (pendingLock) {
            if (closedBecause != null) {
                return;
            }
            closedBecause = cause;
            if (!pending.isEmpty()) {
                long bytes = 0;
                for (Pending dropped : pending) {
                    bytes += dropped.bytes();
                }
                written += pending.size();
                delivered += pending.size();
                pendingBytes -= bytes;
                pending.clear();
                if (sendFailure == null) {
                    sendFailure = cause;
                }
            }
            pendingLock.notifyAll();
        }
    }

    /**
     * As {@link #close}, in one step with the check that closing loses nothing: only when every send was
     * delivered and no failure waits to be reported (a send made after that is refused with {@code cause}).
     *
     * @return whether it closed this feeder
     */
    boolean closeIfSettled(RuntimeException cause) {
        synchronized (pendingLock) {
            if (closedBecause != null || delivered != enqueued || sendFailure != null) {
                return false;
            }
            closedBecause = cause;
            pendingLock.notifyAll();
            return true;
        }
    }

    private void throwIfClosed() {
        assert Thread.holdsLock(pendingLock);
        if (closedBecause != null) {
            throw new MultiprocessingException(closedBecause.getMessage(), closedBecause);
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
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        while (true) {
            List<HubFrame.Call> batch = null;
            long batchBytes = 0;
            synchronized (pendingLock) {
                while (pending.isEmpty() && inFlight.isEmpty()) {
                    if (closedBecause != null) {
                        return;
                    }
                    try {
                        pendingLock.wait();
                    } catch (InterruptedException e) {
                        // A library thread: nobody should interrupt it, and pending sends must not be stranded.
                    }
                }
                if (closedBecause == null && !pending.isEmpty() && inFlight.size() < WINDOW) {
                    batch = new ArrayList<>();
                    while (!pending.isEmpty() && batch.size() < MAX_BATCH && batchBytes < MAX_BATCH_BYTES) {
                        Pending next = pending.pollFirst();
                        batch.add(next.call());
                        batchBytes += next.bytes();
                    }
                }
            }
            if (batch != null) {
                Throwable failure = null;
                try {
                    inFlight.addLast(new InFlight(batch.size(), batchBytes, link.write(new HubFrame.Batch(batch))));
                } catch (Throwable e) {
                    failure = e;
                }
                synchronized (pendingLock) {
                    written += batch.size();
                    pendingLock.notifyAll();
                }
                if (failure != null) {
                    settle(batch.size(), batchBytes, failure);
                }
            } else {
                InFlight oldest = inFlight.pollFirst();
                try {
                    oldest.answer().run();
                    settle(oldest.calls(), oldest.bytes(), null);
                } catch (Throwable e) {
                    settle(oldest.calls(), oldest.bytes(), e);
                }
            }
        }
    }

    /** Counts {@code calls} as delivered, frees their bytes, and keeps {@code failure} (or null) for a sender. */
    private void settle(int calls, long bytes, Throwable failure) {
        synchronized (pendingLock) {
            delivered += calls;
            pendingBytes -= bytes;
            if (failure != null && sendFailure == null) {
                sendFailure = failure instanceof RuntimeException runtime ? runtime
                        : new MultiprocessingException("delivering puts and sends failed: " + failure, failure);
            }
            pendingLock.notifyAll();
        }
    }
}
