package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.pool.PoolCore;
import io.github.multiprocessing4j.internal.pool.PoolJobs;
import io.github.multiprocessing4j.internal.pool.PoolTask;
import io.github.multiprocessing4j.internal.worker.Job;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ExecutorService} whose tasks run in worker JVMs, over the same machinery as {@link Pool}: drop it
 * into code written against {@code java.util.concurrent} (Python's
 * {@code concurrent.futures.ProcessPoolExecutor}).
 *
 * <pre>{@code
 * try (var executor = new ProcessPoolExecutor(2)) {
 *     Future<Long> pid = executor.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid());
 * }
 * }</pre>
 *
 * <p>Tasks cross to another JVM, so they must be {@link Serializable}: use {@link SerializableCallable}, or
 * cast a lambda, {@code (Callable<T> & Serializable) () -> ...}. A task that is not is refused with a
 * {@link SerializationException} saying so. Futures follow the {@link Future} contract:
 * {@link Future#get()} wraps the task's exception (the original type, with the worker's stack trace) in an
 * {@link ExecutionException}; {@code cancel(true)} kills the worker running the task, which is replaced.
 * Submissions after shutdown are refused with {@link RejectedExecutionException}.
 *
 * <h2>With {@link CompletableFuture}</h2>
 * {@code CompletableFuture.supplyAsync(supplier, executor)} does not work with this executor: it hands the
 * executor a task of its own that holds the {@code CompletableFuture} to complete, and that cannot cross to
 * another JVM (it is refused, with a message pointing here). Use {@link #supplyAsync} and
 * {@link #runAsync} instead, which return a {@code CompletableFuture} that the worker's outcome completes:
 * <pre>{@code
 * CompletableFuture<Long> pid = executor.supplyAsync(() -> ProcessHandle.current().pid());
 * pid.thenAccept(System.out::println);
 * }</pre>
 *
 * <h2>Comparison with Python's {@code concurrent.futures.ProcessPoolExecutor}</h2>
 * <ul>
 * <li>A worker that dies fails only the future of the task it ran ({@link WorkerDiedException} as the
 *     cause); Python marks the whole executor broken ({@code BrokenProcessPool}).</li>
 * <li>{@code cancel(true)} stops a running task by killing its worker, which is replaced; Python cannot
 *     cancel a running task.</li>
 * <li>There is no {@code map}: use {@link Pool#map} or {@link Pool#imap}.</li>
 * <li>Tasks are plain {@code Runnable}/{@code Callable}s that are also {@code Serializable};
 *     {@link SerializableRunnable} (whose {@code run} may throw) is not a {@code java.lang.Runnable}.</li>
 * </ul>
 */
public final class ProcessPoolExecutor implements ExecutorService, AutoCloseable {
    private final Pool pool;
    private final PoolCore core;
    /** Tasks submitted and not yet ended, with what the user gave, for {@link #shutdownNow()}. */
    private final Map<PoolTask, Runnable> pending = new ConcurrentHashMap<>();

    /**
     * An executor over a pool of {@code processes} workers, with {@link Pool.Builder}'s other defaults
     * (Python's {@code ProcessPoolExecutor(max_workers)}).
     *
     * @param processes the number of workers, at least 1
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public ProcessPoolExecutor(int processes) {
        this(Pool.builder().processes(processes));
    }

    /**
     * An executor over a pool configured by {@code builder} (initializer, JVM options, timeouts, …).
     *
     * @param builder the pool's configuration; the executor builds the pool at once
     */
    public ProcessPoolExecutor(Pool.Builder builder) {
        this.pool = Objects.requireNonNull(builder, "builder").build();
        this.core = pool.core();
    }

    @Override
    public void execute(Runnable command) {
        requireSerializable(command, "command");
        PoolTask task = submitJob(new PoolJobs.RunRunnable(command), command);
        task.result().whenComplete((value, failure) -> {
            if (failure != null && !(failure instanceof CancellationException)) {
                System.err.println("Exception in a task given to ProcessPoolExecutor.execute:");
                failure.printStackTrace();
            }
        });
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        requireSerializable(task, "task");
        return new TaskFuture<>(submitJob(new PoolJobs.Call<>(task), new FutureTask<>(task)));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        requireSerializable(task, "task");
        return new TaskFuture<>(submitJob(new PoolJobs.RunRunnable(task), task))
                .withResult(result);
    }

    /**
     * Runs {@code task} in a worker and returns a {@link CompletableFuture} of its value: what
     * {@code CompletableFuture.supplyAsync(task, executor)} would do if the task could cross processes. The
     * future fails with the task's own exception (original type, worker's stack trace), not wrapped. Its
     * dependent actions run on a library thread. Cancelling it does not stop the task: use
     * {@link #submit(Callable)} and {@code cancel(true)} to kill a running task.
     *
     * @param <T> the type of the value
     * @param task run in a worker; serialized with what it captures
     * @return a new future of the task's value
     * @throws RejectedExecutionException after shutdown
     * @throws SerializationException if {@code task} cannot be sent
     */
    public <T> CompletableFuture<T> supplyAsync(SerializableCallable<T> task) {
        Objects.requireNonNull(task, "task");
        TaskFuture<T> future = new TaskFuture<>(submitJob(new PoolJobs.Call<>(task), new FutureTask<>(task)));
        return AsyncResult.completedOnALibraryThread(future.result());
    }

    /**
     * {@link #supplyAsync} for a task without a value: {@code CompletableFuture.runAsync(task, executor)}.
     *
     * @param task run in a worker; serialized with what it captures
     * @return a new future, completed with null when the task returns
     * @throws RejectedExecutionException after shutdown
     * @throws SerializationException if {@code task} cannot be sent
     */
    public CompletableFuture<Void> runAsync(SerializableRunnable task) {
        Objects.requireNonNull(task, "task");
        SerializableCallable<Void> call = () -> {
            task.run();
            return null;
        };
        return supplyAsync(call);
    }

    private PoolTask submitJob(Job job, Runnable original) {
        PoolTask task;
        try {
            task = core.submit(job, "task", pool.taskTimeout());
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException("executor has been shut down", e);
        } catch (ProcessStartException e) {
            throw new RejectedExecutionException("the workers cannot start, so no task can run: " + e.getMessage(), e);
        }
        pending.put(task, original);
        task.result().whenComplete((value, failure) -> pending.remove(task));
        return task;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException | CancellationException e) {
                    // Reported through the future itself.
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // Reported through the future itself.
                } catch (TimeoutException e) {
                    futures.forEach(f -> f.cancel(true));
                    break;
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot time out without a timeout", e);
        }
    }

    /** Returns the first task to succeed; the others are cancelled, their workers killed and replaced. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<Future<T>> futures = submitAll(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (Future<T> future : futures) {
            ((TaskFuture<T>) future).result().whenComplete((value, failure) -> {
                if (failure == null) {
                    first.complete(value);
                } else if (failures.incrementAndGet() == futures.size()) {
                    // get() must report ExecutionException, also when every task was cancelled.
                    first.completeExceptionally(failure instanceof CancellationException
                            ? new MultiprocessingException("every task was cancelled", failure) : failure);
                }
            });
        }
        try {
            return first.get(timeout, unit);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /** Kills the workers; returns the tasks that never started (callables wrapped in a {@link FutureTask}). */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverStarted = new ArrayList<>();
        Map<PoolTask, Runnable> submitted = Map.copyOf(pending);
        for (PoolTask task : core.terminate()) {
            Runnable original = submitted.get(task);
            if (original != null) {
                neverStarted.add(original);
            }
        }
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        return core.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return core.terminated().isDone();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            core.terminated().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("pool ended abnormally", e.getCause());
        }
    }

    /** Shuts down and waits for the submitted tasks to finish, as Java 19's {@code ExecutorService.close()}. */
    @Override
    public void close() {
        pool.close();
    }

    private static void requireSerializable(Object task, String name) {
        Objects.requireNonNull(task, name);
        if (task.getClass().getName().startsWith(CompletableFuture.class.getName() + "$")) {
            throw new SerializationException(name + " of type " + task.getClass().getName() + " is CompletableFuture's"
                    + " own task, which holds the future to complete and cannot be sent to another JVM: "
                    + "CompletableFuture.supplyAsync(task, executor) and runAsync(task, executor) cannot use a"
                    + " ProcessPoolExecutor. Use executor.supplyAsync(task) or executor.runAsync(task), which return"
                    + " a CompletableFuture.");
        }
        if (!(task instanceof Serializable)) {
            throw new SerializationException(name + " of type " + task.getClass().getName() + " is not Serializable, "
                    + "but a ProcessPoolExecutor sends every task to another JVM. Use SerializableCallable, or cast "
                    + "the lambda: (Callable<T> & Serializable) () -> ...");
        }
    }

    /** A {@link Future} over a pool task; {@code cancel(true)} kills the worker running it. */
    private final class TaskFuture<T> implements Future<T> {
        private final PoolTask task;
        private final CompletableFuture<T> result;

        @SuppressWarnings("unchecked")
        TaskFuture(PoolTask task) {
            this.task = task;
            this.result = (CompletableFuture<T>) (CompletableFuture<?>) task.result();
        }

        private TaskFuture(PoolTask task, CompletableFuture<T> result) {
            this.task = task;
            this.result = result;
        }

        <U> TaskFuture<U> withResult(U value) {
            return new TaskFuture<>(task, result.thenApply(ignored -> value));
        }

        CompletableFuture<T> result() {
            return result;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return core.cancel(task, mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return task.result().isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        /** The contract: a cancelled task's get() throws CancellationException, not ExecutionException. */
        @Override
        public T get() throws InterruptedException, ExecutionException {
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw cancellationOr(e);
            }
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            try {
                return result.get(timeout, unit);
            } catch (ExecutionException e) {
                throw cancellationOr(e);
            }
        }

        private ExecutionException cancellationOr(ExecutionException e) {
            if (e.getCause() instanceof CancellationException cancelled) {
                throw cancelled;
            }
            return e;
        }
    }
}
