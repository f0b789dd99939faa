package io.github.multiprocessing4j;

/**
 * Wraps a checked exception thrown by a task in another process, so that {@link AsyncResult#get()} can
 * rethrow it without declaring it. Unchecked exceptions and errors are rethrown as themselves instead.
 * The cause is the original exception, with the worker's stack trace and a {@link RemoteOrigin}.
 *
 * <h2>Comparison with Python</h2>
 * Python has no checked exceptions, so it re-raises a task's exception as itself; here only a checked one is
 * wrapped, and {@link #getCause()} is that original exception, as Python's re-raised one is.
 */
public final class TaskFailedException extends MultiprocessingException {
    /**
     * Wraps a task's checked exception.
     *
     * @param cause the exception the task threw, re-created in this process
     */
    public TaskFailedException(Throwable cause) {
        super("task failed with " + cause, cause);
    }
}
