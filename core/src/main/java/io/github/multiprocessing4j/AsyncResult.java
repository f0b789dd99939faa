package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pending result of work sent to a {@link Pool}: Python's {@code AsyncResult}.
 *
 * <p>{@link #get()} returns the value or rethrows the task's own exception: an unchecked exception or error
 * as itself (an {@code AssertionError} stays one), with the worker's stack trace and a
 * {@link RemoteOrigin}; a checked exception wrapped in {@link TaskFailedException}. A task whose worker
 * died fails with {@link WorkerDiedException}, one that overran its timeout with
 * {@link TaskTimeoutException}, one cancelled or ended by {@link Pool#terminate()} with
 * {@link CancellationException}. Every result ends, one way or another: none is dropped silently.
 *
 * <p>For Java-style composition, {@link #toCompletableFuture()} gives a {@link CompletableFuture} that
 * completes with the same outcome (exceptionally with the original exception).
 *
 * <p>Thread safety: all methods may be called from any thread.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code wait()} is {@link #waitFor()} here: {@code wait} is final on every Java object.</li>
 * <li>{@code get(timeout)} takes a {@link Duration} and throws {@link java.util.concurrent.TimeoutException}
 *     where Python raises {@code multiprocessing.TimeoutError}.</li>
 * <li>{@link #successful()} on a result not yet ready throws {@link IllegalStateException} (Python:
 *     {@code ValueError}).</li>
 * <li>Python's {@code AsyncResult} cannot be cancelled; {@link #cancel(boolean)} removes queued work, or
 *     kills the worker running it.</li>
 * </ul>
 *
 * @param <T> the type of the task's value
 */
public final class AsyncResult<T> {
    /** Cancels the work behind a result; {@code killIfRunning} decides what happens to running work. */
    interface Canceller {
        boolean cancel(boolean killIfRunning);
    }

    /**
     * What a thread that waits for the result does first, at most {@code timeoutNanos}: a pool task's wait
     * reads the worker's outcome on the waiting thread ({@code PoolCore#awaitHere}). Returning early is
     * always allowed; the wait for the future follows.
     */
    interface Approach {
        Approach NONE = timeoutNanos -> { };

        void await(long timeoutNanos) throws InterruptedException;
    }

    private final CompletableFuture<T> future;
    private final Canceller canceller;
    private final Approach approach;
    /** What produced this result, for {@link FailureWatch}: {@code "applyAsync"}, {@code "map"}, … */
    private final String kind;
    /** The user's function, described only if a failure is reported. */
    private final Object function;
    /** Whether the user has looked at the outcome, for {@link FailureWatch}. */
    private volatile boolean read;

    AsyncResult(CompletableFuture<T> future, Canceller canceller, String kind, Object function) {
        this(future, canceller, Approach.NONE, kind, function);
    }

    AsyncResult(CompletableFuture<T> future, Canceller canceller, Approach approach, String kind, Object function) {
        this.future = future;
        this.canceller = canceller;
        this.approach = approach;
        this.kind = kind;
        this.function = function;
    }

    /**
     * Waits for the result and returns it, or rethrows the task's exception (see the class comment).
     *
     * @return the task's value (null for a task without one)
     * @throws InterruptedException if the waiting thread is interrupted; the task goes on
     * @throws CancellationException if the task was cancelled or its pool terminated
     */
    public T get() throws InterruptedException {
        read = true;
        try {
            approach.await(Long.MAX_VALUE);
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to only check
     * @return the task's value (null for a task without one)
     * @throws TimeoutException if the result is not ready by then; the task goes on
     * @throws InterruptedException if the waiting thread is interrupted; the task goes on
     * @throws CancellationException if the task was cancelled or its pool terminated
     */
    public T get(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            T value = future.get(approached(timeout.toNanos()), TimeUnit.NANOSECONDS);
            read = true;
            return value;
        } catch (ExecutionException e) {
            read = true;
            throw rethrow(e.getCause());
        }
    }

    /**
     * Python's {@code wait()}: blocks until the result is ready, whatever it is.
     *
     * @throws InterruptedException if the waiting thread is interrupted; the task goes on
     */
    public void waitFor() throws InterruptedException {
        try {
            approach.await(Long.MAX_VALUE);
            future.get();
        } catch (ExecutionException | CancellationException e) {
            // Ready, with a failure: get() reports it.
        }
    }

    /**
     * Python's {@code wait(timeout)}: blocks at most {@code timeout}; returns whether the result is ready.
     *
     * @param timeout how long to wait at most; zero or negative to only check
     * @return true if the result is ready, whether the task succeeded or not
     * @throws InterruptedException if the waiting thread is interrupted; the task goes on
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            future.get(approached(timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            // Ready with a failure, or not ready: the answer is below.
        }
        return future.isDone();
    }

    /** Runs {@link #approach} for at most {@code timeoutNanos}; returns the nanoseconds left of them. */
    private long approached(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos <= 0 || future.isDone()) {
            return timeoutNanos;
        }
        long start = System.nanoTime();
        approach.await(timeoutNanos);
        return Math.max(0, timeoutNanos - (System.nanoTime() - start));
    }

    /**
     * Whether the work has ended, successfully or not.
     *
     * @return true once the task succeeded, failed or was cancelled (Python's {@code ready()})
     */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the work ended without an exception.
     *
     * @return true if the task returned normally; false if it failed or was cancelled
     * @throws IllegalStateException if it has not ended yet (Python raises ValueError)
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("result is not ready yet: call waitFor() or check ready() first");
        }
        read = true;
        return !future.isCompletedExceptionally();
    }

    /**
     * Cancels the work. Queued work is removed and never runs. Running work is killed together with its
     * worker process (which the pool replaces) when {@code killIfRunning}; otherwise it runs to the end and
     * its result is discarded.
     *
     * @param killIfRunning true to kill the worker of a running task (the pool replaces it); false to let it finish and
     *     discard its result
     * @return whether this call cancelled it
     */
    public boolean cancel(boolean killIfRunning) {
        read = true;
        return canceller.cancel(killIfRunning);
    }

    /**
     * Whether the task was cancelled, by {@link #cancel(boolean)} or by {@link Pool#terminate()}.
     *
     * @return true if it was cancelled
     */
    public boolean isCancelled() {
        return future.isCancelled();
    }

    /**
     * A future with the same outcome (exceptionally with the task's own exception); completing or
     * cancelling it does not affect the task. Its dependent actions run on a library thread, never on the
     * thread that reads results from a worker, so they may call the pool themselves.
     *
     * @return a new future, completed on a library thread when the task ends
     */
    public CompletableFuture<T> toCompletableFuture() {
        read = true;
        return completedOnALibraryThread(future);
    }

    /**
     * A new future with {@code result}'s outcome (its failure unwrapped from {@link CompletionException}),
     * completed on a library thread; completing or cancelling it does not affect {@code result}.
     */
    static <V> CompletableFuture<V> completedOnALibraryThread(CompletableFuture<V> result) {
        CompletableFuture<V> copy = new CompletableFuture<>();
        result.whenCompleteAsync((value, failure) -> {
            if (failure == null) {
                copy.complete(value);
            } else {
                copy.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        }, LibraryThreads.events());
        return copy;
    }

    /** The result of {@code convert} applied to this one's value, waited for, cancelled and named as this one. */
    <U> AsyncResult<U> converted(java.util.function.Function<? super T, ? extends U> convert) {
        return new AsyncResult<>(future.thenApply(convert), canceller, approach, kind, function);
    }

    /** The same result under the name of the call that made it, as {@link FailureWatch} reports it. */
    AsyncResult<T> renamed(String newKind, Object newFunction) {
        return new AsyncResult<>(future, canceller, approach, newKind, newFunction);
    }

    /** This result, counted as read: its failure goes to an error callback, not to {@link FailureWatch}. */
    AsyncResult<T> markedRead() {
        read = true;
        return this;
    }

    /** The underlying future, for the library's own chaining: not a read by the user. */
    CompletableFuture<T> future() {
        return future;
    }

    /** The failure, if this result failed and nobody read it. */
    Optional<FailureWatch.UnreadFailure> unreadFailure() {
        if (read || !future.isCompletedExceptionally() || future.isCancelled()) {
            return Optional.empty();
        }
        Throwable failure = future.handle((value, e) -> e).join();
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        String source = "the result of " + kind + (function == null ? "" : "(" + FailureWatch.describe(function) + ")");
        return Optional.of(new FailureWatch.UnreadFailure(source, failure));
    }

    /**
     * The exception to throw on the reading thread for a failed result: a {@link ProcessStartException} is
     * copied here ({@link ProcessStartException#rethrownHere()}); one from another process gets a
     * {@link ReadHere} with this thread's stack.
     */
    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof ProcessStartException start) {
            return start.rethrownHere();
        }
        ReadHere.attachTo(cause);
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new TaskFailedException(cause);
    }

    @Override
    public String toString() {
        return "AsyncResult[" + (!future.isDone() ? "pending" : future.isCompletedExceptionally() ? "failed" : "done") + "]";
    }
}
