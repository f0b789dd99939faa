package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * The hosted side of {@code Lock} and {@code RLock}: who owns the lock (a thread of some process) and how
 * often it entered.
 *
 * <p>Robust where Python's is not: when the owner's process dies, the lock is released (at once when the
 * hub learns of the exit, or at the latest when a waiter's next wait slice notices), and the next acquirer
 * is told ({@link AcquireOutcome#ACQUIRED_FROM_DEAD_HOLDER}).
 */
public final class LockState implements HubObject {
    /*
     * States: free (owner null), held (owner set, holds >= 1). A waiter that finds the owner dead, or an
     * exit notice for the owner's process, abandons the lock: free, with ownerDied set until the next
     * acquire reports it. ConditionState waits on this object's monitor too, so that releasing the lock and
     * starting to wait are one step.
     */
    private final boolean reentrant;
    private final Scheduler clock;
    /** Accessed only while holding this object's monitor. */
    private Caller owner;
    /** Accessed only while holding this object's monitor. */
    private int holds;
    /** Accessed only while holding this object's monitor. */
    private boolean ownerDied;

    public LockState(boolean reentrant, Scheduler clock) {
        this.reentrant = reentrant;
        this.clock = clock;
    }

    /** Takes the lock for {@code caller}, waiting at most {@code timeoutNanos} (negative: forever). */
    public synchronized AcquireOutcome acquire(Caller caller, long timeoutNanos) {
        return acquire(caller, new Deadline(timeoutNanos, clock));
    }

    private AcquireOutcome acquire(Caller caller, Deadline deadline) {
        assert Thread.holdsLock(this);
        if (reentrant && caller.sameThreadAs(owner)) {
            holds++;
            return AcquireOutcome.ACQUIRED;
        }
        while (owner != null) {
            if (!owner.isAlive()) {
                abandon();
                break;
            }
            if (!deadline.await(this, caller)) {
                return AcquireOutcome.TIMED_OUT;
            }
        }
        owner = caller;
        holds = 1;
        AcquireOutcome outcome = ownerDied ? AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER : AcquireOutcome.ACQUIRED;
        ownerDied = false;
        return outcome;
    }

    /**
     * Leaves the lock once; it is free when left as often as entered.
     *
     * @throws IllegalMonitorStateException if {@code caller} does not hold it
     */
    public synchronized void release(Caller caller) {
        if (!caller.sameThreadAs(owner)) {
            throw new IllegalMonitorStateException("this thread does not hold the lock");
        }
        if (--holds == 0) {
            owner = null;
            notifyAll();
        }
    }

    public synchronized boolean isLocked() {
        return owner != null;
    }

    synchronized boolean isHeldBy(Caller caller) {
        return caller.sameThreadAs(owner);
    }

    /** Gives the lock up entirely, returning how many times it was entered. */
    int releaseAll(Caller caller) {
        assert Thread.holdsLock(this);
        if (!caller.sameThreadAs(owner)) {
            throw new IllegalMonitorStateException("this thread does not hold the lock");
        }
        int entered = holds;
        holds = 1;
        release(caller);
        return entered;
    }

    /**
     * Takes the lock back after a condition wait, as often as it was entered. It keeps trying through
     * interrupts (restoring the flag), since the caller must hold the lock on return; for a caller that died
     * there is nothing to give back.
     */
    void reacquire(Caller caller, int entered) {
        assert Thread.holdsLock(this);
        boolean interrupted = false;
        while (acquire(caller, new Deadline(-1, clock)) == AcquireOutcome.TIMED_OUT) {
            if (!caller.isAlive()) {
                return;
            }
            interrupted |= Thread.interrupted();
        }
        holds = entered;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void abandon() {
        assert Thread.holdsLock(this);
        owner = null;
        holds = 0;
        ownerDied = true;
        notifyAll();
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        if (owner != null && owner.pid() == pid) {
            abandon();
        }
    }
}
