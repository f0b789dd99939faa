package io.github.multiprocessing4j.internal.hub;

import java.util.ArrayDeque;

/**
 * The hosted side of {@code Condition}: waiters queue up in arrival order; {@code notify(n)} wakes the first
 * n. All state is guarded by the monitor of the condition's {@link LockState}, so releasing the lock and
 * starting to wait happen atomically, as with {@code Object.wait}.
 */
public final class ConditionState implements HubObject {
    private final LockState lock;
    /** Waiters not yet notified; each is a one-element flag array set to true on notify. */
    private final ArrayDeque<boolean[]> waiters = new ArrayDeque<>();

    public ConditionState(LockState lock) {
        this.lock = lock;
    }

    @Override
    public Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        synchronized (lock) {
            switch (method) {
                case "wait": {
                    boolean[] notified = {false};
                    int entered = lock.releaseAll(caller);
                    waiters.addLast(notified);
                    Deadline deadline = new Deadline((Long) args[0]);
                    while (!notified[0]) {
                        if (!deadline.await(lock, caller)) {
                            waiters.remove(notified);
                            break;
                        }
                    }
                    lock.reacquire(caller, entered);
                    return notified[0];
                }
                case "notify": {
                    requireOwner(caller);
                    for (int n = (Integer) args[0]; n > 0 && !waiters.isEmpty(); n--) {
                        waiters.pollFirst()[0] = true;
                    }
                    lock.notifyAll();
                    return null;
                }
                case "notifyAll": {
                    requireOwner(caller);
                    waiters.forEach(flag -> flag[0] = true);
                    waiters.clear();
                    lock.notifyAll();
                    return null;
                }
                default:
                    throw HubObject.noSuchMethod(this, method);
            }
        }
    }

    private void requireOwner(Caller caller) throws InterruptedException {
        if (!(Boolean) lock.call(caller, "heldByCaller", new Object[0])) {
            throw new IllegalMonitorStateException("notify needs the condition's lock to be held by this thread");
        }
    }
}
