package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.util.HashMap;
import java.util.Map;

/**
 * The hosted side of {@code Semaphore} and {@code BoundedSemaphore}: a count of permits, and which
 * processes hold how many, so that the permits of a process that dies (killed, crashed: not a normal exit)
 * are returned. The next acquire that takes such a recovered permit is told
 * ({@link AcquireOutcome#ACQUIRED_FROM_DEAD_HOLDER}). Permits taken by a process that exits normally stay
 * taken: they were used, as tokens consumed.
 */
public final class SemaphoreState implements HubObject {
    private final int initial;
    private final boolean bounded;
    private final Scheduler clock;
    /** Accessed only while holding this object's monitor. */
    private int permits;
    /** Permits recovered from dead processes and not yet handed out again. Accessed only while holding this object's monitor. */
    private int recovered;
    /** Accessed only while holding this object's monitor. */
    private final Map<Long, Integer> heldByPid = new HashMap<>();

    public SemaphoreState(int permits, boolean bounded, Scheduler clock) {
        this.initial = permits;
        this.permits = permits;
        this.bounded = bounded;
        this.clock = clock;
    }

    /** Takes a permit for {@code caller}'s process, waiting at most {@code timeoutNanos} (negative: forever). */
    public synchronized AcquireOutcome acquire(Caller caller, long timeoutNanos) {
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (permits == 0) {
            if (!deadline.await(this, caller)) {
                return AcquireOutcome.TIMED_OUT;
            }
        }
        permits--;
        heldByPid.merge(caller.pid(), 1, Integer::sum);
        if (recovered > 0) {
            recovered--;
            return AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER;
        }
        return AcquireOutcome.ACQUIRED;
    }

    /**
     * Returns a permit. A release by a process that holds none returns another's permit (a producer
     * releasing what a consumer acquired), so that permit is not recovered again when its taker exits.
     *
     * @throws IllegalStateException if bounded and already at the initial count
     */
    public synchronized void release(Caller caller) {
        if (bounded && permits >= initial) {
            throw new IllegalStateException("BoundedSemaphore released more often than acquired (" + initial
                    + " permits)");
        }
        long from = heldByPid.containsKey(caller.pid()) ? caller.pid()
                : heldByPid.keySet().stream().findFirst().orElse(caller.pid());
        heldByPid.computeIfPresent(from, (pid, held) -> held > 1 ? held - 1 : null);
        permits++;
        notifyAll();
    }

    public synchronized int availablePermits() {
        return permits;
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        Integer held = heldByPid.remove(pid);
        if (held != null && died) {
            permits += held;
            recovered += held;
            notifyAll();
        }
    }
}
