package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.wire.Message;
import io.github.multiprocessing4j.internal.worker.Job;
import io.github.multiprocessing4j.internal.worker.JobCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's bookkeeping: a queue of tasks, a set of workers, and the rules that match them. Workers come
 * from a {@link WorkerLauncher} and time from a {@link Scheduler}, so these rules run the same against real
 * JVMs and against workers and a clock that a test drives in memory.
 *
 * <h2>Design</h2>
 * Each worker runs one task at a time; a task is sent to a worker only when that worker is idle, so at any
 * moment every running task has exactly one owner, and a worker's death fails exactly the task it held.
 *
 * <p>Events arrive on several threads: callers submit and cancel; each worker delivers its outcomes, its
 * connection and its exit on library threads; the scheduler fires task timeouts. Every event handler takes
 * {@link #lock}, updates the state below, and collects its side effects (launches, messages to send,
 * futures to complete, kills) into a list that runs after the lock is released, so no process start, no
 * socket write and no user callback ever runs while holding it. A launch decided under the lock is counted
 * in {@link #launching} until its worker is registered, so the pool never looks finished while one is on
 * its way.
 *
 * <h2>Worker life</h2>
 * launched → connected (→ initializer run, if any) → idle ⇄ busy → retiring (sent STOP after
 * {@code maxTasksPerChild} tasks, or when the pool closes) → exited. A worker that exits while the pool
 * still has work is replaced. A worker that fails to start (its JVM exited before connecting, or the
 * initializer threw or ended the JVM: anything before the worker is ready) counts as a start failure; when
 * every worker of a full round has failed to start in a row, the pool is broken: queued tasks fail with the {@link ProcessStartException} and new submissions
 * are refused with it, instead of relaunching forever as Python's pool does.
 *
 * <h2>Pool life</h2>
 * RUNNING → CLOSING ({@link #shutdown}: no new tasks; queued tasks still run; idle workers are stopped once
 * the queue is empty) → all workers exited; or any state → TERMINATED ({@link #terminate}: queued and
 * running tasks fail with {@link CancellationException}, workers are killed). {@link #terminated()}
 * completes when the last worker has exited after either.
 */
public final class PoolCore {
    private enum State { RUNNING, CLOSING, TERMINATED }

    private static final long INITIALIZER_TASK_ID = -1;
    private static final Message.Stop STOP = new Message.Stop();

    private final int size;
    private final WorkerLauncher launcher;
    private final Scheduler scheduler;
    private final byte[] initializer;
    private final int maxTasksPerChild;
    private final AtomicLong taskIds = new AtomicLong();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private final Object lock = new Object();
    /* Accessed only while holding lock. */
    private State state = State.RUNNING;
    private final ArrayDeque<PoolTask> queue = new ArrayDeque<>();
    private final Set<WorkerHandle> workers = new LinkedHashSet<>();
    private final ArrayDeque<WorkerHandle> idle = new ArrayDeque<>();
    /** Launches decided and not yet registered in {@link #workers}. */
    private int launching;
    private int consecutiveStartFailures;
    private ProcessStartException broken;

    /**
     * Launches {@code size} workers, all at once: each boots in parallel and the first one ready takes the
     * first task.
     *
     * @param initializer run once in each worker before its first task, or null
     * @param maxTasksPerChild tasks after which a worker is replaced, or 0 for no limit
     * @throws SerializationException if the initializer cannot be serialized; nothing is launched
     */
    public PoolCore(int size, WorkerLauncher launcher, Scheduler scheduler, SerializableRunnable initializer,
            int maxTasksPerChild) {
        this.size = size;
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.initializer = initializer == null ? null : JobCodec.encode(new PoolJobs.Initialize(initializer), "initializer");
        this.maxTasksPerChild = maxTasksPerChild;
        terminated.thenRunAsync(launcher::poolEnded, LibraryThreads.events());
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < size; i++) {
                launchWorker(after);
            }
        }
        after.forEach(Runnable::run);
    }

    /**
     * Queues a job. The job is encoded here, on the caller's thread, so a value that cannot be serialized
     * fails this call and nothing is queued.
     *
     * @param timeout how long the task may run once started, or null for no limit
     * @throws IllegalStateException if the pool was closed or terminated
     * @throws ProcessStartException if the pool is broken because its workers cannot start
     */
    public PoolTask submit(Job job, String what, Duration timeout) {
        return enqueue(new PoolTask(taskIds.incrementAndGet(), JobCodec.encode(job, what), timeout));
    }

    /**
     * Queues a job that arrives already encoded (by {@link JobCodec} in another JVM) and is passed on to a
     * worker as bytes, so this JVM never deserializes it. The task's result completes with the worker's
     * {@link Message.Outcome} itself, undecoded, or exceptionally as for {@link #submit} (the worker died,
     * timed out, was cancelled). A cluster member runs its clients' tasks this way.
     */
    public PoolTask submitEncoded(byte[] payload, Duration timeout) {
        return enqueue(new PoolTask(taskIds.incrementAndGet(), payload.clone(), timeout, true));
    }

    private PoolTask enqueue(PoolTask task) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new IllegalStateException("pool is " + (state == State.CLOSING ? "closed" : "terminated")
                        + ": it accepts no new tasks");
            }
            if (broken != null) {
                throw broken.rethrownHere();
            }
            queue.add(task);
            dispatch(after);
        }
        after.forEach(Runnable::run);
        return task;
    }

    /**
     * Cancels a task: a queued task is removed; a running one is killed with its worker if
     * {@code killIfRunning}, otherwise it runs on and its result is discarded.
     */
    public boolean cancel(PoolTask task, boolean killIfRunning) {
        WorkerHandle toKill = null;
        synchronized (lock) {
            if (task.result.isDone()) {
                return false;
            }
            if (task.worker == null) {
                queue.remove(task);
            } else if (killIfRunning) {
                toKill = task.worker;
                toKill.current = null;
                task.cancelTimer();
            }
        }
        boolean cancelled = task.result.cancel(false);
        if (toKill != null) {
            toKill.process.kill();
        }
        return cancelled;
    }

    /** Python's {@code close()}: accept no new tasks, finish the queued ones, then stop the workers. */
    public void shutdown() {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.CLOSING;
                dispatch(after);
                completeIfAllExited();
            }
        }
        after.forEach(Runnable::run);
    }

    /**
     * Kills every worker now; every unfinished task fails with {@link CancellationException}.
     *
     * @return the tasks that never started
     */
    public List<PoolTask> terminate() {
        List<PoolTask> unfinished = new ArrayList<>();
        List<PoolTask> neverStarted;
        List<WorkerHandle> toKill;
        synchronized (lock) {
            if (state == State.TERMINATED) {
                return List.of();
            }
            state = State.TERMINATED;
            neverStarted = List.copyOf(queue);
            unfinished.addAll(queue);
            queue.clear();
            for (WorkerHandle worker : workers) {
                if (worker.current != null) {
                    worker.current.cancelTimer();
                    unfinished.add(worker.current);
                    worker.current = null;
                }
            }
            idle.clear();
            toKill = List.copyOf(workers);
            completeIfAllExited();
        }
        for (PoolTask task : unfinished) {
            task.result.completeExceptionally(new CancellationException("pool was terminated before this task finished"));
        }
        toKill.forEach(worker -> worker.process.kill());
        return neverStarted;
    }

    /** Completes when every worker has exited after {@link #shutdown} or {@link #terminate}. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    public boolean isShutdown() {
        synchronized (lock) {
            return state != State.RUNNING;
        }
    }

    public int size() {
        return size;
    }

    /** The workers alive now (started, not yet exited). */
    public List<ProcessInfo> workers() {
        synchronized (lock) {
            return workers.stream().map(w -> new ProcessInfo(w.process.name(), w.process.pid())).toList();
        }
    }

    // ---- worker events ----------------------------------------------------------------------------------

    /** Holding lock: decides on one more worker; it is launched once the lock is released. */
    private void launchWorker(List<Runnable> after) {
        assert Thread.holdsLock(lock);
        launching++;
        after.add(this::launchNow);
    }

    /** Not holding lock: starts a worker decided on by {@link #launchWorker}, then registers it. */
    private void launchNow() {
        WorkerHandle worker;
        // Outcomes come only in answer to tasks, which are sent after the handle is registered below.
        WorkerHandle[] handle = new WorkerHandle[1];
        try {
            worker = new WorkerHandle(launcher.launch(Identity.nextWorkerName(), outcome -> onOutcome(handle[0], outcome)));
            handle[0] = worker;
        } catch (ProcessStartException e) {
            List<Runnable> after = new ArrayList<>();
            synchronized (lock) {
                launching--;
                broken = e;
                failQueue(e, after);
                completeIfAllExited();
            }
            after.forEach(Runnable::run);
            return;
        }
        boolean terminatedMeanwhile;
        synchronized (lock) {
            launching--;
            workers.add(worker);
            terminatedMeanwhile = state == State.TERMINATED;
        }
        if (terminatedMeanwhile) {
            worker.process.kill();
        }
        worker.process.connected().whenComplete((ignored, failure) -> {
            if (failure == null) {
                onConnected(worker);
            } else {
                onConnectFailed(worker, failure);
            }
        });
        worker.process.exited().thenAccept(rawExit -> onExit(worker, rawExit));
    }

    private void onConnected(WorkerHandle worker) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            if (!workers.contains(worker)) {
                return; // It died between connecting and this callback; its exit was handled already.
            }
            worker.connected = true;
            if (state == State.TERMINATED) {
                after.add(worker.process::kill);
            } else if (initializer != null) {
                after.add(() -> worker.process.send(new Message.Task(INITIALIZER_TASK_ID, initializer)));
            } else {
                becomeReady(worker, after);
            }
        }
        after.forEach(Runnable::run);
    }

    private void onConnectFailed(WorkerHandle worker, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof ProcessStartException e) {
            synchronized (lock) {
                worker.startFailure = e;
            }
        }
    }

    private void onOutcome(WorkerHandle worker, Message.Outcome outcome) {
        if (outcome.taskId() == INITIALIZER_TASK_ID) {
            onInitialized(worker, decode(outcome).error);
            return;
        }
        List<Runnable> after = new ArrayList<>();
        PoolTask task;
        synchronized (lock) {
            task = worker.current;
            if (task == null || task.id != outcome.taskId()) {
                return;
            }
            worker.current = null;
            task.worker = null;
            task.cancelTimer();
            worker.tasksDone++;
            if (maxTasksPerChild > 0 && worker.tasksDone >= maxTasksPerChild) {
                retire(worker, after);
            } else if (state != State.TERMINATED) {
                idle.add(worker);
            }
            dispatch(after);
        }
        if (task.raw) {
            task.result.complete(outcome);
        } else {
            Decoded decoded = decode(outcome);
            if (decoded.error == null) {
                task.result.complete(decoded.value);
            } else {
                task.result.completeExceptionally(decoded.error);
            }
        }
        after.forEach(Runnable::run);
    }

    private record Decoded(Object value, Throwable error) {}

    /** Not holding lock: the outcome's value or exception, decoded in this JVM. */
    private static Decoded decode(Message.Outcome outcome) {
        try {
            return outcome.success() ? new Decoded(Codec.decode(outcome.payload()), null)
                    : new Decoded(null, ThrowableTransport.decode(outcome.payload()));
        } catch (SerializationException e) {
            return new Decoded(null, e);
        }
    }

    private void onInitialized(WorkerHandle worker, Throwable error) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            if (error != null) {
                worker.initializerFailure = error;
                after.add(worker.process::kill);
            } else if (state != State.TERMINATED && workers.contains(worker)) {
                becomeReady(worker, after);
            }
        }
        after.forEach(Runnable::run);
    }

    private void onExit(WorkerHandle worker, int rawExit) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            workers.remove(worker);
            idle.remove(worker);
            int exitCode = ChildProcess.pythonExitCode(rawExit, false);
            PoolTask task = worker.current;
            if (task != null) {
                worker.current = null;
                task.cancelTimer();
                WorkerDiedException died = new WorkerDiedException(worker.process.name(), worker.process.pid(), exitCode,
                        worker.process.stderrTail());
                after.add(() -> task.result.completeExceptionally(died));
            }
            if (state != State.TERMINATED) {
                ProcessStartException startFailure = startFailure(worker, exitCode);
                if (startFailure != null) {
                    if (++consecutiveStartFailures >= size) {
                        broken = startFailure;
                        failQueue(startFailure, after);
                    } else {
                        launchWorker(after);
                    }
                } else if (state == State.RUNNING || !queue.isEmpty()) {
                    launchWorker(after);
                }
            }
            completeIfAllExited();
        }
        after.forEach(Runnable::run);
    }

    /** Holding lock: the worker connected and ran the initializer; from now on it takes tasks. */
    private void becomeReady(WorkerHandle worker, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        worker.ready = true;
        consecutiveStartFailures = 0;
        idle.add(worker);
        dispatch(after);
    }

    /** Holding lock: why this worker never became ready, or null if it did. */
    private ProcessStartException startFailure(WorkerHandle worker, int exitCode) {
        assert Thread.holdsLock(lock);
        if (worker.ready) {
            return null;
        }
        if (worker.initializerFailure != null) {
            return new ProcessStartException(worker.process.name(), "failed in the pool's initializer: "
                    + worker.initializerFailure, exitCode, worker.process.stderrTail(), worker.initializerFailure);
        }
        if (worker.connected) {
            return new ProcessStartException(worker.process.name(), "exited while running the pool's initializer",
                    exitCode, worker.process.stderrTail());
        }
        return worker.startFailure != null ? worker.startFailure : new ProcessStartException(worker.process.name(),
                "exited before connecting", exitCode, worker.process.stderrTail());
    }

    // ---- helpers, all holding lock ----------------------------------------------------------------------

    /** Matches queued tasks with idle workers; once closing with nothing queued, stops the idle workers. */
    private void dispatch(List<Runnable> after) {
        assert Thread.holdsLock(lock);
        while (!idle.isEmpty() && !queue.isEmpty()) {
            PoolTask task = queue.poll();
            if (task.result.isDone()) {
                continue;
            }
            WorkerHandle worker = idle.poll();
            worker.current = task;
            task.worker = worker;
            if (task.timeout != null) {
                task.timer = scheduler.schedule(() -> onTimeout(task, worker), task.timeout.toNanos());
            }
            after.add(() -> worker.process.send(new Message.Task(task.id, task.payload)));
        }
        if (state == State.CLOSING && queue.isEmpty()) {
            while (!idle.isEmpty()) {
                retire(idle.poll(), after);
            }
        }
    }

    private void retire(WorkerHandle worker, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        after.add(() -> worker.process.send(STOP));
    }

    private void onTimeout(PoolTask task, WorkerHandle worker) {
        synchronized (lock) {
            if (worker.current != task) {
                return;
            }
            worker.current = null;
            task.timer = null;
        }
        task.result.completeExceptionally(new TaskTimeoutException(worker.process.name(), worker.process.pid(), task.timeout));
        worker.process.kill();
    }

    private void failQueue(ProcessStartException cause, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        List<PoolTask> failed = new ArrayList<>(queue);
        queue.clear();
        after.add(() -> failed.forEach(task -> task.result.completeExceptionally(cause.rethrownHere())));
    }

    private void completeIfAllExited() {
        assert Thread.holdsLock(lock);
        if (state != State.RUNNING && workers.isEmpty() && launching == 0) {
            terminated.complete(null);
        }
    }
}
