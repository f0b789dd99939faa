package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The hosted side of {@code Pipe}: two ends, each with the messages sent to it, and the processes using it.
 *
 * <p>An end counts as closed once some process used it and no process uses it any more: each process that
 * sends or receives on an end (or receives the end as an argument) is registered as a user; it stops being
 * one when it closes its end or exits. A receive on the other end then drains what was sent and reports
 * end of file instead of waiting forever. Unlike Python, the creator need not close its own copy of an end
 * it handed to a child: copies never used do not keep an end open.
 */
public final class PipeState implements HubObject {
    private final Scheduler clock;
    /** Messages waiting for end 0 and end 1. Accessed only while holding this object's monitor. */
    private final List<ArrayDeque<Item>> inbox = List.of(new ArrayDeque<>(), new ArrayDeque<>());
    /** Processes using end 0 and end 1. Accessed only while holding this object's monitor. */
    private final List<Set<Long>> users = List.of(new HashSet<>(), new HashSet<>());
    /** Whether any process ever used end 0 and end 1. Accessed only while holding this object's monitor. */
    private final boolean[] used = new boolean[2];

    public PipeState(Scheduler clock) {
        this.clock = clock;
    }

    /** {@code caller}'s process now uses {@code end}. */
    public synchronized void attach(Caller caller, int end) {
        use(end, caller.pid());
    }

    /** @throws IllegalStateException if the other end is closed: nobody could receive */
    public synchronized void send(Caller caller, int end, Item message) {
        use(end, caller.pid());
        if (closed(peer(end))) {
            throw new IllegalStateException("the other end of this pipe is closed: nobody can receive");
        }
        inbox.get(peer(end)).addLast(Objects.requireNonNull(message, "message"));
        notifyAll();
    }

    /** Receives at {@code end}, waiting at most {@code timeoutNanos}. */
    public synchronized PipeReceipt receive(Caller caller, int end, long timeoutNanos) {
        use(end, caller.pid());
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (inbox.get(end).isEmpty()) {
            if (closed(peer(end))) {
                return new PipeReceipt.EndOfFile();
            }
            if (!deadline.await(this, caller)) {
                return new PipeReceipt.TimedOut();
            }
        }
        return caller.isAlive() ? new PipeReceipt.Delivered(inbox.get(end).pollFirst()) : new PipeReceipt.TimedOut();
    }

    /** Whether a receive at {@code end} would answer at once, waiting at most {@code timeoutNanos} for that. */
    public synchronized boolean poll(Caller caller, int end, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (inbox.get(end).isEmpty() && !closed(peer(end))) {
            if (!deadline.await(this, caller)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code caller}'s process stops using {@code end}. A process that never used the end and handed a copy
     * of it to another process ({@code handedOver}) only gives up its own copy: the end stays open for the
     * process that received it, even if that process has not attached yet (Python's
     * {@code child_conn.close()} right after {@code start()}). Otherwise the end counts as used, so that it
     * is closed once nobody uses it.
     */
    public synchronized void close(Caller caller, int end, boolean handedOver) {
        boolean wasUser = users.get(end).remove(caller.pid());
        if (wasUser || !handedOver) {
            used[end] = true;
        }
        notifyAll();
    }

    private static int peer(int end) {
        if (end != 0 && end != 1) {
            throw new IllegalArgumentException("a pipe end is 0 or 1 but was " + end);
        }
        return 1 - end;
    }

    private void use(int end, long pid) {
        assert Thread.holdsLock(this);
        users.get(end).add(pid);
        used[end] = true;
    }

    private boolean closed(int end) {
        assert Thread.holdsLock(this);
        return used[end] && users.get(end).isEmpty();
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        boolean changed = users.get(0).remove(pid) | users.get(1).remove(pid);
        if (changed) {
            notifyAll();
        }
    }
}
