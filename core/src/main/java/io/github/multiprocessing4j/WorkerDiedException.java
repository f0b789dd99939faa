package io.github.multiprocessing4j;

import java.util.List;

/**
 * The worker running a task died before finishing it: it called {@code System.exit}, ran out of memory,
 * crashed, or was killed. The pool has already replaced it; other tasks are unaffected.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code multiprocessing.Pool} also replaces a worker that died, but the task it was running is lost
 * without a word: its {@code AsyncResult.get()} without a timeout waits forever. {@code concurrent.futures}'
 * {@code ProcessPoolExecutor} fails that task and every other pending one with {@code BrokenProcessPool}, and
 * the executor cannot be used again. Here only the task that was running fails, with this exception, and the
 * pool goes on. {@link #exitCode()} follows Python's {@code Process.exitcode} convention; {@link #deathCause()},
 * {@link #stderrTail()} and {@link #crashReport()} have no Python counterpart (there one reads the worker's
 * stderr and the system log).
 */
public final class WorkerDiedException extends MultiprocessingException {
    /** The name of the worker that died, such as {@code PoolWorker-3}. */
    private final String workerName;
    /** The operating system's process id of the worker. */
    private final long pid;
    /** Why the worker died. */
    private final DeathCause deathCause;
    /** The last lines the worker wrote to standard error. */
    private final List<String> stderrTail;
    /** HotSpot's fatal-error banner, or empty. */
    private final List<String> crashReport;

    /**
     * Makes the exception for a worker that ended with {@code exitCode}; the library throws it, so few programs
     * need to.
     *
     * @param workerName the name of the worker, such as {@code PoolWorker-3}
     * @param pid the worker's process id
     * @param exitCode the exit status, or {@code -N} for signal N
     * @param stderrTail the last lines the worker wrote to standard error; copied
     */
    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail) {
        this(workerName, pid, exitCode, stderrTail, List.of());
    }

    /**
     * With HotSpot's fatal-error banner, when the worker's JVM crashed.
     *
     * @param workerName the name of the worker, such as {@code PoolWorker-3}
     * @param pid the worker's process id
     * @param exitCode the exit status, or {@code -N} for signal N
     * @param stderrTail the last lines the worker wrote to standard error; copied
     * @param crashReport HotSpot's fatal-error banner, or empty if the JVM did not crash; copied
     */
    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail,
            List<String> crashReport) {
        this(workerName, pid, new DeathCause(exitCode >= 0 ? DeathCause.Kind.EXIT
                : crashReport.isEmpty() ? DeathCause.Kind.KILLED_FROM_OUTSIDE : DeathCause.Kind.NATIVE_CRASH,
                exitCode, ""), stderrTail, crashReport);
    }

    /**
     * With why the worker died, as its pool found out.
     *
     * @param workerName the name of the worker, such as {@code PoolWorker-3}
     * @param pid the worker's process id
     * @param deathCause how it exited and who ended it
     * @param stderrTail the last lines the worker wrote to standard error; copied
     * @param crashReport HotSpot's fatal-error banner, or empty if the JVM did not crash; copied
     */
    public WorkerDiedException(String workerName, long pid, DeathCause deathCause, List<String> stderrTail,
            List<String> crashReport) {
        super(message(workerName, pid, deathCause, stderrTail, crashReport));
        this.workerName = workerName;
        this.pid = pid;
        this.deathCause = deathCause;
        this.stderrTail = List.copyOf(stderrTail);
        this.crashReport = List.copyOf(crashReport);
    }

    private static String message(String workerName, long pid, DeathCause deathCause, List<String> stderrTail,
            List<String> crashReport) {
        StringBuilder text = new StringBuilder("worker ").append(workerName).append(" (pid ").append(pid)
                .append(") died while running this task: ").append(deathCause.describe());
        if (!crashReport.isEmpty()) {
            text.append("; HotSpot reported:");
            crashReport.forEach(line -> text.append("\n  ").append(line));
            text.append('\n');
        }
        text.append(stderrTail.isEmpty() ? "; it wrote nothing to stderr" : "; last lines of its stderr:");
        stderrTail.forEach(line -> text.append("\n  ").append(line));
        return text.toString();
    }

    /**
     * The name of the worker that died, as in {@link Pool#workers()}.
     *
     * @return the worker's name, such as {@code PoolWorker-3}
     */
    public String workerName() {
        return workerName;
    }

    /**
     * The process id the worker had, to match it with the system's logs (an OOM killer's line names it).
     *
     * @return the operating system's process id
     */
    public long pid() {
        return pid;
    }

    /**
     * Python's convention: the exit status, or {@code -N} for signal N.
     *
     * @return the exit status, or {@code -N} when signal N ended the worker
     */
    public int exitCode() {
        return deathCause.exitCode();
    }

    /**
     * Why the worker died: how it exited and who ended it.
     *
     * @return the cause; its {@link DeathCause#describe()} is part of the message
     */
    public DeathCause deathCause() {
        return deathCause;
    }

    /**
     * The last lines the worker wrote to standard error before it died (also in the message).
     *
     * @return the lines, oldest first; empty if it wrote none or its output was inherited
     */
    public List<String> stderrTail() {
        return stderrTail;
    }

    /**
     * HotSpot's fatal-error banner when the worker's JVM crashed: the signal, the problematic frame and the
     * path of the hs_err file (written to {@code multiprocessing4j-crashes} in the temp directory unless the
     * pool's JVM options name another {@code -XX:ErrorFile}); empty for any other death.
     *
     * @return the banner's lines, or an empty list
     */
    public List<String> crashReport() {
        return crashReport;
    }
}
