package io.github.multiprocessing4j.internal.hub;

/**
 * The hosted side of {@code Lock} and {@code RLock}: who owns the lock (a thread of some process) and how
 * often it entered.
 *
 * <p>Robust where Python's is not: when the owner's process dies, the lock is released (at once when its
 * connection closes, or at the latest when a waiter's next wait slice notices), and the next acquirer is
 * told ({@link #ACQUIRED_FROM_DEAD_OWNER}). {@code ConditionState} waits on this object's monitor, which
 * guards all state here.
 */
public final class LockState implements HubObject {
    static final int TIMED_OUT = 0;
    static final int ACQUIRED = 1;
    static final int ACQUIRED_FROM_DEAD_OWNER = 2;

    private final boolean reentrant;
    private Caller owner;
    private int holds;
    private boolean ownerDied;

    public LockState(boolean reentrant) {
        this.reentrant = reentrant;
    }

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "acquire":
                return acquire(caller, new Deadline((Long) args[0]));
            case "release":
                release(caller);
                return null;
            case "locked":
                return owner != null;
            case "heldByCaller":
                return caller.equals(owner);
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }

    /** Holding the monitor. */
    int acquire(Caller caller, Deadline deadline) throws InterruptedException {
        if (reentrant && caller.equals(owner)) {
            holds++;
            return ACQUIRED;
        }
        while (owner != null) {
            if (!owner.isAlive()) {
                abandon();
                break;
            }
            if (!deadline.await(this, caller)) {
                return TIMED_OUT;
            }
        }
        owner = caller;
        holds = 1;
        int result = ownerDied ? ACQUIRED_FROM_DEAD_OWNER : ACQUIRED;
        ownerDied = false;
        return result;
    }

    /** Holding the monitor. */
    void release(Caller caller) {
        if (!caller.equals(owner)) {
            throw new IllegalMonitorStateException("this thread does not hold the lock");
        }
        if (--holds == 0) {
            owner = null;
            notifyAll();
        }
    }

    /** Holding the monitor: gives the lock up entirely, returning how many times it was entered. */
    int releaseAll(Caller caller) {
        if (!caller.equals(owner)) {
            throw new IllegalMonitorStateException("this thread does not hold the lock");
        }
        int entered = holds;
        holds = 1;
        release(caller);
        return entered;
    }

    /**
     * Holding the monitor: takes the lock back after a condition wait, as often as it was entered. It keeps
     * trying through interrupts (restoring the flag), since the caller must hold the lock on return; for a
     * caller that died there is nothing to give back.
     */
    void reacquire(Caller caller, int entered) throws InterruptedException {
        boolean interrupted = false;
        while (acquire(caller, new Deadline(-1)) == TIMED_OUT) {
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
