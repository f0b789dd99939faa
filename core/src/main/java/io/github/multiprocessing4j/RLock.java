package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.LockState;
import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * A reentrant {@link Lock} shared between processes: Python's {@code RLock}. The owning thread may lock it
 * again; it is free once unlocked as many times. Conditions are made on it with {@link #newCondition()}.
 *
 * <h2>Comparison with Python</h2>
 * An {@code RLock} is a {@link java.util.concurrent.locks.Lock}, so Python's {@code acquire()} and
 * {@code release()} are {@code lock()} and {@code unlock()}, {@code acquire(timeout=t)} is
 * {@code tryLock(Duration)}, and {@code with rlock:} is {@code lock(); try { ... } finally { unlock(); }}.
 * Releasing a lock this thread does not hold throws {@link IllegalMonitorStateException} (Python:
 * {@code RuntimeError}). Unlike Python's, a lock whose owner died is freed.
 */
public final class RLock extends Lock {
    /** The hosted state, present only in the process that created the lock. */
    final transient LockState state;

    /** A new reentrant lock, hosted by this process. */
    public RLock() {
        this(new LockState(true, Scheduler.system()));
    }

    private RLock(LockState state) {
        super(state);
        this.state = state;
    }

    /** A condition bound to this lock; it must be created in the process that created the lock. */
    @Override
    public Condition newCondition() {
        return new Condition(this);
    }
}
