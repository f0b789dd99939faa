package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.worker.FunctionJobs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work in a pool: its encoded job, its timeout, and the future its result arrives in.
 * {@link #worker} and {@link #timer} are accessed only while holding the owning {@link PoolCore}'s lock; the
 * future completes outside that lock.
 */
public final class PoolTask {
    final long id;
    /** What the task is, for logs, stats and JFR: {@code function}, {@code map chunk}, ... */
    final String kind;
    /** The encoded job; for a job with a {@link #function}, the rest of it (see {@link FunctionJobs}). */
    final byte[] payload;
    /** The job's function, sent with it only to a worker that does not keep it already; or null. */
    final FunctionJobs.EncodedFunction function;
    final Duration timeout;
    /** The result is the worker's {@code Outcome} itself, not decoded here (see {@link PoolCore#submitEncoded}). */
    final boolean raw;
    /** The result is the value's encoding, undecoded, when the task succeeds; its failure is decoded as usual. */
    final boolean valueUndecoded;
    final CompletableFuture<Object> result = new CompletableFuture<>();

    /** The worker running this task, or null while it is queued. */
    WorkerHandle worker;
    /** Fires the timeout, or null. */
    Scheduler.Cancellable timer;
    /** When it was sent to {@link #worker}, in {@link Scheduler#nanoTime()}. */
    long startedAt;
    /**
     * Its JFR event, begun when it was sent to a worker and committed by whoever ends it; set under the lock
     * before any outcome can arrive, and ended by the one event handler that wins the task.
     */
    volatile PoolEvents.TaskFinished finishedEvent;

    PoolTask(long id, String kind, byte[] payload, Duration timeout) {
        this(id, kind, payload, null, timeout, false, false);
    }

    PoolTask(long id, String kind, byte[] payload, FunctionJobs.EncodedFunction function, Duration timeout, boolean raw,
            boolean valueUndecoded) {
        this.id = id;
        this.kind = kind;
        this.payload = payload;
        this.function = function;
        this.timeout = timeout;
        this.raw = raw;
        this.valueUndecoded = valueUndecoded;
    }

    /** The bytes sent to a worker, with the function unless {@code workerKeepsFunction}. */
    byte[] payloadFor(boolean workerKeepsFunction) {
        return function == null ? payload : FunctionJobs.payload(new FunctionJobs.Encoded(function, payload), workerKeepsFunction);
    }

    /** Completes with the task's value, or exceptionally with the reason it failed. */
    public CompletableFuture<Object> result() {
        return result;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
