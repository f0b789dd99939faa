package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.BarrierOutcome;
import io.github.multiprocessing4j.internal.hub.BarrierRequest;
import io.github.multiprocessing4j.internal.hub.BarrierState;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties in any processes: Python's {@code multiprocessing.Barrier}, with
 * {@link java.util.concurrent.CyclicBarrier}'s Java signature. It is reusable: once all parties arrived,
 * it starts over.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code wait} is {@link #await()}. A wait that times out breaks the barrier for every party and
 * throws {@link TimeoutException}, as {@code CyclicBarrier} does (Python raises
 * {@code BrokenBarrierError} there); the other waiters get {@link BrokenBarrierException}. Python's
 * {@code action} and default {@code timeout} arguments have no counterpart. {@link #await()} waits in the
 * process that created the barrier and cannot be interrupted: use {@link #await(Duration)} where a wait
 * must end.
 */
public final class Barrier implements Serializable {
    private final Handle handle;
    private final int parties;

    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1 but was " + parties);
        }
        this.parties = parties;
        this.handle = HubServer.local().register(new BarrierState(parties, Scheduler.system()));
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return this party's arrival index: {@code parties - 1} for the first, 0 for the last
     */
    public int await() throws BrokenBarrierException {
        BarrierOutcome outcome = handle.call(new BarrierRequest.Await(-1));
        if (outcome instanceof BarrierOutcome.Passed passed) {
            return passed.index();
        }
        throw new BrokenBarrierException("the barrier was broken while waiting");
    }

    /** Waits at most {@code timeout}; on timeout the barrier breaks. */
    public int await(Duration timeout) throws BrokenBarrierException, TimeoutException {
        BarrierOutcome outcome = handle.call(new BarrierRequest.Await(Math.max(0, Waits.requireTimeout(timeout).toNanos())));
        if (outcome instanceof BarrierOutcome.Passed passed) {
            return passed.index();
        }
        if (outcome instanceof BarrierOutcome.TimedOut) {
            throw new TimeoutException("not all " + parties + " parties arrived within " + timeout.toMillis() + " ms");
        }
        throw new BrokenBarrierException("the barrier was broken while waiting");
    }

    /** Breaks the barrier for current waiters and makes it usable again. */
    public void reset() {
        handle.call(new BarrierRequest.Reset());
    }

    /** Breaks the barrier: current and future waiters fail until {@link #reset()}. */
    public void abort() {
        handle.call(new BarrierRequest.Abort());
    }

    public int parties() {
        return parties;
    }

    public int numberWaiting() {
        return handle.call(new BarrierRequest.NumberWaiting());
    }

    public boolean isBroken() {
        return handle.call(new BarrierRequest.IsBroken());
    }
}
