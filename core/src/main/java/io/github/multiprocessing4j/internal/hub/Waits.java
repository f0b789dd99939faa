package io.github.multiprocessing4j.internal.hub;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Blocking calls on shared objects, made in slices: each slice is one call that the hosting process waits
 * on for at most {@link #SLICE_NANOS}. Between slices the waiting thread checks for interruption, so no
 * wait on another process is beyond a thread's reach and no hosting thread waits forever for a caller.
 */
public final class Waits {
    public static final long SLICE_NANOS = 1_000_000_000L;
    /** Passed as a timeout: do not wait at all. */
    public static final long NO_WAIT = 0;

    private Waits() {}

    /**
     * Calls {@code attempt} with the time each slice may wait until it returns non-null or the timeout
     * passes.
     *
     * @param timeout how long to wait in all, or null to wait as long as it takes
     * @return the first non-null answer, or null on timeout
     */
    public static <T> T until(Duration timeout, LongFunction<T> attempt) throws InterruptedException {
        long end = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on a shared object");
            }
            long remaining = timeout == null ? SLICE_NANOS : end - System.nanoTime();
            T answer = attempt.apply(Math.max(0, Math.min(remaining, SLICE_NANOS)));
            if (answer != null || (timeout != null && end - System.nanoTime() <= 0)) {
                return answer;
            }
        }
    }

    /** As {@link #until}, but keeps waiting through interrupts and restores the flag at the end. */
    public static <T> T uninterruptibly(LongFunction<T> attempt) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return until(null, attempt);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static Duration requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return timeout;
    }
}
