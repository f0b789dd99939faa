package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A task ran longer than its timeout. Its worker was killed (a thread cannot be stopped; a process can)
 * and replaced; the pool goes on with the other tasks. Before the kill the worker was asked for a thread
 * dump (SIGQUIT, waited for at most half a second): {@link #threadDump()} holds it, and the message shows
 * where the task's thread was.
 *
 * <h2>Comparison with Python</h2>
 * Python has no per-task timeout that stops the task: {@code AsyncResult.get(timeout)} and
 * {@code Future.result(timeout)} raise {@code TimeoutError} in the caller while the task keeps running and keeps
 * its worker busy. Python users who need the task stopped terminate the whole pool, or use a third-party pool
 * that kills the worker (such as {@code pebble}'s {@code schedule(..., timeout=...)}), which is what this
 * library does. The thread dump has no counterpart in {@code multiprocessing}; {@code faulthandler} in the
 * worker comes closest.
 */
public final class TaskTimeoutException extends MultiprocessingException {
    /** Lines of the task thread's stack shown in the message. */
    static final int EXCERPT_LINES = 8;

    /** The timeout the task ran over. */
    private final Duration timeout;
    /** The name of the worker that was killed. */
    private final String workerName;
    /** The operating system's process id of the worker. */
    private final long pid;
    /** The worker's thread dump, or empty. */
    private final List<String> threadDump;

    /**
     * Makes the exception for a task that ran over {@code timeout} without a thread dump; the library throws it,
     * so few programs need to.
     *
     * @param workerName the name of the worker that was killed
     * @param pid the worker's process id
     * @param timeout the timeout the task ran over
     */
    public TaskTimeoutException(String workerName, long pid, Duration timeout) {
        this(workerName, pid, timeout, List.of());
    }

    /**
     * With the worker's thread dump, taken just before it was killed.
     *
     * @param workerName the name of the worker that was killed
     * @param pid the worker's process id
     * @param timeout the timeout the task ran over
     * @param threadDump the lines of HotSpot's thread dump, or empty; copied
     */
    public TaskTimeoutException(String workerName, long pid, Duration timeout, List<String> threadDump) {
        super(message(workerName, pid, timeout, threadDump));
        this.timeout = timeout;
        this.workerName = workerName;
        this.pid = pid;
        this.threadDump = List.copyOf(threadDump);
    }

    private static String message(String workerName, long pid, Duration timeout, List<String> threadDump) {
        StringBuilder text = new StringBuilder("task exceeded its timeout of ").append(timeout.toMillis())
                .append(" ms; worker ").append(workerName).append(" (pid ").append(pid).append(") was killed and replaced");
        List<String> excerpt = taskThread(threadDump);
        if (excerpt.isEmpty()) {
            text.append(threadDump.isEmpty() ? "; no thread dump could be taken" : "");
        } else {
            text.append("; its task thread was at:");
            excerpt.forEach(line -> text.append("\n  ").append(line.strip()));
        }
        return text.toString();
    }

    /** The first lines of the stack of the worker's {@code main} thread, which runs tasks. */
    static List<String> taskThread(List<String> threadDump) {
        List<String> lines = new ArrayList<>();
        boolean inMain = false;
        for (String line : threadDump) {
            if (line.startsWith("\"main\"")) {
                inMain = true;
            } else if (inMain && (line.isBlank() || lines.size() >= EXCERPT_LINES)) {
                break;
            } else if (inMain && line.strip().startsWith("at ")) {
                lines.add(line);
            } else if (inMain && line.strip().startsWith("java.lang.Thread.State")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The worker that ran the task and was killed.
     *
     * @return the worker's name, such as {@code PoolWorker-3}
     */
    public String workerName() {
        return workerName;
    }

    /**
     * The process id the killed worker had.
     *
     * @return the operating system's process id
     */
    public long pid() {
        return pid;
    }

    /**
     * The timeout the task ran over: the pool's task timeout or the one given with the task.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * HotSpot's thread dump of the worker, taken just before it was killed (from {@code Full thread dump}
     * on); empty when none came within the bound or the worker's output is inherited.
     *
     * @return the dump's lines, or an empty list
     */
    public List<String> threadDump() {
        return threadDump;
    }
}
