package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.util.ArrayDeque;

/**
 * The hosted side of {@code Condition}: waiters queue up in arrival order; {@code signal(n)} wakes the first
 * n. All state is guarded by the monitor of the condition's {@link LockState}, so releasing the lock and
 * starting to wait happen atomically, as with {@code Object.wait}.
 */
public final class ConditionState implements HubObject {
    /*
     * Each waiter is a one-element flag array, queued in arrival order; signal sets the flags of the first
     * n and dequeues them, then wakes every thread waiting on the lock's monitor (lock waiters included),
     * each of which re-checks its own flag or the lock. A waiter whose wait ends unsignalled removes its
     * own flag. Either way it retakes the lock, as often as it had entered it, before it answers.
     */
    private final LockState lock;
    private final Scheduler clock;
    /** Waiters not yet signalled. Accessed only while holding {@code lock}'s monitor. */
    private final ArrayDeque<boolean[]> waiters = new ArrayDeque<>();

    public ConditionState(LockState lock, Scheduler clock) {
        this.lock = lock;
        this.clock = clock;
    }

    /**
     * Releases the lock (which {@code caller} must hold), waits at most {@code timeoutNanos} to be
     * signalled, and takes the lock back; returns whether it was signalled.
     *
     * @throws IllegalMonitorStateException if {@code caller} does not hold the lock
     */
    public boolean await(Caller caller, long timeoutNanos) {
        synchronized (lock) {
            boolean[] signalled = {false};
            int entered = lock.releaseAll(caller);
            waiters.addLast(signalled);
            Deadline deadline = new Deadline(timeoutNanos, clock);
            while (!signalled[0]) {
                if (!deadline.await(lock, caller)) {
                    waiters.remove(signalled);
                    break;
                }
            }
            lock.reacquire(caller, entered);
            return signalled[0];
        }
    }

    /** Wakes the {@code n} longest waiters; {@code caller} must hold the lock. */
    public void signal(Caller caller, int n) {
        synchronized (lock) {
            requireOwner(caller);
            for (int left = n; left > 0 && !waiters.isEmpty(); left--) {
                waiters.pollFirst()[0] = true;
            }
            lock.notifyAll();
        }
    }

    /** Wakes every waiter; {@code caller} must hold the lock. */
    public void signalAll(Caller caller) {
        synchronized (lock) {
            requireOwner(caller);
            waiters.forEach(flag -> flag[0] = true);
            waiters.clear();
            lock.notifyAll();
        }
    }

    private void requireOwner(Caller caller) {
        if (!lock.isHeldBy(caller)) {
            throw new IllegalMonitorStateException("signal needs the condition's lock to be held by this thread");
        }
    }
}
