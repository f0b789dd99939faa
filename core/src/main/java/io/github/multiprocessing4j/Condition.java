package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.ConditionRequest;
import io.github.multiprocessing4j.internal.hub.ConditionState;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A condition variable shared between processes: Python's {@code multiprocessing.Condition}, as a
 * {@link java.util.concurrent.locks.Condition} on an {@link RLock}.
 *
 * <pre>{@code
 * cond.lock().lock();
 * try {
 *     while (!ready()) cond.await();
 * } finally {
 *     cond.lock().unlock();
 * }
 * }</pre>
 *
 * <h2>Comparison with Python</h2>
 * {@code wait} and {@code notify} are final methods of every Java object, so they are {@link #await()} and
 * {@link #signal()} here, as in {@code java.util.concurrent}; {@code notify(n)} is {@link #signal(int)}.
 * A wait runs in the process hosting the condition, so it cannot be interrupted: use the timed forms
 * where a wait must end. Python's {@code wait_for} is {@link #waitFor(BooleanSupplier, Duration)}; its
 * predicate is any {@link BooleanSupplier}, evaluated in the waiting process.
 */
public final class Condition implements java.util.concurrent.locks.Condition, Serializable {
    /** The lock to hold around waits and signals. */
    private final RLock lock;
    /** The condition in the hub of the process that made it, through which every copy talks. */
    final Handle handle;

    /** A condition with a new {@link RLock} of its own. */
    public Condition() {
        this(new RLock());
    }

    /**
     * A condition on {@code lock}.
     *
     * @param lock the lock to hold around waits and signals; made in this process
     * @throws IllegalStateException if {@code lock} was created in another process
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(RLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
        if (lock.state == null) {
            throw new IllegalStateException("create the condition in the process that created its lock");
        }
        this.handle = HubServer.local().register(new ConditionState(lock.state, Scheduler.system()));
    }

    /**
     * The lock to hold around {@code await} and {@code signal}.
     *
     * @return the lock given at creation, or the one made for this condition
     */
    public RLock lock() {
        return lock;
    }

    private boolean waitNanos(long nanos) {
        return handle.call(new ConditionRequest.Await(nanos));
    }

    /** Waits until signalled; the lock must be held, and is held again on return. */
    @Override
    public void await() throws InterruptedException {
        waitNanos(-1);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting on a condition");
        }
    }

    @Override
    public void awaitUninterruptibly() {
        waitNanos(-1);
    }

    @Override
    public long awaitNanos(long nanosTimeout) {
        long start = System.nanoTime();
        waitNanos(Math.max(0, nanosTimeout));
        return nanosTimeout - (System.nanoTime() - start);
    }

    /**
     * Waits at most {@code timeout}; returns whether it was signalled.
     *
     * @param timeout how long to wait at most; zero or negative to not wait
     * @return true if signalled in time; false if the time ran out (the lock is held again either way)
     */
    public boolean await(Duration timeout) {
        return waitNanos(Math.max(0, Waits.requireTimeout(timeout).toNanos()));
    }

    @Override
    public boolean await(long time, TimeUnit unit) {
        return await(Duration.ofNanos(unit.toNanos(time)));
    }

    @Override
    public boolean awaitUntil(Date deadline) {
        return await(Duration.ofMillis(Math.max(0, deadline.getTime() - System.currentTimeMillis())));
    }

    /**
     * Waits until {@code predicate} is true: Python's {@code wait_for(predicate)}. The lock must be held;
     * the predicate is evaluated in this process, with the lock held, first before any wait and again after
     * each wake-up.
     *
     * @param predicate the condition to wait for, evaluated in this process with the lock held
     * @return the predicate's last value: true
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean waitFor(BooleanSupplier predicate) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Waits at most {@code timeout} for {@code predicate} to become true: Python's
     * {@code wait_for(predicate, timeout)}.
     *
     * @param predicate the condition to wait for, evaluated in this process with the lock held
     * @param timeout how long to wait at most in all
     * @return the predicate's last value: false if it was still false when the time ran out
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long deadline = System.nanoTime() + Math.max(0, Waits.requireTimeout(timeout).toNanos());
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            waitNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on a condition");
            }
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes the longest waiter; the lock must be held. */
    @Override
    public void signal() {
        signal(1);
    }

    /**
     * Python's {@code notify(n)}: wakes the {@code n} longest waiters.
     *
     * @param n how many waiters to wake at most; the lock must be held
     */
    public void signal(int n) {
        handle.call(new ConditionRequest.Signal(n));
    }

    @Override
    public void signalAll() {
        handle.call(new ConditionRequest.SignalAll());
    }
}
