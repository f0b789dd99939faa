package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A task ran longer than its timeout. Its worker was killed (a thread cannot be stopped; a process can)
 * and replaced; the pool goes on with the other tasks. Before the kill the worker was asked for a thread
 * dump (SIGQUIT, waited for at most half a second): {@link #threadDump()} holds it, and the message shows
 * where the task's thread was.
 */
public final class TaskTimeoutException extends MultiprocessingException {
    /** Lines of the task thread's stack shown in the message. */
    static final int EXCERPT_LINES = 8;

    private final Duration timeout;
    private final String workerName;
    private final long pid;
    private final List<String> threadDump;

    public TaskTimeoutException(String workerName, long pid, Duration timeout) {
        this(workerName, pid, timeout, List.of());
    }

    /** With the worker's thread dump, taken just before it was killed. */
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

    /** The worker that ran the task and was killed. */
    public String workerName() {
        return workerName;
    }

    public long pid() {
        return pid;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * HotSpot's thread dump of the worker, taken just before it was killed (from {@code Full thread dump}
     * on); empty when none came within the bound or the worker's output is inherited.
     */
    public List<String> threadDump() {
        return threadDump;
    }
}
