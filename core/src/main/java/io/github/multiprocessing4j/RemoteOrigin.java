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
 */
public final class RemoteOrigin extends MultiprocessingException {
    private final String processName;
    private final long pid;

    public RemoteOrigin(String processName, long pid) {
        super("raised in process " + processName + " (pid " + pid + ")", null, false);
        this.processName = processName;
        this.pid = pid;
    }

    /** Where {@code exception} was raised, if it came from another process. */
    public static Optional<RemoteOrigin> of(Throwable exception) {
        return Arrays.stream(exception.getSuppressed())
                .filter(RemoteOrigin.class::isInstance)
                .map(RemoteOrigin.class::cast)
                .findFirst();
    }

    public String processName() {
        return processName;
    }

    public long pid() {
        return pid;
    }
}
