package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import java.io.Serializable;

/**
 * The acquire step shared by {@link Lock} and {@link Semaphore}: one "acquire" call on the hosted object
 * for at most one wait slice, and, per thread, whether the latest successful acquire took over from a
 * process that died. The flag is per process (transient): it describes this thread's own acquires.
 */
final class Acquirer implements Serializable {
    private static final int TIMED_OUT = 0;
    private static final int TOOK_OVER_FROM_DEAD = 2;

    private final Handle handle;
    private transient ThreadLocal<Boolean> tookOverFromDead;

    Acquirer(Handle handle) {
        this.handle = handle;
    }

    /** One attempt, waiting at most {@code sliceNanos}: TRUE when acquired, null when not yet (for {@link Waits}). */
    Boolean attempt(long sliceNanos) {
        int status = (Integer) handle.call("acquire", sliceNanos);
        if (status == TIMED_OUT) {
            return null;
        }
        flag().set(status == TOOK_OVER_FROM_DEAD);
        return Boolean.TRUE;
    }

    /** Whether this thread's latest acquire took over from a process that died holding what it acquired. */
    boolean tookOverFromDead() {
        return flag().get();
    }

    private synchronized ThreadLocal<Boolean> flag() {
        if (tookOverFromDead == null) {
            tookOverFromDead = ThreadLocal.withInitial(() -> false);
        }
        return tookOverFromDead;
    }
}
