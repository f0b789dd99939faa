package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;

/** The hosted side of {@code Event}: one flag, and waiters for it to be set. */
public final class EventState implements HubObject {
    private final Scheduler clock;
    /** Accessed only while holding this object's monitor. */
    private boolean set;

    public EventState(Scheduler clock) {
        this.clock = clock;
    }

    /** Sets the flag and wakes every waiter. */
    public synchronized void set() {
        set = true;
        notifyAll();
    }

    public synchronized void clear() {
        set = false;
    }

    public synchronized boolean isSet() {
        return set;
    }

    /** Waits at most {@code timeoutNanos} for the flag; returns whether it is set. */
    public synchronized boolean waitFor(Caller caller, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (!set) {
            if (!deadline.await(this, caller)) {
                return false;
            }
        }
        return true;
    }
}
