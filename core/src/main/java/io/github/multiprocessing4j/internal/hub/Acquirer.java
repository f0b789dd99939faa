package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;

/**
 * The acquire step shared by {@code Lock} and {@code Semaphore}: one acquire request to the hosted object
 * for at most one wait slice, and, per thread, whether the latest successful acquire took over from a
 * process that died. The flag is per process (transient): it describes this thread's own acquires.
 */
public final class Acquirer implements Serializable {
    /** What is acquired: the request kind it takes. */
    private enum Kind {
        LOCK {
            @Override
            Request<AcquireOutcome> request(long timeoutNanos) {
                return new LockRequest.Acquire(timeoutNanos);
            }
        },
        SEMAPHORE {
            @Override
            Request<AcquireOutcome> request(long timeoutNanos) {
                return new SemaphoreRequest.Acquire(timeoutNanos);
            }
        };

        abstract Request<AcquireOutcome> request(long timeoutNanos);
    }

    private final Handle handle;
    private final Kind kind;
    /** Made on first use in each process. Accessed only while holding this. */
    private transient ThreadLocal<Boolean> tookOverFromDead;

    private Acquirer(Handle handle, Kind kind) {
        this.handle = handle;
        this.kind = kind;
    }

    /** Acquires the {@link LockState} behind {@code handle}. */
    public static Acquirer ofLock(Handle handle) {
        return new Acquirer(handle, Kind.LOCK);
    }

    /** Acquires permits of the {@link SemaphoreState} behind {@code handle}. */
    public static Acquirer ofSemaphore(Handle handle) {
        return new Acquirer(handle, Kind.SEMAPHORE);
    }

    /** One attempt, waiting at most {@code sliceNanos}: TRUE when acquired, null when not yet (for {@link Waits}). */
    public Boolean attempt(long sliceNanos) {
        AcquireOutcome outcome = handle.call(kind.request(sliceNanos));
        if (outcome == AcquireOutcome.TIMED_OUT) {
            return null;
        }
        flag().set(outcome == AcquireOutcome.ACQUIRED_FROM_DEAD_HOLDER);
        return Boolean.TRUE;
    }

    /** Whether this thread's latest acquire took over from a process that died holding what it acquired. */
    public boolean tookOverFromDead() {
        return flag().get();
    }

    private synchronized ThreadLocal<Boolean> flag() {
        if (tookOverFromDead == null) {
            tookOverFromDead = ThreadLocal.withInitial(() -> false);
        }
        return tookOverFromDead;
    }
}
