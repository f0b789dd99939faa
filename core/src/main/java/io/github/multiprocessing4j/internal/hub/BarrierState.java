package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * The hosted side of {@code Barrier}: parties arrive; when the last one does, all are released and the
 * barrier resets for the next round (a new generation). A wait that times out breaks the barrier for
 * everyone waiting, as with {@code java.util.concurrent.CyclicBarrier}; {@link #reset} breaks it for the
 * current waiters and starts a fresh generation; {@link #abort} breaks it until the next reset.
 *
 * <p>With an action (Python's {@code action}, {@code CyclicBarrier}'s {@code barrierAction}), the last party
 * to arrive is told to run it ({@link BarrierOutcome.RunAction}) while the others keep waiting; it reports
 * with {@link #actionDone}, which releases everyone, or breaks the barrier if the action failed. If that
 * party's process ends before reporting, the barrier breaks, so nobody waits for an action that never ends.
 */
public final class BarrierState implements HubObject {
    private final int parties;
    private final boolean hasAction;
    private final Scheduler clock;
    /** The pid of the process running the action of the current generation, or -1. Accessed only while holding this object's monitor. */
    private long actionRunner = -1;
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
        this(parties, false, clock);
    }

    /** A barrier whose last arriving party is asked to run an action when {@code hasAction}. */
    public BarrierState(int parties, boolean hasAction, Scheduler clock) {
        this.parties = parties;
        this.hasAction = hasAction;
        this.clock = clock;
    }

    /** Arrives and waits at most {@code timeoutNanos} (negative: forever) for the other parties. */
    public synchronized BarrierOutcome await(Caller caller, long timeoutNanos) {
        if (brokenGeneration == generation) {
            return new BarrierOutcome.Broken();
        }
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (actionRunner != -1) {
            // A full round is running its action: this party belongs to the next round.
            if (!deadline.await(this, caller)) {
                breakBarrier();
                return new BarrierOutcome.TimedOut();
            }
        }
        if (brokenGeneration == generation) {
            return new BarrierOutcome.Broken();
        }
        int index = parties - 1 - waiting;
        if (++waiting == parties) {
            if (hasAction) {
                actionRunner = caller.pid();
                return new BarrierOutcome.RunAction(index, generation);
            }
            waiting = 0;
            generation++;
            notifyAll();
            return new BarrierOutcome.Passed(index);
        }
        long myGeneration = generation;
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

    /**
     * The last party ran the action of {@code ofGeneration}: releases the waiters if it {@code succeeded},
     * breaks the barrier otherwise. Returns how that party's own wait ends.
     */
    public synchronized BarrierOutcome actionDone(int index, long ofGeneration, boolean succeeded) {
        if (generation != ofGeneration || brokenGeneration == ofGeneration) {
            return new BarrierOutcome.Broken();
        }
        actionRunner = -1;
        if (!succeeded) {
            breakBarrier();
            return new BarrierOutcome.Broken();
        }
        waiting = 0;
        generation++;
        notifyAll();
        return new BarrierOutcome.Passed(index);
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        if (actionRunner == pid) {
            breakBarrier();
        }
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
        actionRunner = -1;
        notifyAll();
    }
}
