package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessStartException;

/**
 * The pool's bookkeeping for one worker. All mutable fields are accessed only while holding the owning
 * {@link PoolCore}'s lock.
 */
final class WorkerHandle {
    final WorkerLauncher.Worker process;

    /** Set once the worker connected. */
    boolean connected;
    /** Set once it connected and ran the initializer: it has started, whatever happens later. */
    boolean ready;
    /** The task it runs now, or null when idle, starting, or retiring. */
    PoolTask current;
    /** Tasks it finished, for {@code maxTasksPerChild}. */
    int tasksDone;
    /** Why it could not start, when it failed before connecting. */
    ProcessStartException startFailure;
    /** The pool initializer's exception, when the initializer failed in this worker. */
    Throwable initializerFailure;

    WorkerHandle(WorkerLauncher.Worker process) {
        this.process = process;
    }

    @Override
    public String toString() {
        return process.name() + " (pid " + process.pid() + ")";
    }
}
