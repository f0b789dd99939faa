package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * The hosted side of {@code Barrier}: parties arrive; when the last one does, all are released and the
 * barrier resets for the next round (a new generation). A wait that times out breaks the barrier for
 * everyone waiting, as with {@code java.util.concurrent.CyclicBarrier}; {@link #reset} breaks it for the
 * current waiters and starts a fresh generation; {@link #abort} breaks it until the next reset.
 */
public final class BarrierState implements HubObject {
    private final int parties;
    private final Scheduler clock;
    /** Accessed only while holding this object's monitor. */
    private int waiting;
    /** Each round of arrivals is a generation; {@link #reset} also starts one. Accessed only while holding this object's monitor. */
    private long generation;
    /**
     * The generation that was broken, or -1: its waiters fail, the next generation starts whole. Accessed
     * only while holding this object's monitor.
     */
    private long brokenGeneration = -1;

    public BarrierState(int parties, Scheduler clock) {
        this.parties = parties;
        this.clock = clock;
    }

    /** Arrives and waits at most {@code timeoutNanos} (negative: forever) for the other parties. */
    public synchronized BarrierOutcome await(Caller caller, long timeoutNanos) {
        if (brokenGeneration == generation) {
            return new BarrierOutcome.Broken();
        }
        int index = parties - 1 - waiting;
        if (++waiting == parties) {
            waiting = 0;
            generation++;
            notifyAll();
            return new BarrierOutcome.Passed(index);
        }
        long myGeneration = generation;
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (generation == myGeneration && brokenGeneration != myGeneration) {
            if (!deadline.await(this, caller)) {
                if (generation == myGeneration && brokenGeneration != myGeneration) {
                    breakBarrier();
                    return new BarrierOutcome.TimedOut();
                }
                break;
            }
        }
        return brokenGeneration == myGeneration ? new BarrierOutcome.Broken() : new BarrierOutcome.Passed(index);
    }

    /** Breaks the barrier for the current waiters and starts a fresh generation. */
    public synchronized void reset() {
        breakBarrier();
        generation++;
    }

    /** Breaks the barrier: current and later waiters fail until {@link #reset}. */
    public synchronized void abort() {
        breakBarrier();
    }

    public synchronized int numberWaiting() {
        return waiting;
    }

    public synchronized boolean isBroken() {
        return brokenGeneration == generation;
    }

    private void breakBarrier() {
        assert Thread.holdsLock(this);
        brokenGeneration = generation;
        waiting = 0;
        notifyAll();
    }
}
