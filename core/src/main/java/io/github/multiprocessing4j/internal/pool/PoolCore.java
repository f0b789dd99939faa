package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.PoolStats;
import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.launch.ChildSide;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.wire.Message;
import io.github.multiprocessing4j.internal.worker.FunctionJobs;
import io.github.multiprocessing4j.internal.worker.Job;
import io.github.multiprocessing4j.internal.worker.JobCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
 * <p>Events arrive on several threads: callers submit and cancel; each worker delivers its outcomes (one at
 * a time, on a library thread or on a caller's thread waiting in {@link #awaitHere}), its connection and its
 * exit on library threads; the scheduler fires task timeouts. Every event handler takes
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
 * are refused with it, instead of relaunching forever as Python's pool does. A worker that could not
 * connect back ({@link ChildSide#CANNOT_CONNECT}: its parent's socket refused or dropped it, as under a flood
 * of connections) failed for a reason outside itself: it does not count towards breaking the pool, and is
 * relaunched after a back-off that doubles from {@link #RETRY_FIRST_NANOS} up to {@link #RETRY_MAX_NANOS},
 * so the pool recovers once the cause is gone.
 *
 * <h2>Pool life</h2>
 * RUNNING → CLOSING ({@link #shutdown}: no new tasks; queued tasks still run; idle workers are stopped once
 * the queue is empty) → all workers exited; or any state → TERMINATED ({@link #terminate}: queued and
 * running tasks fail with {@link CancellationException}, workers are killed). {@link #terminated()}
 * completes when the last worker has exited after either.
 *
 * <h2>What it shows</h2>
 * The counters behind {@link #stats()} (tasks by outcome, workers started and died, each worker's tasks,
 * busy time and start-up time) are updated under {@link #lock} by the same handlers, with time from the
 * {@link Scheduler}. Log lines and JFR events go through {@link PoolEvents}: JFR events may be committed
 * under the lock (they run no user code), log lines only after it. A worker's exit is a death unless the pool
 * asked for it ({@link WorkerHandle#stopping}: STOP sent, or killed for a timeout, a cancel or terminate).
 */
public final class PoolCore {
    private enum State { RUNNING, CLOSING, TERMINATED }

    /** The first delay before relaunching a worker that could not connect back; it doubles after each. */
    static final long RETRY_FIRST_NANOS = 50_000_000L;
    static final long RETRY_MAX_NANOS = 5_000_000_000L;
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
    /** Workers in a row that could not connect back; sets the back-off of the next relaunch. */
    private int connectFailures;
    /** Relaunches waiting for their back-off; terminate() does not wait for them. */
    private int relaunchesWaiting;
    private ProcessStartException broken;
    /** For {@link #stats()}: tasks by how they ended, workers that became ready, workers that died. */
    private long completed;
    private long failed;
    private long cancelled;
    private long workersStarted;
    private long workersDied;

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
                launchWorker(after, null);
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
        return enqueue(new PoolTask(taskIds.incrementAndGet(), what, JobCodec.encode(job, what), timeout));
    }

    /**
     * Queues a job that arrives already encoded (by {@link JobCodec} in another JVM) and is passed on to a
     * worker as bytes, so this JVM never deserializes it. The task's result completes with the worker's
     * {@link Message.Outcome} itself, undecoded, or exceptionally as for {@link #submit} (the worker died,
     * timed out, was cancelled). A cluster member runs its clients' tasks this way.
     */
    public PoolTask submitEncoded(byte[] payload, Duration timeout) {
        return enqueue(new PoolTask(taskIds.incrementAndGet(), "encoded task", payload.clone(), null, timeout, true, false));
    }

    /**
     * Queues a job whose function travels apart ({@link FunctionJobs}): a worker is sent the function only
     * if it does not keep it already. Encoded on the caller's thread, as for {@link #submit}.
     *
     * @param valueUndecoded whether the result completes with the value's encoding (a {@code byte[]} for
     *        {@link io.github.multiprocessing4j.internal.codec.CompactLists#addAll}) rather than the value
     */
    public PoolTask submit(FunctionJobs.Encoded job, String what, Duration timeout, boolean valueUndecoded) {
        return enqueue(new PoolTask(taskIds.incrementAndGet(), what, job.body(), job.function(), timeout, false, valueUndecoded));
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
            PoolEvents.taskSubmitted(task);
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
                if (queue.remove(task)) {
                    cancelled++;
                }
            } else if (killIfRunning) {
                toKill = task.worker;
                toKill.current = null;
                toKill.stopping = true;
                task.cancelTimer();
                endTask(toKill, task);
                cancelled++;
                PoolEvents.taskFinished(task, toKill.process.name(), toKill.process.pid(), "cancelled", 0);
            }
        }
        boolean cancelled = task.result.cancel(false);
        if (toKill != null) {
            toKill.process.kill(DeathCause.Kind.KILLED_ON_CANCEL);
        }
        return cancelled;
    }

    /**
     * Waits on the calling thread, at most {@code timeoutNanos}, for a task that a worker runs, reading the
     * worker's outcome here when the worker allows it ({@link WorkerLauncher.Worker#awaitOutcome}); returns
     * at once for a task that is queued or done. The caller then takes the result from the task's future.
     *
     * @throws InterruptedException if the calling thread is interrupted meanwhile; the task goes on
     */
    public void awaitHere(PoolTask task, long timeoutNanos) throws InterruptedException {
        WorkerHandle worker;
        synchronized (lock) {
            worker = task.worker;
        }
        if (worker != null && !task.result.isDone()) {
            worker.process.awaitOutcome(task.result, timeoutNanos);
        }
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
                worker.stopping = true;
                if (worker.current != null) {
                    worker.current.cancelTimer();
                    endTask(worker, worker.current);
                    PoolEvents.taskFinished(worker.current, worker.process.name(), worker.process.pid(), "cancelled", 0);
                    unfinished.add(worker.current);
                    worker.current = null;
                }
            }
            cancelled += unfinished.size();
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

    /** Tasks queued or running now: those an exit of this JVM would drop. */
    public int unfinished() {
        synchronized (lock) {
            return queue.size() + (int) workers.stream().filter(w -> w.current != null).count();
        }
    }

    /** The workers alive now (started, not yet exited). */
    public List<ProcessInfo> workers() {
        synchronized (lock) {
            return workers.stream().map(w -> new ProcessInfo(w.process.name(), w.process.pid())).toList();
        }
    }

    /** What the pool has done and is doing now; see {@link PoolStats}. */
    public PoolStats stats() {
        synchronized (lock) {
            long now = scheduler.nanoTime();
            List<PoolStats.Worker> live = new ArrayList<>();
            int running = 0;
            for (WorkerHandle worker : workers) {
                PoolTask task = worker.current;
                Duration current = task == null ? Duration.ZERO : Duration.ofNanos(now - task.startedAt);
                running += task == null ? 0 : 1;
                live.add(new PoolStats.Worker(worker.process.name(), worker.process.pid(), worker.tasksDone,
                        Duration.ofNanos(worker.busyNanos).plus(current),
                        worker.startupNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(worker.startupNanos)),
                        task == null ? Optional.empty() : Optional.of(new PoolStats.RunningTask(task.id, task.kind, current))));
            }
            return new PoolStats(size, queue.size(), running, completed, failed, cancelled, workersStarted, workersDied, live);
        }
    }

    // ---- worker events ----------------------------------------------------------------------------------

    /**
     * Holding lock: decides on one more worker; it is launched once the lock is released.
     *
     * @param replacing the name of the worker it replaces, or null
     */
    private void launchWorker(List<Runnable> after, String replacing) {
        assert Thread.holdsLock(lock);
        launching++;
        after.add(() -> launchNow(replacing));
    }

    /** Holding lock: as {@link #launchWorker}, after {@code delayNanos}, unless the pool is terminated by then. */
    private void launchWorkerAfter(long delayNanos, List<Runnable> after, String replacing) {
        assert Thread.holdsLock(lock);
        relaunchesWaiting++;
        after.add(() -> scheduler.schedule(() -> {
            synchronized (lock) {
                relaunchesWaiting--;
                if (state == State.TERMINATED) {
                    return;
                }
                launching++;
            }
            launchNow(replacing);
        }, delayNanos));
    }

    /** Holding lock: whether the worker ended before connecting because it could not reach this process. */
    private boolean couldNotConnect(WorkerHandle worker, int exitCode) {
        assert Thread.holdsLock(lock);
        return !worker.connected && exitCode == ChildSide.CANNOT_CONNECT;
    }

    /** Not holding lock: starts a worker decided on by {@link #launchWorker}, then registers it. */
    private void launchNow(String replacing) {
        WorkerHandle worker;
        // Outcomes come only in answer to tasks, which are sent after the handle is registered below.
        WorkerHandle[] handle = new WorkerHandle[1];
        long launchedAt = scheduler.nanoTime();
        PoolEvents.WorkerStarted startEvent = PoolEvents.launching();
        try {
            worker = new WorkerHandle(launcher.launch(Identity.nextWorkerName(), outcome -> onOutcome(handle[0], outcome)),
                    replacing, launchedAt, startEvent);
            handle[0] = worker;
        } catch (ProcessStartException e) {
            List<Runnable> after = new ArrayList<>();
            synchronized (lock) {
                launching--;
                broken = e;
                int queued = queue.size();
                after.add(() -> PoolEvents.poolBroken(1, e, queued));
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
            endTask(worker, task);
            worker.tasksDone++;
            if (maxTasksPerChild > 0 && worker.tasksDone >= maxTasksPerChild) {
                retire(worker, after);
            } else if (state != State.TERMINATED) {
                idle.add(worker);
            }
            dispatch(after);
        }
        // Decoded outside the lock; a raw task (a cluster member's) is never decoded in this JVM.
        Decoded decoded = task.raw ? null : task.valueUndecoded && outcome.success()
                ? new Decoded(outcome.payload(), null) : decode(outcome);
        boolean succeeded = task.raw ? outcome.success() : decoded.error == null;
        synchronized (lock) {
            if (task.result.isCancelled()) {
                cancelled++;
            } else if (succeeded) {
                completed++;
            } else {
                failed++;
            }
            PoolEvents.taskFinished(task, worker.process.name(), worker.process.pid(),
                    task.result.isCancelled() ? "cancelled" : succeeded ? "completed" : "failed", outcome.payload().length);
        }
        if (task.raw) {
            task.result.complete(outcome);
        } else if (succeeded) {
            task.result.complete(decoded.value);
        } else {
            task.result.completeExceptionally(decoded.error);
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
        DeathCause cause = worker.process.deathCause(rawExit);
        synchronized (lock) {
            workers.remove(worker);
            idle.remove(worker);
            int exitCode = ChildProcess.pythonExitCode(rawExit, false);
            PoolTask task = worker.current;
            boolean expected = worker.stopping || state == State.TERMINATED;
            boolean replaced = false;
            ProcessStartException startFailure = null;
            if (task != null) {
                worker.current = null;
                task.cancelTimer();
                endTask(worker, task);
                failed++;
                WorkerDiedException died = new WorkerDiedException(worker.process.name(), worker.process.pid(),
                        cause, worker.process.stderrTail(), worker.process.crashReport());
                after.add(() -> task.result.completeExceptionally(died));
            }
            if (state != State.TERMINATED) {
                startFailure = startFailure(worker, exitCode);
                if (startFailure != null && couldNotConnect(worker, exitCode)) {
                    long delay = Math.min(RETRY_MAX_NANOS, RETRY_FIRST_NANOS << Math.min(20, connectFailures++));
                    launchWorkerAfter(delay, after, worker.process.name());
                    replaced = true;
                } else if (startFailure != null) {
                    if (++consecutiveStartFailures >= size) {
                        broken = startFailure;
                        int failures = consecutiveStartFailures;
                        int queued = queue.size();
                        ProcessStartException brokenBy = startFailure;
                        after.add(() -> PoolEvents.poolBroken(failures, brokenBy, queued));
                        failQueue(startFailure, after);
                    } else {
                        launchWorker(after, worker.process.name());
                        replaced = true;
                    }
                } else if (state == State.RUNNING || !queue.isEmpty()) {
                    launchWorker(after, worker.process.name());
                    replaced = true;
                }
            }
            if (!expected && startFailure == null) {
                workersDied++;
            }
            String whyNotStarted = startFailure == null ? null : startFailure.getMessage();
            boolean replacedToo = replaced;
            after.add(0, () -> PoolEvents.workerExited(worker, cause, expected, task, whyNotStarted, replacedToo));
            completeIfAllExited();
        }
        after.forEach(Runnable::run);
    }

    /** Holding lock: the worker connected and ran the initializer; from now on it takes tasks. */
    private void becomeReady(WorkerHandle worker, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        worker.ready = true;
        worker.startupNanos = scheduler.nanoTime() - worker.launchedAt;
        workersStarted++;
        long startup = worker.startupNanos;
        after.add(() -> PoolEvents.workerReady(worker, startup));
        consecutiveStartFailures = 0;
        connectFailures = 0;
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
            task.startedAt = scheduler.nanoTime();
            PoolEvents.taskStarted(task, worker);
            if (task.timeout != null) {
                task.timer = scheduler.schedule(() -> onTimeout(task, worker), task.timeout.toNanos());
            }
            boolean keepsFunction = workerKeepsFunction(worker, task);
            after.add(() -> worker.process.sendTask(new Message.Task(task.id, task.payloadFor(keepsFunction)), task.timeout));
        }
        if (state == State.CLOSING && queue.isEmpty()) {
            while (!idle.isEmpty()) {
                retire(idle.poll(), after);
            }
        }
    }

    /**
     * Holding lock: whether {@code worker} keeps the function of {@code task}, which it is about to be sent;
     * updates the worker's ledger as the worker will update its cache on receiving the task.
     */
    private boolean workerKeepsFunction(WorkerHandle worker, PoolTask task) {
        assert Thread.holdsLock(lock);
        if (worker.functions == null) {
            return false;
        }
        if (task.raw) {
            worker.functions = null;
            return false;
        }
        if (task.function == null) {
            return false;
        }
        if (worker.functions.lookUp(task.function.id()) != null) {
            return true;
        }
        worker.functions.keep(task.function.id(), Boolean.TRUE, task.function.bytes().length);
        return false;
    }

    private void retire(WorkerHandle worker, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        worker.stopping = true;
        after.add(() -> worker.process.send(STOP));
    }

    private void onTimeout(PoolTask task, WorkerHandle worker) {
        synchronized (lock) {
            if (worker.current != task) {
                return;
            }
            worker.current = null;
            task.timer = null;
            worker.stopping = true;
            endTask(worker, task);
            failed++;
        }
        PoolEvents.taskTimedOut(task, worker);
        // The worker is not idle, so it gets no task while its thread dump is taken (bounded by the worker).
        worker.process.threadDump().whenComplete((dump, failure) -> {
            task.result.completeExceptionally(new TaskTimeoutException(worker.process.name(), worker.process.pid(),
                    task.timeout, dump == null ? List.of() : dump));
            worker.process.kill(DeathCause.Kind.KILLED_ON_TIMEOUT);
        });
    }

    private void failQueue(ProcessStartException cause, List<Runnable> after) {
        assert Thread.holdsLock(lock);
        List<PoolTask> failedTasks = new ArrayList<>(queue);
        queue.clear();
        failed += failedTasks.size();
        // Each reader gets its own copy with its own stack (AsyncResult.get calls rethrownHere()).
        after.add(() -> failedTasks.forEach(task -> task.result.completeExceptionally(cause)));
    }

    /** Holding lock: adds the time {@code task} ran to its worker's busy time. */
    private void endTask(WorkerHandle worker, PoolTask task) {
        assert Thread.holdsLock(lock);
        worker.busyNanos += scheduler.nanoTime() - task.startedAt;
    }

    private void completeIfAllExited() {
        assert Thread.holdsLock(lock);
        if (state != State.RUNNING && workers.isEmpty() && launching == 0
                && (relaunchesWaiting == 0 || state == State.TERMINATED)) {
            terminated.complete(null);
        }
    }
}
