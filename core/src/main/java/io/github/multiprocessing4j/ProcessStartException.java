package io.github.multiprocessing4j;

import java.util.List;

/**
 * A child JVM did not start: it exited, or did not connect back, before it could run anything. Typical
 * causes are a bad JVM option (an invalid {@code -Xmx}, an unknown {@code -XX} flag) or a class path the
 * child cannot use. The message ends with the child's own standard error and, when it wrote any, its
 * standard output (a JVM that cannot start says why there: "Too small maximum heap").
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code Process.start()} returns once the child is spawned; a child that fails while it boots (an
 * import error, an unpicklable target) prints a traceback to its stderr and exits with code 1, and the parent
 * sees only {@code exitcode}. A {@code multiprocessing.Pool} whose initializer fails starts new workers without
 * end; {@code ProcessPoolExecutor} reports it as {@code BrokenProcessPool}. Here the start fails at once with
 * this exception, which carries the child's own output, and Python's interpreter flags have
 * {@link JvmOptions} as their counterpart.
 */
public final class ProcessStartException extends MultiprocessingException {
    /** The name of the process or worker that did not start. */
    private final String processName;
    /** The child's exit code, or null if it was still running when it was given up on. */
    private final Integer exitCode;
    /** The last lines the child wrote to standard error. */
    private final List<String> stderrTail;
    /** The last lines the child wrote to standard output. */
    private final List<String> stdoutTail;

    /**
     * Makes the exception for a child that did not start; the library throws it, so few programs need to.
     *
     * @param processName the name of the process or worker
     * @param reason what happened, completing "child JVM for NAME ...", such as
     *     {@code "exited before it connected back"}
     * @param exitCode the child's exit code, or null if it was still running (and was killed)
     * @param stderrTail the last lines the child wrote to standard error; copied
     */
    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail) {
        this(processName, reason, exitCode, stderrTail, (Throwable) null);
    }

    /**
     * With the last lines the child wrote to standard output too.
     *
     * @param processName the name of the process or worker
     * @param reason what happened, completing "child JVM for NAME ...", such as
     *     {@code "exited before it connected back"}
     * @param exitCode the child's exit code, or null if it was still running (and was killed)
     * @param stderrTail the last lines the child wrote to standard error; copied
     * @param stdoutTail the last lines the child wrote to standard output; copied
     */
    public ProcessStartException(String processName, String reason, Integer exitCode, List<String> stderrTail,
            List<String> stdoutTail) {
        super(message(processName, reason, exitCode, stderrTail, stdoutTail, true), null);
        this.processName = processName;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.stdoutTail = List.copyOf(stdoutTail);
    }

    /**
     * With the exception that stopped the start, such as a pool initializer's.
     *
     * @param processName the name of the process or worker
     * @param reason what happened, completing "child JVM for NAME ...", such as
     *     {@code "failed in the pool's initializer"}
     * @param exitCode the child's exit code, or null if it was still running (and was killed)
     * @param stderrTail the last lines the child wrote to standard error; copied
     * @param cause the exception that stopped the start, or null
     */
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
     *
     * @return a new exception with the same message and details, caused by this one
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

    /**
     * The name of the process or pool worker that did not start.
     *
     * @return the name, such as {@code Process-2} or {@code PoolWorker-3}
     */
    public String processName() {
        return processName;
    }

    /**
     * The child's exit code, or null if it was still running (and was killed) when it gave up on it.
     *
     * @return the exit code, or null
     */
    public Integer exitCode() {
        return exitCode;
    }

    /**
     * The last lines the child wrote to standard error.
     *
     * @return the lines, oldest first; empty if it wrote none or its output was inherited
     */
    public List<String> stderrTail() {
        return stderrTail;
    }

    /**
     * The last lines the child wrote to standard output (empty when it wrote none, or its output was inherited).
     *
     * @return the lines, oldest first
     */
    public List<String> stdoutTail() {
        return stdoutTail;
    }
}
