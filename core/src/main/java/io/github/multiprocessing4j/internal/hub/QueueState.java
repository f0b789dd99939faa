package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.util.ArrayDeque;

/**
 * The hosted side of {@code Queue}, {@code SimpleQueue} and {@code JoinableQueue}: a FIFO of encoded items,
 * optionally bounded. Items stay encoded here, so the hosting process never needs the items' classes. A
 * {@code get} hands an item only to a caller that is still alive, so a waiter killed mid-wait takes
 * nothing with it.
 */
public final class QueueState implements HubObject {
    private final int capacity;
    private final Scheduler clock;
    /** Accessed only while holding this object's monitor. */
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    /** Items put and not yet marked done, for {@code JoinableQueue}. Accessed only while holding this object's monitor. */
    private long unfinished;

    /** @param capacity the most items it holds, or 0 for no limit */
    public QueueState(int capacity, Scheduler clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Adds {@code item}, waiting at most {@code timeoutNanos} for room; returns whether it was added. */
    public synchronized boolean put(Caller caller, Item item, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (isFull()) {
            if (!deadline.await(this, caller)) {
                return false;
            }
        }
        items.addLast(item);
        unfinished++;
        notifyAll();
        return true;
    }

    /** Takes the oldest item, waiting at most {@code timeoutNanos}; null if none came or the caller died. */
    public synchronized Item get(Caller caller, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (items.isEmpty()) {
            if (!deadline.await(this, caller)) {
                return null;
            }
        }
        if (!caller.isAlive()) {
            return null;
        }
        notifyAll();
        return items.pollFirst();
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized boolean isFull() {
        return capacity > 0 && items.size() >= capacity;
    }

    /** @throws IllegalStateException if called more often than items were put */
    public synchronized void taskDone() {
        if (unfinished == 0) {
            throw new IllegalStateException("taskDone() called more times than there were items put");
        }
        unfinished--;
        notifyAll();
    }

    /** Waits at most {@code timeoutNanos} until every item put was marked done; returns whether it was. */
    public synchronized boolean join(Caller caller, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (unfinished > 0) {
            if (!deadline.await(this, caller)) {
                return false;
            }
        }
        return true;
    }
}
