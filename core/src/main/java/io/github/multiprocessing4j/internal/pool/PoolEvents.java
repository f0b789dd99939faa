package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.internal.runtime.Log;
import java.lang.System.Logger.Level;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Where a pool reports what it does: one {@link System.Logger} line per abnormal event ({@link Log#POOL})
 * and JFR events for every task and worker, so a recording ({@code -XX:StartFlightRecording}, JDK Mission
 * Control, {@code jfr print --categories multiprocessing4j}) shows where the time went.
 *
 * <table>
 * <caption>What is reported</caption>
 * <tr><th>event</th><th>log level</th><th>JFR event</th></tr>
 * <tr><td>worker ready (launch to ready)</td><td>DEBUG</td><td>{@code multiprocessing4j.WorkerStarted}, with duration</td></tr>
 * <tr><td>worker failed to start</td><td>WARNING</td><td>{@code multiprocessing4j.WorkerExited}</td></tr>
 * <tr><td>worker died (with cause), replaced</td><td>WARNING</td><td>{@code multiprocessing4j.WorkerExited}</td></tr>
 * <tr><td>worker stopped or killed by the pool</td><td>DEBUG</td><td>{@code multiprocessing4j.WorkerExited}</td></tr>
 * <tr><td>task submitted, started</td><td>none</td><td>{@code multiprocessing4j.TaskSubmitted}, {@code TaskStarted}</td></tr>
 * <tr><td>task finished (sent to outcome)</td><td>none</td><td>{@code multiprocessing4j.TaskFinished}, with duration</td></tr>
 * <tr><td>task timed out</td><td>WARNING</td><td>{@code multiprocessing4j.TaskFinished}</td></tr>
 * <tr><td>pool broken</td><td>ERROR</td><td>none</td></tr>
 * </table>
 *
 * <p>Every method is called by {@link PoolCore} after it released its lock, so no logging framework runs
 * while the pool's state is locked. JFR events cost next to nothing while no recording is on.
 */
final class PoolEvents {
    private PoolEvents() {}

    static void taskSubmitted(PoolTask task) {
        TaskSubmitted event = new TaskSubmitted();
        if (event.shouldCommit()) {
            event.taskId = task.id;
            event.kind = task.kind;
            event.bytesIn = task.payload.length;
            event.commit();
        }
    }

    /** The task was sent to its worker; its {@link TaskFinished} event starts now. */
    static void taskStarted(PoolTask task, WorkerHandle worker) {
        TaskStarted event = new TaskStarted();
        if (event.shouldCommit()) {
            event.taskId = task.id;
            event.kind = task.kind;
            event.worker = worker.process.name();
            event.pid = worker.process.pid();
            event.commit();
        }
        TaskFinished finished = new TaskFinished();
        finished.begin();
        task.finishedEvent = finished;
    }

    /**
     * The task ended while running on {@code worker}.
     *
     * @param outcome {@code completed}, {@code failed}, {@code worker died}, {@code timed out} or {@code cancelled}
     * @param bytesOut the size of the encoded result, or 0 when there was none
     */
    static void taskFinished(PoolTask task, String workerName, long pid, String outcome, long bytesOut) {
        TaskFinished event = task.finishedEvent;
        if (event == null) {
            return;
        }
        task.finishedEvent = null;
        event.end();
        if (event.shouldCommit()) {
            event.taskId = task.id;
            event.kind = task.kind;
            event.worker = workerName;
            event.pid = pid;
            event.bytesIn = task.payload.length;
            event.bytesOut = bytesOut;
            event.outcome = outcome;
            event.commit();
        }
    }

    static void taskTimedOut(PoolTask task, WorkerHandle worker) {
        Log.pool().log(Level.WARNING, () -> "task " + task.id + " (" + task.kind + ") timed out after "
                + task.timeout.toMillis() + " ms on " + worker + "; killing the worker");
        taskFinished(task, worker.process.name(), worker.process.pid(), "timed out", 0);
    }

    /** The worker is ready for tasks; {@code replacing} is the worker it replaces, or null. */
    static void workerReady(WorkerHandle worker, long startupNanos) {
        Log.pool().log(Level.DEBUG, () -> worker + " started in " + startupNanos / 1_000_000 + " ms"
                + (worker.replacing == null ? "" : ", replacing " + worker.replacing));
        WorkerStarted event = worker.startEvent;
        worker.startEvent = null;
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.worker = worker.process.name();
                event.pid = worker.process.pid();
                event.replacing = worker.replacing;
                event.commit();
            }
        }
    }

    /** Opens the {@link WorkerStarted} event of a worker about to be launched. */
    static WorkerStarted launching() {
        WorkerStarted event = new WorkerStarted();
        event.begin();
        return event;
    }

    /**
     * The worker's JVM ended.
     *
     * @param death why it ended
     * @param expected whether the pool asked for it (STOP, a kill for a timeout, cancel or terminate)
     * @param task the task it held when it died, or null
     * @param startFailure why it never became ready, or null if it did
     * @param replaced whether a new worker is launched in its place
     */
    static void workerExited(WorkerHandle worker, DeathCause death, boolean expected, PoolTask task, String startFailure,
            boolean replaced) {
        String cause = death.describe();
        int exitCode = death.exitCode();
        if (startFailure != null) {
            Log.pool().log(Level.WARNING, () -> worker + " failed to start: " + startFailure
                    + (replaced ? "; launching another" : ""));
        } else if (!expected) {
            Log.pool().log(Level.WARNING, () -> worker + " died (" + cause + ")"
                    + (task == null ? " while idle" : " while running task " + task.id + " (" + task.kind + ")")
                    + lastLine(worker) + (replaced ? "; replacing it" : ""));
        } else {
            Log.pool().log(Level.DEBUG, () -> worker + " exited (" + cause + ")");
        }
        WorkerExited event = new WorkerExited();
        if (event.shouldCommit()) {
            event.worker = worker.process.name();
            event.pid = worker.process.pid();
            event.exitCode = exitCode;
            event.cause = startFailure != null ? "failed to start: " + cause : expected ? cause : "died: " + cause;
            event.tasks = worker.tasksDone;
            event.commit();
        }
        if (task != null) {
            taskFinished(task, worker.process.name(), worker.process.pid(), expected ? "cancelled" : "worker died", 0);
        }
    }

    static void poolBroken(int failures, RuntimeException cause, int tasksFailed) {
        Log.pool().log(Level.ERROR, () -> "pool is broken: " + failures + " workers in a row failed to start; "
                + tasksFailed + " queued tasks fail and new ones are refused: " + firstLine(cause.getMessage()));
    }

    private static String lastLine(WorkerHandle worker) {
        var tail = worker.process.stderrTail();
        return tail.isEmpty() ? "" : "; last stderr line: " + tail.get(tail.size() - 1);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    // ---- JFR events -------------------------------------------------------------------------------------

    @Name("multiprocessing4j.TaskSubmitted")
    @Label("Task Submitted")
    @Category({"multiprocessing4j", "Pool"})
    @Description("A task or map chunk was queued in a pool")
    @StackTrace(false)
    static final class TaskSubmitted extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Kind")
        String kind;
        @Label("Bytes In")
        @DataAmount
        long bytesIn;
    }

    @Name("multiprocessing4j.TaskStarted")
    @Label("Task Started")
    @Category({"multiprocessing4j", "Pool"})
    @Description("A task was sent to a worker")
    @StackTrace(false)
    static final class TaskStarted extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Kind")
        String kind;
        @Label("Worker")
        String worker;
        @Label("Worker Pid")
        long pid;
    }

    @Name("multiprocessing4j.TaskFinished")
    @Label("Task Finished")
    @Category({"multiprocessing4j", "Pool"})
    @Description("A task ran on a worker: from being sent to its outcome, death or timeout")
    @StackTrace(false)
    static final class TaskFinished extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Kind")
        String kind;
        @Label("Worker")
        String worker;
        @Label("Worker Pid")
        long pid;
        @Label("Bytes In")
        @DataAmount
        long bytesIn;
        @Label("Bytes Out")
        @DataAmount
        long bytesOut;
        @Label("Outcome")
        String outcome;
    }

    @Name("multiprocessing4j.WorkerStarted")
    @Label("Worker Started")
    @Category({"multiprocessing4j", "Pool"})
    @Description("A pool worker went from launch to ready for tasks (initializer included)")
    @StackTrace(false)
    static final class WorkerStarted extends Event {
        @Label("Worker")
        String worker;
        @Label("Pid")
        long pid;
        @Label("Replacing")
        String replacing;
    }

    @Name("multiprocessing4j.WorkerExited")
    @Label("Worker Exited")
    @Category({"multiprocessing4j", "Pool"})
    @Description("A pool worker's JVM ended")
    @StackTrace(false)
    static final class WorkerExited extends Event {
        @Label("Worker")
        String worker;
        @Label("Pid")
        long pid;
        @Label("Exit Code")
        int exitCode;
        @Label("Cause")
        String cause;
        @Label("Tasks")
        long tasks;
    }
}
