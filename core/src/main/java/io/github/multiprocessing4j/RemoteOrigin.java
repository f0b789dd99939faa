package io.github.multiprocessing4j;

import java.util.Arrays;
import java.util.Optional;

/**
 * Attached as a {@linkplain Throwable#getSuppressed() suppressed exception} to every exception that was
 * raised in another process and re-thrown here, to say where it came from. The exception's own stack trace
 * is the one it had in that process.
 *
 * <pre>{@code
 * RemoteOrigin.of(e).ifPresent(o -> log.warn("failed in pid {}", o.pid()));
 * }</pre>
 *
 * <h2>Comparison with Python</h2>
 * There is no counterpart: Python's {@code RemoteTraceback} holds the worker's formatted traceback but not
 * which process raised it; Python users log {@code os.getpid()} in the task for that.
 */
public final class RemoteOrigin extends MultiprocessingException {
    /** The name of the process that raised the exception. */
    private final String processName;
    /** The operating system's process id of that process. */
    private final long pid;

    /**
     * Makes the marker; the library attaches it when it re-throws an exception from another process.
     *
     * @param processName the name of the process that raised it, such as {@code PoolWorker-3}
     * @param pid its process id
     */
    public RemoteOrigin(String processName, long pid) {
        super("raised in process " + processName + " (pid " + pid + ")", null, false);
        this.processName = processName;
        this.pid = pid;
    }

    /**
     * Where {@code exception} was raised, if it came from another process.
     *
     * @param exception any exception
     * @return where it was raised, or empty if it was raised in this process
     */
    public static Optional<RemoteOrigin> of(Throwable exception) {
        return Arrays.stream(exception.getSuppressed())
                .filter(RemoteOrigin.class::isInstance)
                .map(RemoteOrigin.class::cast)
                .findFirst();
    }

    /**
     * The name of the process that raised the exception.
     *
     * @return the name, such as {@code Process-2} or {@code PoolWorker-3}
     */
    public String processName() {
        return processName;
    }

    /**
     * The process id of the process that raised the exception.
     *
     * @return the operating system's process id
     */
    public long pid() {
        return pid;
    }
}
