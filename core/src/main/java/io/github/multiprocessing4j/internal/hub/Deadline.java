package io.github.multiprocessing4j.internal.hub;

/**
 * A wait bound for hosted objects: {@code timeoutNanos < 0} waits forever, {@code 0} does not wait. Waits
 * run in slices of {@link HubObject#WAIT_SLICE_NANOS} so the waiting call can check that its caller still
 * lives. The caller must hold the monitor of {@code monitor}.
 */
final class Deadline {
    private final long end;
    private final boolean forever;

    Deadline(long timeoutNanos) {
        this.forever = timeoutNanos < 0;
        this.end = System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * Waits one slice on {@code monitor}. Returns false when the deadline has passed, the caller died, or
     * the waiting thread was interrupted (possible only for a call from this process; the flag is kept for
     * the caller to act on): the wait is over and the condition was not met.
     */
    boolean await(Object monitor, HubObject.Caller caller) {
        long remaining = forever ? HubObject.WAIT_SLICE_NANOS : end - System.nanoTime();
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
