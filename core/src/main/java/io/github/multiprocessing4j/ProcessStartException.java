package io.github.multiprocessing4j;

import java.util.List;

/**
 * A child JVM did not start: it exited, or did not connect back, before it could run anything. Typical
 * causes are a bad JVM option (an invalid {@code -Xmx}, an unknown {@code -XX} flag) or a class path the
 * child cannot use. The message ends with the child's own standard error and, when it wrote any, its
 * standard output (a JVM that cannot start says why there: "Too small maximum heap").
 */
public final class ProcessStartException extends MultiprocessingException {
    private final String processName;
    private final Integer exitCode;
    private final List<String> stderrTail;
    private final List<String> stdoutTail;

    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail) {
        this(processName, reason, exitCode, stderrTail, (Throwable) null);
    }

    /** With the last lines the child wrote to standard output too. */
    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail,
            List<String> stdoutTail) {
        super(message(processName, reason, exitCode, stderrTail, stdoutTail, true), null);
        this.processName = processName;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.stdoutTail = List.copyOf(stdoutTail);
    }

    /** With the exception that stopped the start, such as a pool initializer's. */
    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail,
            Throwable cause) {
        super(message(processName, reason, exitCode, stderrTail, List.of(), cause == null), cause);
        this.processName = processName;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.stdoutTail = List.of();
    }

    /**
     * A copy to throw on the calling thread, so that its stack trace shows the caller's line; this one (from
     * the thread that saw the failure) is its cause.
     */
    public ProcessStartException rethrownHere() {
        return new ProcessStartException(this);
    }

    private ProcessStartException(ProcessStartException original) {
        super(original.getMessage(), original);
        this.processName = original.processName;
        this.exitCode = original.exitCode;
        this.stderrTail = original.stderrTail;
        this.stdoutTail = original.stdoutTail;
    }

    private static String message(String processName, String reason, Integer exitCode, List<String> stderrTail,
            List<String> stdoutTail, boolean suspectJvmOptions) {
        StringBuilder text = new StringBuilder("child JVM for ").append(processName).append(' ').append(reason);
        if (exitCode != null) {
            text.append(" (exit code ").append(exitCode).append(')');
        }
        boolean mainClassMissing = stderrTail.stream().anyMatch(line -> line.contains("Could not find or load main class"));
        if (mainClassMissing) {
            text.append(". It could not load multiprocessing4j's classes from the class path it was given; if this"
                    + " JVM was started by a launcher that builds its own class path, pass the class path with"
                    + " JvmOptions.builder().classPath(...).");
        } else {
            text.append(suspectJvmOptions ? ". Check the JVM options given to it." : ".");
        }
        text.append(stderrTail.isEmpty() ? " It wrote nothing to stderr." : " Its stderr:");
        stderrTail.forEach(line -> text.append("\n  ").append(line));
        if (!stdoutTail.isEmpty()) {
            text.append(stderrTail.isEmpty() ? " Its stdout:" : "\nIts stdout:");
            stdoutTail.forEach(line -> text.append("\n  ").append(line));
        }
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

    /** The last lines the child wrote to standard output (empty when it wrote none, or its output was inherited). */
    public List<String> stdoutTail() {
        return stdoutTail;
    }
}
