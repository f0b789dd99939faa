package io.github.multiprocessing4j;

import java.time.Duration;

/**
 * A task ran longer than its timeout. Its worker was killed (a thread cannot be stopped; a process can)
 * and replaced; the pool goes on with the other tasks.
 */
public final class TaskTimeoutException extends MultiprocessingException {
    private final Duration timeout;
    private final String workerName;
    private final long pid;

    public TaskTimeoutException(String workerName, long pid, Duration timeout) {
        super("task exceeded its timeout of " + timeout.toMillis() + " ms; worker " + workerName + " (pid " + pid
                + ") was killed and replaced");
        this.timeout = timeout;
        this.workerName = workerName;
        this.pid = pid;
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
}
