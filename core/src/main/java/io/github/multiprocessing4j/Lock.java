package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Acquirer;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.LockRequest;
import io.github.multiprocessing4j.internal.hub.LockState;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lock shared between processes: Python's {@code multiprocessing.Lock}, as a
 * {@link java.util.concurrent.locks.Lock}. Owned by one thread of one process at a time; not reentrant
 * (see {@link RLock}).
 *
 * <pre>{@code
 * lock.lock();
 * try { ... } finally { lock.unlock(); }
 * }</pre>
 *
 * <p>Robust where Python's is not: if the owning process dies while holding the lock, the lock is released,
 * and the thread that acquires it next sees {@link #previousOwnerDied()} return true, so it can check the
 * state the dead owner may have left half-changed.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Only the owner may {@link #unlock()} (Java's rule; Python lets any thread release a {@code Lock}).
 *     {@code acquire(timeout)} is {@link #tryLock(long, TimeUnit)}; {@code with lock:} is try/finally.</li>
 * <li>A lock still held when its owner's process ends is released, whether that process died or returned
 *     normally, and the next owner sees {@link #previousOwnerDied()}. Python keeps it locked forever, so
 *     every other process waiting for it hangs; no process could ever release it here (only the owner may
 *     unlock), so keeping it would be a certain deadlock rather than a handover.</li>
 * </ul>
 *
 * <p>Thread safety: any thread of any process may use any copy; ownership is per thread.
 */
public sealed class Lock implements java.util.concurrent.locks.Lock, Serializable permits RLock {
    /** The lock in the hub of the process that made it, through which every copy talks. */
    final Handle handle;
    /** Takes the lock for this copy and remembers whether the latest one came from a process that died. */
    private final Acquirer acquirer;

    /** A new lock, hosted by this process. */
    public Lock() {
        this(new LockState(false, Scheduler.system()));
    }

    Lock(LockState state) {
        this.handle = HubServer.local().register(state);
        this.acquirer = Acquirer.ofLock(handle);
    }

    @Override
    public void lock() {
        Waits.uninterruptibly(acquirer::attempt);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        Waits.until(null, acquirer::attempt);
    }

    @Override
    public boolean tryLock() {
        return acquirer.attempt(0) != null;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(Duration.ofNanos(unit.toNanos(time)));
    }

    /**
     * Python's {@code acquire(timeout=...)}: waits at most {@code timeout}; returns whether it got the lock.
     *
     * @param timeout how long to wait at most; zero or negative to only try
     * @return true if this thread now holds the lock
     * @throws InterruptedException if the waiting thread is interrupted; the lock was not taken
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return Waits.until(Waits.requireTimeout(timeout), acquirer::attempt) != null;
    }

    /**
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    @Override
    public void unlock() {
        handle.call(new LockRequest.Release());
    }

    /**
     * Whether some thread of some process holds the lock now.
     *
     * @return true if it is held; a snapshot
     */
    public boolean isLocked() {
        return handle.call(new LockRequest.IsLocked());
    }

    /**
     * Whether this thread's latest acquire took the lock over from a process that died holding it.
     *
     * @return true if the lock this thread took last was freed because its owner's process died; the state it guards
     *     may be half-changed
     */
    public boolean previousOwnerDied() {
        return acquirer.tookOverFromDead();
    }

    /** Not supported across processes: use {@link Condition} with an {@link RLock}. */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("use new Condition(rlock) for a condition shared between processes");
    }
}
