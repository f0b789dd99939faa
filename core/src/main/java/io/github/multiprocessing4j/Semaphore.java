package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Acquirer;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.SemaphoreRequest;
import io.github.multiprocessing4j.internal.hub.SemaphoreState;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;

/**
 * A counting semaphore shared between processes: Python's {@code multiprocessing.Semaphore}.
 *
 * <p>Robust where Python's is not: permits held by a process that dies (killed, crashed, or ended by an
 * exception from its target) are returned, and the acquire that takes such a permit sees
 * {@link #previousHolderDied()} return true. Permits taken by a process that exits normally stay taken,
 * as tokens consumed. A release by a process that holds none counts against another holder's.
 *
 * <h2>Comparison with Python</h2>
 * {@code acquire()} is {@link #acquire()}; {@code acquire(timeout=t)} is {@link #acquire(Duration)};
 * {@code acquire(block=False)} is {@link #tryAcquire()}; {@code get_value()} is {@link #availablePermits()}.
 * Python's semaphore keeps permits taken by a process that died; this one returns them.
 */
public sealed class Semaphore implements Serializable permits BoundedSemaphore {
    /** The semaphore in the hub of the process that made it, through which every copy talks. */
    final Handle handle;
    /** Takes permits for this copy and remembers whether the latest one came from a process that died. */
    private final Acquirer acquirer;

    /**
     * A semaphore with {@code permits} permits, hosted by this process.
     *
     * @param permits the number of free permits it starts with; 0 or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        this(permits, false);
    }

    Semaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be 0 or more but was " + permits);
        }
        this.handle = HubServer.local().register(new SemaphoreState(permits, bounded, Scheduler.system()));
        this.acquirer = Acquirer.ofSemaphore(handle);
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if the waiting thread is interrupted; no permit was taken
     */
    public void acquire() throws InterruptedException {
        Waits.until(null, acquirer::attempt);
    }

    /**
     * Takes a permit, waiting at most {@code timeout}; returns whether it got one.
     *
     * @param timeout how long to wait at most; zero or negative to only try
     * @return true if a permit was taken
     * @throws InterruptedException if the waiting thread is interrupted; no permit was taken
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return Waits.until(Waits.requireTimeout(timeout), acquirer::attempt) != null;
    }

    /**
     * Takes a permit if one is free now.
     *
     * @return true if a permit was taken; false at once if none was free
     */
    public boolean tryAcquire() {
        return acquirer.attempt(0) != null;
    }

    /** Returns a permit. */
    public void release() {
        handle.call(new SemaphoreRequest.Release());
    }

    /**
     * Free permits now (a snapshot).
     *
     * @return the number of free permits
     */
    public int availablePermits() {
        return handle.call(new SemaphoreRequest.AvailablePermits());
    }

    /**
     * Whether this thread's latest acquire took a permit recovered from a process that died holding it.
     *
     * @return true if the permit this thread took last was given back because its holder's process died
     */
    public boolean previousHolderDied() {
        return acquirer.tookOverFromDead();
    }
}
