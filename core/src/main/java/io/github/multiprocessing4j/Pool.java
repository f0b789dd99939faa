package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.CompactLists;
import io.github.multiprocessing4j.internal.pool.ChildWorkers;
import io.github.multiprocessing4j.internal.pool.PoolCore;
import io.github.multiprocessing4j.internal.pool.PoolTask;
import io.github.multiprocessing4j.internal.pool.Pools;
import io.github.multiprocessing4j.internal.pool.WorkerLauncher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.worker.FunctionJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pool of worker JVMs that run tasks: Python's {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (var pool = new Pool(4)) {
 *     AsyncResult<List<Long>> r = pool.applyAsync(Example::getIdReturn);
 *     List<Long> ids = r.get();
 *     List<Integer> doubled = pool.map(x -> x * 2, List.of(1, 2, 3));     // [2, 4, 6]
 * }
 * }</pre>
 *
 * <p>Functions and their arguments are serialized on the calling thread, so a value that cannot be sent
 * fails the call itself, naming the offending class, and nothing is queued. Each worker runs one task (or
 * one chunk of a {@code map}) at a time. A function travels to each worker once and is kept there (up to 32
 * functions or 64 MiB per worker): the chunks and calls a worker runs with byte-identical functions share
 * one deserialized instance, so state a function captures and changes carries over between them on that
 * worker, as a module-level function's globals do in a Python worker. Keep functions free of such state,
 * or reset it yourself.
 *
 * <h2>What happens when things go wrong</h2>
 * <ul>
 * <li>A worker that dies mid-task ({@code System.exit}, {@code OutOfMemoryError}, a crash, SIGKILL) fails
 *     exactly the task it held with a {@link WorkerDiedException} naming its pid, exit code or signal and
 *     the last lines of its stderr. It is replaced and the pool keeps serving; {@code map} never hangs.</li>
 * <li>A task that overruns its timeout ({@link Builder#taskTimeout} or a per-call timeout) fails with
 *     {@link TaskTimeoutException}; its worker is killed and replaced.</li>
 * <li>Workers whose JVM cannot start (bad options) or whose initializer throws make the pool fail its tasks
 *     with a {@link ProcessStartException} once a whole round of workers failed in a row, instead of
 *     restarting workers forever.</li>
 * <li>If this JVM dies, even by {@code kill -9}, the workers exit within moments.</li>
 * <li>A pool still open when this JVM exits (never closed, or shut down and not joined) has its workers
 *     killed: its queued and running tasks are dropped without a result. This is never silent: a warning
 *     goes to the {@code io.github.multiprocessing4j} {@link System.Logger} with the number of tasks
 *     dropped and where the pool was created (as Python's {@code ResourceWarning} for an unclosed pool).
 *     Close pools with try-with-resources, or {@link #shutdown()} and {@link #join()} before
 *     {@code main} returns.</li>
 * </ul>
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@link #close()} is Java's {@link AutoCloseable#close()}: it stops new work <em>and waits</em> for the
 *     queued work to finish and the workers to exit. Python's {@code close()} only stops new work; its
 *     equivalent here is {@link #shutdown()}. So Python's {@code pool.close(); pool.join()} reads the same
 *     in Java and does the same.</li>
 * <li>Python's {@code with Pool() as p:} terminates the pool at the end of the block, killing work still
 *     running; Java's try-with-resources calls {@link #close()}, which lets it finish. Call
 *     {@link #terminate()} to kill.</li>
 * <li>{@link #terminate()} ends every pending result with a {@link java.util.concurrent.CancellationException};
 *     in Python, results still pending at terminate are never completed.</li>
 * <li>{@code starmap} takes pairs ({@link Map.Entry}) for two-argument functions; capture further
 *     arguments in the function or pass a record.</li>
 * <li>{@code imap} and {@code imapUnordered} read their input lazily, as results are consumed (Python
 *     submits everything at once). Consume the iterator before closing the pool: after {@link #close()}
 *     it cannot submit the rest.</li>
 * <li>{@link Builder#maxTasksPerChild(int) maxTasksPerChild(0)} means no limit, like Python's
 *     {@code None}; Python refuses 0 with a {@code ValueError}.</li>
 * <li>A worker that dies mid-task fails that task and is replaced; Python's pool waits forever for the
 *     task's result (a trap we do not copy).</li>
 * <li>Python's {@code Pool(context=get_context("spawn"))} chooses how workers start; here
 *     {@link Builder#startMethod(StartMethod)} does: {@link StartMethod#WARM_SPARE} (the default) or
 *     {@link StartMethod#COLD}. Every worker is a fresh JVM either way; there is no {@code fork}.</li>
 * <li>{@code apply}, {@code map} and {@code starmap} wait as long as the work takes; their bounded forms
 *     are {@code applyAsync(...).get(timeout)}, {@code mapAsync(...).get(timeout)} and so on.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Pool implements AutoCloseable {
    private final PoolCore core;
    private final Duration taskTimeout;

    /**
     * A pool of {@link Multiprocessing#cpuCount()} workers, with {@link Builder}'s defaults.
     */
    public Pool() {
        this(builder());
    }

    /**
     * A pool of {@code processes} workers, with {@link Builder}'s other defaults.
     *
     * @param processes the number of workers, at least 1
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    private Pool(Builder builder) {
        this.core = new PoolCore(builder.processes, builder.launchers == null
                ? new ChildWorkers(builder.jvmOptions, builder.startMethod == StartMethod.WARM_SPARE)
                : builder.launchers.get(), Scheduler.system(), builder.initializer, builder.maxTasksPerChild);
        this.taskTimeout = builder.taskTimeout;
        FailureWatch.watch(this);
        UnclosedPools.register(this, core);
    }

    /**
     * Configures a pool: workers, initializer, tasks per worker, task timeout, JVM options.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- apply ------------------------------------------------------------------------------------------

    /**
     * Runs {@code function} in a worker and returns its value (Python's {@code apply}).
     *
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @return what {@code function} returned
     * @throws WorkerDiedException if the worker died while running it
     * @throws TaskTimeoutException if the pool's task timeout ran out first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <R> R apply(SerializableCallable<R> function) throws InterruptedException {
        return applyAsync(function).get();
    }

    /**
     * Runs {@code function(argument)} in a worker and returns its value.
     *
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @param argument passed to {@code function}; serialized
     * @return what {@code function} returned
     * @throws WorkerDiedException if the worker died while running it
     * @throws TaskTimeoutException if the pool's task timeout ran out first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> R apply(SerializableFunction<? super T, ? extends R> function, T argument) throws InterruptedException {
        return applyAsync(function, argument).get();
    }

    /**
     * Runs {@code function} in a worker (Python's {@code apply_async}).
     *
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @return its pending result
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> function) {
        Objects.requireNonNull(function, "function");
        return watched(submit(FunctionJobs.call(function, "function"), taskTimeout, function), "applyAsync", function);
    }

    /**
     * Runs a task that returns nothing, such as one that prints; the result is null.
     *
     * @param function run in a worker; serialized with what it captures
     * @return its pending result, null once done
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public AsyncResult<Void> applyAsync(SerializableRunnable function) {
        Objects.requireNonNull(function, "function");
        return watched(submit(FunctionJobs.run(function, "function"), taskTimeout, function), "applyAsync", function);
    }

    /**
     * Runs {@code function(argument)} in a worker.
     *
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @param argument passed to {@code function}; serialized
     * @return its pending result
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument) {
        Objects.requireNonNull(function, "function");
        return watched(submit(FunctionJobs.apply(function, argument, "function"), taskTimeout, function), "applyAsync", function);
    }

    /**
     * Runs {@code function(argument)} in a worker that is killed if the call takes longer than
     * {@code timeout}; the result then fails with {@link TaskTimeoutException}.
     *
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @param argument passed to {@code function}; serialized
     * @param timeout how long the call may run once started; positive
     * @return its pending result
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Duration timeout) {
        Objects.requireNonNull(function, "function");
        requirePositive(timeout);
        return watched(submit(FunctionJobs.apply(function, argument, "function"), timeout, function), "applyAsync", function);
    }

    /**
     * Runs {@code function(argument)} and calls {@code callback} with its value or {@code errorCallback} with
     * its exception, in this JVM, on a library thread (Python's {@code callback} and {@code error_callback}).
     * The returned result becomes ready only after the callback has returned, so a {@code get()} that
     * returns or throws sees everything the callback did, as in Python. A callback that throws does not
     * change the result; its exception goes to the library thread's uncaught-exception handler.
     *
     * @param <T> the type of the argument
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @param argument passed to {@code function}; serialized
     * @param callback given the value; runs in this JVM
     * @param errorCallback given the exception; runs in this JVM
     * @return its pending result
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        requireCallbacks(callback, errorCallback);
        return withCallbacks(submit(FunctionJobs.apply(function, argument, "function"), taskTimeout, function),
                callback, errorCallback, "applyAsync", function);
    }

    /**
     * Runs {@code function} and calls {@code callback} with its value or {@code errorCallback} with its
     * exception, as {@link #applyAsync(SerializableFunction, Object, Consumer, Consumer)} does.
     *
     * @param <R> the type of the result
     * @param function run in a worker; serialized with what it captures
     * @param callback given the value; runs in this JVM
     * @param errorCallback given the exception; runs in this JVM
     * @return its pending result, ready once the callback has returned
     * @throws SerializationException if the function cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> function, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(function, "function");
        requireCallbacks(callback, errorCallback);
        return withCallbacks(submit(FunctionJobs.call(function, "function"), taskTimeout, function),
                callback, errorCallback, "applyAsync", function);
    }

    /** Checked before anything is submitted, so that a missing callback queues nothing. */
    private static void requireCallbacks(Consumer<?> callback, Consumer<?> errorCallback) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(errorCallback, "errorCallback");
    }

    /**
     * The result of {@code task} once {@code callback} (given its value) or {@code errorCallback} (given its
     * exception) has run on a library thread. A callback that throws does not change the result; its
     * exception goes to the library thread's uncaught-exception handler. The error callback is the reader of
     * a failure, so {@link FailureWatch} does not report it.
     */
    private static <R> AsyncResult<R> withCallbacks(AsyncResult<R> task, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback, String kind, Object function) {
        CompletableFuture<R> afterCallback = new CompletableFuture<>();
        task.future().whenCompleteAsync((value, failure) -> {
            Throwable fromCallback = null;
            try {
                if (failure == null) {
                    callback.accept(value);
                } else {
                    errorCallback.accept(unwrap(failure));
                }
            } catch (RuntimeException | Error e) {
                fromCallback = e;
            } finally {
                if (failure == null) {
                    afterCallback.complete(value);
                } else {
                    afterCallback.completeExceptionally(unwrap(failure));
                }
            }
            if (fromCallback != null) {
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, fromCallback);
            }
        }, LibraryThreads.events());
        return new AsyncResult<>(afterCallback, task::cancel, kind, function).markedRead();
    }

    // ---- map --------------------------------------------------------------------------------------------

    /**
     * Applies {@code function} to every item, in parallel, and returns the results in order.
     *
     * <p>The list is mutable. When every result is an {@code Integer}, a {@code Long} or a {@code Double},
     * the list keeps them as primitives and boxes each as it is read, so compare elements with
     * {@code equals}, not {@code ==}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @return the results, in input order
     * @throws WorkerDiedException if a worker died while running a chunk (the other chunks are cancelled)
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException {
        return this.<T, R>mapAsync(function, items).get();
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, sending items to workers {@code chunksize} at a time.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, in input order
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) throws InterruptedException {
        return this.<T, R>mapAsync(function, items, chunksize).get();
    }

    /**
     * {@link #map(SerializableFunction, Iterable)} without waiting. The items are read at once. The default
     * chunk size, as in Python, splits the items into about four chunks per worker: one item per chunk for
     * three items, 312,500 per chunk for ten million items on eight workers.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @return the results, in input order, once all are done
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        List<T> list = toList(items);
        return this.<T, R>mapAsync(function, list, defaultChunksize(list.size()));
    }

    /**
     * {@link #map(SerializableFunction, Iterable, int)} without waiting.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, in input order, once all are done
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return mapAsync(function, items, chunksize, null);
    }

    /**
     * As {@link #map(SerializableFunction, Iterable, int)}, telling {@code progress} each time a chunk
     * finishes how many items are done out of how many.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param function applied to each item in a worker
     * @param items read at once
     * @param chunksize how many items a worker is sent at a time, at least 1: also how often progress is told
     * @param progress told of each finished chunk, one call at a time; see {@link ProgressListener}
     * @return the results in input order
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize, ProgressListener progress) throws InterruptedException {
        return this.<T, R>mapAsync(function, items, chunksize, Objects.requireNonNull(progress, "progress")).get();
    }

    /**
     * As {@link #map(SerializableFunction, Iterable, int, ProgressListener)}, without waiting.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param function applied to each item in a worker
     * @param items read at once
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @param progress told of each finished chunk, or null
     * @return the results in input order, once all are done
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, ProgressListener progress) {
        return watched(this.<T, R>mapChunks(function, items, chunksize, progress), "map", function);
    }

    /** The chunks of a {@code map}, submitted; its result, not yet watched by {@link FailureWatch}. */
    private <T, R> AsyncResult<List<R>> mapChunks(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, ProgressListener progress) {
        Objects.requireNonNull(function, "function");
        requireChunksize(chunksize);
        List<T> list = toList(items);
        FunctionJobs.EncodedFunction encoded = FunctionJobs.function(function, "function");
        return this.<R>submitChunks(list.size(), chunksize,
                (from, to) -> FunctionJobs.map(encoded, list.subList(from, to), "map items"),
                progress == null ? null : new ProgressCounter(progress, list.size()));
    }

    /**
     * {@link #mapAsync(SerializableFunction, Iterable)} calling {@code callback} with the whole list of
     * results, or {@code errorCallback} with the first failure, in this JVM, on a library thread (Python's
     * {@code map_async} with {@code callback} and {@code error_callback}); the result is ready once the
     * callback has returned.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @param callback given the results, in input order
     * @param errorCallback given the exception
     * @return the results, in input order, once all are done and the callback has returned
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        List<T> list = toList(items);
        return mapAsync(function, list, defaultChunksize(list.size()), callback, errorCallback);
    }

    /**
     * As {@link #mapAsync(SerializableFunction, Iterable, Consumer, Consumer)}, sending items to workers
     * {@code chunksize} at a time.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read at once, on this thread
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @param callback given the results, in input order
     * @param errorCallback given the exception
     * @return the results, in input order, once all are done and the callback has returned
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, Consumer<? super List<R>> callback,
            Consumer<? super Throwable> errorCallback) {
        requireCallbacks(callback, errorCallback);
        return withCallbacks(this.<T, R>mapChunks(function, items, chunksize, null), callback, errorCallback, "map",
                function);
    }

    /**
     * Python's {@code starmap}: {@code function(first, second)} for every pair, results in order.
     *
     * @param <A> the type of the first arguments
     * @param <B> the type of the second arguments
     * @param <R> the type of the results
     * @param function applied to each pair in a worker
     * @param pairs read at once
     * @return the results, in input order
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) throws InterruptedException {
        return this.<A, B, R>starmapAsync(function, pairs).get();
    }

    /**
     * {@link #starmap} without waiting.
     *
     * @param <A> the type of the first arguments
     * @param <B> the type of the second arguments
     * @param <R> the type of the results
     * @param function applied to each pair in a worker
     * @param pairs read at once
     * @return the results, in input order, once all are done
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return watched(starmapChunks(function, pairs), "starmap", function);
    }

    private <A, B, R> AsyncResult<List<R>> starmapChunks(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Objects.requireNonNull(function, "function");
        List<A> firsts = new ArrayList<>();
        List<B> seconds = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : Objects.requireNonNull(pairs, "pairs")) {
            firsts.add(pair.getKey());
            seconds.add(pair.getValue());
        }
        FunctionJobs.EncodedFunction encoded = FunctionJobs.function(function, "function");
        return this.<R>submitChunks(firsts.size(), defaultChunksize(firsts.size()),
                (from, to) -> FunctionJobs.starmap(encoded, firsts.subList(from, to), seconds.subList(from, to), "starmap"),
                null);
    }

    /**
     * {@link #starmapAsync(SerializableBiFunction, Iterable)} calling {@code callback} with the whole list of
     * results, or {@code errorCallback} with the first failure (Python's {@code starmap_async} with
     * {@code callback} and {@code error_callback}); see {@link #mapAsync(SerializableFunction, Iterable,
     * Consumer, Consumer)}.
     *
     * @param <A> the type of the first arguments
     * @param <B> the type of the second arguments
     * @param <R> the type of the results
     * @param function applied to each pair in a worker
     * @param pairs read at once
     * @param callback given the results, in input order
     * @param errorCallback given the exception
     * @return the results, in input order, once all are done and the callback has returned
     * @throws SerializationException if the function or an argument cannot be serialized; nothing is queued
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, Consumer<? super List<R>> callback,
            Consumer<? super Throwable> errorCallback) {
        requireCallbacks(callback, errorCallback);
        return withCallbacks(this.<A, B, R>starmapChunks(function, pairs), callback, errorCallback, "starmap", function);
    }

    /**
     * Lazy, ordered {@code map} (Python's {@code imap}): results are yielded in input order as they come,
     * and the input is read only as fast as results are consumed, so it may be huge or endless. One item per
     * chunk.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @return the results, in input order
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, {@code chunksize} items at a time.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, in input order
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, true, null);
    }

    /**
     * Lazy, ordered {@code map} over a stream, read only as results are consumed.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed; not closed here
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, in input order
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Stream<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, true, null);
    }

    /**
     * Lazy, ordered {@code map} over an iterator, read only as results are consumed.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, in input order
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterator<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items"), chunksize, true, null);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable, int)}, telling {@code progress} each time a chunk
     * finishes (not when its results are consumed) how many items are done; the total is known when
     * {@code items} is a {@link java.util.Collection}, else it is -1.
     *
     * @param <T> the items' type
     * @param <R> the results' type
     * @param function applied to each item in a worker
     * @param items read as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @param progress told of each finished chunk, one call at a time; see {@link ProgressListener}
     * @return the results, in input order
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize, ProgressListener progress) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, true,
                new ProgressCounter(Objects.requireNonNull(progress, "progress"), sizeOrUnknown(items)));
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable, int)}, telling {@code progress} each time a
     * chunk finishes; see {@link #imap(SerializableFunction, Iterable, int, ProgressListener)}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @param progress told of each finished chunk, one call at a time
     * @return the results, each as soon as it is ready
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, ProgressListener progress) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, false,
                new ProgressCounter(Objects.requireNonNull(progress, "progress"), sizeOrUnknown(items)));
    }

    private static long sizeOrUnknown(Iterable<?> items) {
        return items instanceof java.util.Collection<?> collection ? collection.size() : -1;
    }

    /**
     * As {@link #imap}, but each result is yielded as soon as it is ready, whatever its input position.
     * One item per chunk.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @return the results, each as soon as it is ready
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable)}, {@code chunksize} items at a time.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, each as soon as it is ready
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, false, null);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable, int)}, over a stream.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed; not closed here
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, each as soon as it is ready
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Stream<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, false, null);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable, int)}, over an iterator.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param function applied to each item in a worker
     * @param items read only as results are consumed
     * @param chunksize how many items a worker is sent at a time, at least 1
     * @return the results, each as soon as it is ready
     * @throws IllegalStateException if the pool was shut down or terminated
     */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items"), chunksize, false, null);
    }

    @SuppressWarnings("unchecked")
    private <T, R> ResultIterator<R> lazyMap(SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> source, int chunksize, boolean ordered, ProgressCounter progress) {
        Objects.requireNonNull(function, "function");
        requireChunksize(chunksize);
        if (core.isShutdown()) {
            throw new IllegalStateException("pool is closed: it accepts no new tasks");
        }
        FunctionJobs.EncodedFunction encoded = FunctionJobs.function(function, "function");
        return new ResultIterator<>(source, chunksize, 2 * core.size(), ordered,
                chunk -> {
                    AsyncResult<byte[]> encodedResults = submit(FunctionJobs.map(encoded, chunk, "map items"), "map chunk",
                            taskTimeout, function, true);
                    AsyncResult<List<R>> result = encodedResults.converted(bytes -> CompactLists.concat(List.of(bytes), chunk.size()));
                    return progress == null ? result : counted(result, chunk.size(), progress);
                });
    }

    // ---- lifecycle --------------------------------------------------------------------------------------

    /** Python's {@code close()}: accept no new tasks; queued tasks still run. Does not wait. */
    public void shutdown() {
        core.shutdown();
    }

    /**
     * Accepts no new tasks, waits for the queued ones to finish and for the workers to exit. If the waiting
     * thread is interrupted, it stops waiting (keeping its interrupt flag) and the work goes on.
     */
    @Override
    public void close() {
        core.shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the workers now. Every unfinished result fails with a {@link java.util.concurrent.CancellationException}. */
    public void terminate() {
        core.terminate();
    }

    /**
     * Waits for the workers to exit after {@link #shutdown()}, {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool is still accepting work (Python raises ValueError)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        requireShutdown();
        try {
            core.terminated().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("pool ended abnormally", e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the workers to exit after {@link #shutdown()} or {@link #terminate()}.
     *
     * @param timeout how long to wait at most
     * @return whether every worker has exited
     * @throws IllegalStateException if the pool is still accepting work
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean join(Duration timeout) throws InterruptedException {
        requireShutdown();
        Objects.requireNonNull(timeout, "timeout");
        try {
            core.terminated().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("pool ended abnormally", e.getCause());
        }
    }

    private void requireShutdown() {
        if (!core.isShutdown()) {
            throw new IllegalStateException("pool is still running: call shutdown(), close() or terminate() before join()");
        }
    }

    /**
     * The number of workers the pool keeps (Python's {@code _processes}).
     *
     * @return the pool's size
     */
    public int processes() {
        return core.size();
    }

    /**
     * The workers alive now, by name and pid. A replaced worker has a new pid. {@link #stats()} tells what
     * each one is doing.
     *
     * @return the live workers, in the order they were launched
     */
    public List<ProcessInfo> workers() {
        return core.workers();
    }

    /**
     * What the pool has done and is doing, at this instant: tasks queued, running, completed, failed and
     * cancelled; workers started and died; and each live worker's pid, current task and how long it has
     * been running, tasks done, busy time and start-up time. Cheap enough to call in a loop that shows it.
     *
     * @return a snapshot; it does not change as the pool goes on
     */
    public PoolStats stats() {
        return core.stats();
    }

    // ---- plumbing shared with ProcessPoolExecutor -------------------------------------------------------

    /** Queues a call of {@code function}; the result is not watched by {@link FailureWatch} (see {@link #watched}). */
    private <R> AsyncResult<R> submit(FunctionJobs.Encoded job, Duration timeout, Object function) {
        return submit(job, "function", timeout, function, false);
    }

    /**
     * Queues a job; with {@code valueUndecoded}, its result is the value's encoding (for
     * {@link CompactLists#concat}). Not watched by {@link FailureWatch} (see {@link #watched}).
     */
    @SuppressWarnings("unchecked")
    private <R> AsyncResult<R> submit(FunctionJobs.Encoded job, String what, Duration timeout, Object function,
            boolean valueUndecoded) {
        PoolTask task = core.submit(job, what, timeout, valueUndecoded);
        CompletableFuture<R> result = (CompletableFuture<R>) (CompletableFuture<?>) task.result();
        return new AsyncResult<>(result, killIfRunning -> core.cancel(task, killIfRunning),
                timeoutNanos -> core.awaitHere(task, timeoutNanos), "task", function);
    }

    /** A result the user holds, named for {@link FailureWatch} after the call and function that made it. */
    private static <R> AsyncResult<R> watched(AsyncResult<R> result, String kind, Object function) {
        AsyncResult<R> named = result.renamed(kind, function);
        FailureWatch.watch(named);
        return named;
    }

    boolean isShutdownOrTerminated() {
        return core.isShutdown();
    }

    PoolCore core() {
        return core;
    }

    Duration taskTimeout() {
        return taskTimeout;
    }

    /** What a chunk of items from index {@code from} to {@code to} (exclusive) is sent as. */
    @FunctionalInterface
    private interface ChunkJob {
        FunctionJobs.Encoded of(int from, int to);
    }

    /**
     * Sends {@code size} items as chunks of {@code chunksize}, all encoded here, so the items are not read
     * again after this returns.
     */
    private <R> AsyncResult<List<R>> submitChunks(int size, int chunksize, ChunkJob jobForChunk, ProgressCounter progress) {
        List<AsyncResult<byte[]>> chunks = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        try {
            for (int from = 0; from < size; from += chunksize) {
                int to = Math.min(size, from + chunksize);
                chunks.add(submit(jobForChunk.of(from, to), "map chunk", taskTimeout, null, true));
                sizes.add(to - from);
            }
        } catch (RuntimeException e) {
            chunks.forEach(chunk -> chunk.cancel(false));
            throw e;
        }
        return combine(chunks, sizes, size, progress);
    }

    /**
     * All chunk results in order, decoded from each chunk's encoding straight into one list of the final
     * size once the last chunk is in (one primitive array when they are all ints, longs or doubles: see
     * {@link CompactLists#concat}); the first failure fails the whole and cancels the chunks still queued. Progress, if any, is told of each chunk before the whole completes.
     */
    private static <R> AsyncResult<List<R>> combine(List<AsyncResult<byte[]>> chunks, List<Integer> sizes, int size,
            ProgressCounter progress) {
        CompletableFuture<List<R>> whole = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(chunks.size());
        List<CompletableFuture<byte[]>> futures = chunks.stream().map(AsyncResult::future).toList();
        if (chunks.isEmpty()) {
            whole.complete(new ArrayList<>());
        }
        for (int i = 0; i < futures.size(); i++) {
            CompletableFuture<byte[]> future = futures.get(i);
            int chunkSize = sizes.get(i);
            future.whenComplete((value, failure) -> {
                if (progress != null) {
                    progress.chunkEnded(chunkSize, failure);
                }
                if (failure != null) {
                    if (whole.completeExceptionally(unwrap(failure))) {
                        chunks.forEach(chunk -> chunk.cancel(false));
                    }
                } else if (remaining.decrementAndGet() == 0) {
                    List<R> results;
                    try {
                        results = CompactLists.concat(futures.stream().map(CompletableFuture::join).toList(), size);
                    } catch (RuntimeException e) {
                        whole.completeExceptionally(e);
                        return;
                    }
                    whole.complete(results);
                }
            });
        }
        return new AsyncResult<>(whole, killIfRunning -> {
            boolean any = false;
            for (AsyncResult<byte[]> chunk : chunks) {
                any |= chunk.cancel(killIfRunning);
            }
            whole.cancel(false);
            return any;
        }, "map", null);
    }

    /** A chunk's result that completes once {@code progress} was told of it, so a consumer never overtakes it. */
    private static <R> AsyncResult<R> counted(AsyncResult<R> chunk, int items, ProgressCounter progress) {
        CompletableFuture<R> counted = new CompletableFuture<>();
        chunk.future().whenComplete((value, failure) -> {
            progress.chunkEnded(items, failure);
            if (failure == null) {
                counted.complete(value);
            } else if (unwrap(failure) instanceof java.util.concurrent.CancellationException) {
                counted.cancel(false);
            } else {
                counted.completeExceptionally(unwrap(failure));
            }
        });
        return new AsyncResult<>(counted, chunk::cancel, "map chunk", null);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    /** Python's rule: about four chunks per worker, rounded up. */
    int defaultChunksize(int items) {
        int perChunk = items / (core.size() * 4);
        return items % (core.size() * 4) == 0 ? Math.max(1, perChunk) : perChunk + 1;
    }

    /**
     * The items as a list: a list with fast random access as it is (its chunks are encoded before the call
     * returns), a collection copied in one step, anything else read one by one.
     */
    @SuppressWarnings("unchecked")
    private static <T> List<T> toList(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<? extends T> list && items instanceof java.util.RandomAccess) {
            return (List<T>) list;
        }
        if (items instanceof java.util.Collection<? extends T> collection) {
            return new ArrayList<>(collection);
        }
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    private static void requireChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1 but was " + chunksize);
        }
    }

    private static void requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    /**
     * How a pool's workers start, as Python's start methods ({@code Pool(context=...)}) choose for its
     * pools. Both give a worker that is a new JVM of its own, which has run no user code.
     */
    public enum StartMethod {
        /**
         * Take a spare JVM that booted ahead of need with the same {@link JvmOptions}, if one is waiting, and
         * start another spare in the background ({@link Multiprocessing#setSpares}); else start one. Fast.
         */
        WARM_SPARE,
        /**
         * Start a JVM for each worker, when it is needed; spares are neither taken nor made. For workers that
         * must not have booted before the pool asked for them (measuring start-up, a class path or
         * environment that changed on disk since the spares booted).
         */
        COLD
    }

    /**
     * Configures a pool. Defaults: {@link Multiprocessing#cpuCount()} workers, no initializer, no limit on
     * tasks per worker, no task timeout, {@link JvmOptions#defaults()}, {@link StartMethod#WARM_SPARE}.
     */
    public static final class Builder {
        private int processes = Multiprocessing.cpuCount();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private Duration taskTimeout;
        private JvmOptions jvmOptions = JvmOptions.defaults();
        private StartMethod startMethod = StartMethod.WARM_SPARE;
        /** Where workers come from, one launcher per pool built; null for child JVMs of this one. */
        private java.util.function.Supplier<? extends WorkerLauncher> launchers;

        private Builder() {}

        /**
         * How workers start (Python's {@code context}): {@link StartMethod#WARM_SPARE} unless set.
         *
         * @param method how the pool's workers start
         * @return this builder
         */
        public Builder startMethod(StartMethod method) {
            this.startMethod = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The number of workers.
         *
         * @param processes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code processes} is less than 1
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1 but was " + processes);
            }
            this.processes = processes;
            return this;
        }

        /**
         * Run once in each worker before its first task (Python's {@code initializer}); a worker whose
         * initializer throws counts as one that failed to start.
         *
         * @param initializer run in each worker; serialized when the pool is built
         * @return this builder
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * Replace each worker after it ran this many tasks (or map chunks); 0 means never.
         *
         * @param maxTasks 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code maxTasks} is negative
         */
        public Builder maxTasksPerChild(int maxTasks) {
            if (maxTasks < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more but was " + maxTasks);
            }
            this.maxTasksPerChild = maxTasks;
            return this;
        }

        /**
         * Kill and replace a worker whose task (or map chunk) runs longer than this; the task fails with
         * {@link TaskTimeoutException}.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder taskTimeout(Duration timeout) {
            requirePositive(timeout);
            this.taskTimeout = timeout;
            return this;
        }

        /**
         * How the worker JVMs are started: heap, flags, system properties, environment.
         *
         * @param options the workers' options
         * @return this builder
         */
        public Builder jvmOptions(JvmOptions options) {
            this.jvmOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Starts the workers: all at once, each booting in parallel.
         *
         * @return the pool
         * @throws SerializationException if the initializer cannot be serialized; nothing is started
         */
        public Pool build() {
            return new Pool(this);
        }
    }

    static {
        Pools.setAccess(launchers -> {
            Builder builder = new Builder();
            builder.launchers = Objects.requireNonNull(launchers, "launchers");
            return builder;
        });
    }
}
