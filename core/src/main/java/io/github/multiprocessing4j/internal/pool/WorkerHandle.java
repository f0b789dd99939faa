package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.worker.FunctionCache;

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

    /** The worker this one replaces, or null; for logs and JFR. Final after construction. */
    final String replacing;
    /** When its launch was decided, in {@code Scheduler.nanoTime()}. */
    final long launchedAt;
    /** How long it took to become ready, or -1 while starting. */
    long startupNanos = -1;
    /** Time spent on finished tasks. */
    long busyNanos;
    /** Set once the pool sent it STOP or killed it: its exit is then expected, not a death. */
    boolean stopping;
    /**
     * The ledger of the functions the worker keeps, a mirror of its own {@link FunctionCache}; null when the
     * worker keeps none, or once it ran a task whose payload this pool did not make (its cache then differs).
     */
    FunctionCache<Boolean> functions;
    /** Its JFR start event, begun at launch and committed once it is ready; then null. */
    PoolEvents.WorkerStarted startEvent;

    WorkerHandle(WorkerLauncher.Worker process, String replacing, long launchedAt, PoolEvents.WorkerStarted startEvent) {
        this.process = process;
        this.replacing = replacing;
        this.launchedAt = launchedAt;
        this.startEvent = startEvent;
        this.functions = process.keepsFunctions() ? new FunctionCache<>() : null;
    }

    @Override
    public String toString() {
        return process.name() + " (pid " + process.pid() + ")";
    }
}
