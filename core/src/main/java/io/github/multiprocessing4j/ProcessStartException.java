package io.github.multiprocessing4j;

import java.util.List;

/**
 * A child JVM did not start: it exited, or did not connect back, before it could run anything. Typical
 * causes are a bad JVM option (an invalid {@code -Xmx}, an unknown {@code -XX} flag) or a class path the
 * child cannot use. The message ends with the child's own standard error.
 */
public final class ProcessStartException extends MultiprocessingException {
    private final String processName;
    private final Integer exitCode;
    private final List<String> stderrTail;

    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail) {
        this(processName, reason, exitCode, stderrTail, (Throwable) null);
    }

    /** With the exception that stopped the start, such as a pool initializer's. */
    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail,
            Throwable cause) {
        super(message(processName, reason, exitCode, stderrTail, cause == null), cause);
        this.processName = processName;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** A copy thrown on the caller's thread, with this one (from the thread that saw the failure) as cause. */
    public ProcessStartException rethrownHere() {
        return new ProcessStartException(this);
    }

    private ProcessStartException(ProcessStartException original) {
        super(original.getMessage(), original);
        this.processName = original.processName;
        this.exitCode = original.exitCode;
        this.stderrTail = original.stderrTail;
    }

    private static String message(String processName, String reason, Integer exitCode, List<String> stderrTail,
            boolean suspectJvmOptions) {
        StringBuilder text = new StringBuilder("child JVM for ").append(processName).append(' ').append(reason);
        if (exitCode != null) {
            text.append(" (exit code ").append(exitCode).append(')');
        }
        text.append(suspectJvmOptions ? ". Check the JVM options given to it." : ".");
        text.append(stderrTail.isEmpty() ? " It wrote nothing to stderr." : " Its stderr:");
        stderrTail.forEach(line -> text.append("\n  ").append(line));
        return text.toString();
    }

    public String processName() {
        return processName;
    }

    /** The child's exit code, or null if it was still running (and was killed) when it gave up on it. */
    public Integer exitCode() {
        return exitCode;
    }

    /** The last lines the child wrote to standard error. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
