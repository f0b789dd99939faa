package io.github.multiprocessing4j;

/**
 * Wraps a checked exception thrown by a task in another process, so that {@link AsyncResult#get()} can
 * rethrow it without declaring it. Unchecked exceptions and errors are rethrown as themselves instead.
 * The cause is the original exception, with the worker's stack trace and a {@link RemoteOrigin}.
 */
public final class TaskFailedException extends MultiprocessingException {
    public TaskFailedException(Throwable cause) {
        super("task failed with " + cause, cause);
    }
}
