package io.github.multiprocessing4j.internal.hub;

/** How one acquire of a {@link LockState} or a {@link SemaphoreState} ended. */
public enum AcquireOutcome {
    /** The wait ended (its slice or its timeout passed, or the caller died) without acquiring. */
    TIMED_OUT,
    /** Acquired. */
    ACQUIRED,
    /** Acquired what a process that died was holding: the state it guards may be half-changed. */
    ACQUIRED_FROM_DEAD_HOLDER
}
