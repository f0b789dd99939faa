package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * A wait bound for hosted objects: {@code timeoutNanos < 0} waits forever, {@code 0} does not wait. Time is
 * read from the object's clock (a {@link Scheduler}), so tests can move a deadline past its end; the waits
 * themselves are real monitor waits in slices of at most {@link HubObject#WAIT_SLICE_NANOS}, between which
 * the waiting call checks that its caller still lives and reads the clock again.
 */
final class Deadline {
    private final Scheduler clock;
    private final long end;
    private final boolean forever;

    Deadline(long timeoutNanos, Scheduler clock) {
        this.clock = clock;
        this.forever = timeoutNanos < 0;
        this.end = clock.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * Waits one slice on {@code monitor}, whose monitor the calling thread must hold. Returns false when the
     * deadline has passed, the caller died, or the waiting thread was interrupted (possible only for a call
     * from this process; the flag is kept for the caller to act on): the wait is over and the condition was
     * not met.
     */
    boolean await(Object monitor, Caller caller) {
        assert Thread.holdsLock(monitor);
        long remaining = forever ? HubObject.WAIT_SLICE_NANOS : end - clock.nanoTime();
        if (remaining <= 0 || !caller.isAlive() || Thread.currentThread().isInterrupted()) {
            return false;
        }
        long slice = Math.min(remaining, HubObject.WAIT_SLICE_NANOS);
        try {
            monitor.wait(slice / 1_000_000, (int) (slice % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
