package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.pool.ChildWorkers;
import io.github.multiprocessing4j.internal.pool.PoolCore;
import io.github.multiprocessing4j.internal.pool.PoolJobs;
import io.github.multiprocessing4j.internal.pool.PoolTask;
import io.github.multiprocessing4j.internal.pool.Pools;
import io.github.multiprocessing4j.internal.pool.WorkerLauncher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.worker.Job;
import io.github.multiprocessing4j.internal.worker.ProcessJobs;
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
 * one chunk of a {@code map}) at a time.
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
 * <li>{@code apply}, {@code map} and {@code starmap} wait as long as the work takes; their bounded forms
 *     are {@code applyAsync(...).get(timeout)}, {@code mapAsync(...).get(timeout)} and so on.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Pool implements AutoCloseable {
    private final PoolCore core;
    private final Duration taskTimeout;

    /** A pool of {@link Multiprocessing#cpuCount()} workers. */
    public Pool() {
        this(builder());
    }

    /** A pool of {@code processes} workers. */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    private Pool(Builder builder) {
        this.core = new PoolCore(builder.processes,
                builder.launchers == null ? new ChildWorkers(builder.jvmOptions) : builder.launchers.get(),
                Scheduler.system(), builder.initializer, builder.maxTasksPerChild);
        this.taskTimeout = builder.taskTimeout;
        FailureWatch.watch(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- apply ------------------------------------------------------------------------------------------

    /** Runs {@code function} in a worker and returns its value (Python's {@code apply}). */
    public <R> R apply(SerializableCallable<R> function) throws InterruptedException {
        return applyAsync(function).get();
    }

    /** Runs {@code function(argument)} in a worker and returns its value. */
    public <T, R> R apply(SerializableFunction<? super T, ? extends R> function, T argument) throws InterruptedException {
        return applyAsync(function, argument).get();
    }

    /** Runs {@code function} in a worker (Python's {@code apply_async}). */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> function) {
        Objects.requireNonNull(function, "function");
        return watched(submit(new PoolJobs.Call<>(function), "function", taskTimeout), "applyAsync", function);
    }

    /** Runs a task that returns nothing, such as one that prints; the result is null. */
    public AsyncResult<Void> applyAsync(SerializableRunnable function) {
        Objects.requireNonNull(function, "function");
        return watched(submit(new ProcessJobs.RunTarget(function), "function", taskTimeout), "applyAsync", function);
    }

    /** Runs {@code function(argument)} in a worker. */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument) {
        Objects.requireNonNull(function, "function");
        return watched(submit(new PoolJobs.Apply<T, R>(function, argument), "function", taskTimeout), "applyAsync", function);
    }

    /**
     * Runs {@code function(argument)} in a worker that is killed if the call takes longer than
     * {@code timeout}; the result then fails with {@link TaskTimeoutException}.
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Duration timeout) {
        Objects.requireNonNull(function, "function");
        requirePositive(timeout);
        return watched(submit(new PoolJobs.Apply<T, R>(function, argument), "function", timeout), "applyAsync", function);
    }

    /**
     * Runs {@code function(argument)} and calls {@code callback} with its value or {@code errorCallback} with
     * its exception, in this JVM, on a library thread (Python's {@code callback} and {@code error_callback}).
     */
    public <T, R> AsyncResult<R> applyAsync(SerializableFunction<? super T, ? extends R> function, T argument,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(errorCallback, "errorCallback");
        AsyncResult<R> result = applyAsync(function, argument);
        result.toCompletableFuture().whenCompleteAsync((value, failure) -> {
            if (failure == null) {
                callback.accept(value);
            } else {
                errorCallback.accept(unwrap(failure));
            }
        }, LibraryThreads.events());
        return result;
    }

    // ---- map --------------------------------------------------------------------------------------------

    /** Applies {@code function} to every item, in parallel, and returns the results in order. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException {
        return this.<T, R>mapAsync(function, items).get();
    }

    /** As {@link #map(SerializableFunction, Iterable)}, sending items to workers {@code chunksize} at a time. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) throws InterruptedException {
        return this.<T, R>mapAsync(function, items, chunksize).get();
    }

    /**
     * {@link #map(SerializableFunction, Iterable)} without waiting. The items are read at once. The default
     * chunk size, as in Python, splits the items into about four chunks per worker: one item per chunk for
     * three items, 312,500 per chunk for ten million items on eight workers.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        List<T> list = toList(items);
        return this.<T, R>mapAsync(function, list, defaultChunksize(list.size()));
    }

    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        Objects.requireNonNull(function, "function");
        requireChunksize(chunksize);
        List<T> list = toList(items);
        return watched(submitChunks(list, chunksize, chunk -> PoolJobs.MapChunk.<T, R>of(function, chunk)), "map", function);
    }

    /** Python's {@code starmap}: {@code function(first, second)} for every pair, results in order. */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) throws InterruptedException {
        return this.<A, B, R>starmapAsync(function, pairs).get();
    }

    public <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Objects.requireNonNull(function, "function");
        List<PoolJobs.Pair<A, B>> list = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : Objects.requireNonNull(pairs, "pairs")) {
            list.add(new PoolJobs.Pair<>(pair.getKey(), pair.getValue()));
        }
        return watched(submitChunks(list, defaultChunksize(list.size()),
                chunk -> new PoolJobs.StarmapChunk<A, B, R>(function, new ArrayList<>(chunk))), "starmap", function);
    }

    /**
     * Lazy, ordered {@code map} (Python's {@code imap}): results are yielded in input order as they come,
     * and the input is read only as fast as results are consumed, so it may be huge or endless.
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, true);
    }

    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Stream<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, true);
    }

    /** Lazy, ordered {@code map} over an iterator, read only as results are consumed. */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function, Iterator<? extends T> items,
            int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items"), chunksize, true);
    }

    /** As {@link #imap}, but each result is yielded as soon as it is ready, whatever its input position. */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, false);
    }

    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Stream<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items").iterator(), chunksize, false);
    }

    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> items, int chunksize) {
        return lazyMap(function, Objects.requireNonNull(items, "items"), chunksize, false);
    }

    @SuppressWarnings("unchecked")
    private <T, R> ResultIterator<R> lazyMap(SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> source, int chunksize, boolean ordered) {
        Objects.requireNonNull(function, "function");
        requireChunksize(chunksize);
        if (core.isShutdown()) {
            throw new IllegalStateException("pool is closed: it accepts no new tasks");
        }
        return new ResultIterator<>(source, chunksize, 2 * core.size(), ordered,
                chunk -> submit(PoolJobs.MapChunk.<T, R>of(function, (List<T>) chunk), "map chunk", taskTimeout));
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
     */
    public void join() throws InterruptedException {
        requireShutdown();
        try {
            core.terminated().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("pool ended abnormally", e.getCause());
        }
    }

    /** Waits at most {@code timeout}; returns whether every worker has exited. */
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

    /** The number of workers the pool keeps. */
    public int processes() {
        return core.size();
    }

    /** The workers alive now, by name and pid. A replaced worker has a new pid. */
    public List<ProcessInfo> workers() {
        return core.workers();
    }

    // ---- plumbing shared with ProcessPoolExecutor -------------------------------------------------------

    /** Queues a job; the result is not watched by {@link FailureWatch} (see {@link #watched}). */
    @SuppressWarnings("unchecked")
    private <R> AsyncResult<R> submit(Job job, String what, Duration timeout) {
        PoolTask task = core.submit(job, what, timeout);
        CompletableFuture<R> result = (CompletableFuture<R>) (CompletableFuture<?>) task.result();
        return new AsyncResult<>(result, killIfRunning -> core.cancel(task, killIfRunning), "task", job);
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

    private <I, R> AsyncResult<List<R>> submitChunks(List<I> items, int chunksize,
            java.util.function.Function<List<I>, Job> jobForChunk) {
        List<AsyncResult<List<R>>> chunks = new ArrayList<>();
        try {
            for (int from = 0; from < items.size(); from += chunksize) {
                List<I> chunk = items.subList(from, Math.min(items.size(), from + chunksize));
                chunks.add(submit(jobForChunk.apply(chunk), "map chunk", taskTimeout));
            }
        } catch (RuntimeException e) {
            chunks.forEach(chunk -> chunk.cancel(false));
            throw e;
        }
        return combine(chunks, items.size());
    }

    /** All chunk results in order; the first failure fails the whole and cancels the chunks still queued. */
    private static <R> AsyncResult<List<R>> combine(List<AsyncResult<List<R>>> chunks, int size) {
        CompletableFuture<List<R>> whole = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(chunks.size());
        List<CompletableFuture<List<R>>> futures = chunks.stream().map(AsyncResult::future).toList();
        if (chunks.isEmpty()) {
            whole.complete(new ArrayList<>());
        }
        for (CompletableFuture<List<R>> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure != null) {
                    if (whole.completeExceptionally(unwrap(failure))) {
                        chunks.forEach(chunk -> chunk.cancel(false));
                    }
                } else if (remaining.decrementAndGet() == 0) {
                    List<R> results = new ArrayList<>(size);
                    futures.forEach(f -> results.addAll(f.join()));
                    whole.complete(results);
                }
            });
        }
        return new AsyncResult<>(whole, killIfRunning -> {
            boolean any = false;
            for (AsyncResult<List<R>> chunk : chunks) {
                any |= chunk.cancel(killIfRunning);
            }
            whole.cancel(false);
            return any;
        }, "map", null);
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

    private static <T> List<T> toList(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
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
     * Configures a pool. Defaults: {@link Multiprocessing#cpuCount()} workers, no initializer, no limit on
     * tasks per worker, no task timeout, {@link JvmOptions#defaults()}.
     */
    public static final class Builder {
        private int processes = Multiprocessing.cpuCount();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private Duration taskTimeout;
        private JvmOptions jvmOptions = JvmOptions.defaults();
        /** Where workers come from, one launcher per pool built; null for child JVMs of this one. */
        private java.util.function.Supplier<? extends WorkerLauncher> launchers;

        private Builder() {}

        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1 but was " + processes);
            }
            this.processes = processes;
            return this;
        }

        /** Run once in each worker before its first task (Python's {@code initializer}). */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /** Replace each worker after it ran this many tasks (or map chunks); 0 means never. */
        public Builder maxTasksPerChild(int maxTasks) {
            if (maxTasks < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more but was " + maxTasks);
            }
            this.maxTasksPerChild = maxTasks;
            return this;
        }

        /** Kill and replace a worker whose task (or map chunk) runs longer than this. */
        public Builder taskTimeout(Duration timeout) {
            requirePositive(timeout);
            this.taskTimeout = timeout;
            return this;
        }

        public Builder jvmOptions(JvmOptions options) {
            this.jvmOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Starts the workers. */
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
