package io.github.multiprocessing4j;

import java.util.List;

/**
 * The worker running a task died before finishing it: it called {@code System.exit}, ran out of memory,
 * crashed, or was killed. The pool has already replaced it; other tasks are unaffected.
 */
public final class WorkerDiedException extends MultiprocessingException {
    private final String workerName;
    private final long pid;
    private final DeathCause deathCause;
    private final List<String> stderrTail;
    private final List<String> crashReport;

    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail) {
        this(workerName, pid, exitCode, stderrTail, List.of());
    }

    /** With HotSpot's fatal-error banner, when the worker's JVM crashed. */
    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail,
            List<String> crashReport) {
        this(workerName, pid, new DeathCause(exitCode >= 0 ? DeathCause.Kind.EXIT
                : crashReport.isEmpty() ? DeathCause.Kind.KILLED_FROM_OUTSIDE : DeathCause.Kind.NATIVE_CRASH,
                exitCode, ""), stderrTail, crashReport);
    }

    /** With why the worker died, as its pool found out. */
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

    public String workerName() {
        return workerName;
    }

    public long pid() {
        return pid;
    }

    /** Python's convention: the exit status, or {@code -N} for signal N. */
    public int exitCode() {
        return deathCause.exitCode();
    }

    /** Why the worker died: how it exited and who ended it. */
    public DeathCause deathCause() {
        return deathCause;
    }

    public List<String> stderrTail() {
        return stderrTail;
    }

    /**
     * HotSpot's fatal-error banner when the worker's JVM crashed: the signal, the problematic frame and the
     * path of the hs_err file (written to {@code multiprocessing4j-crashes} in the temp directory unless the
     * pool's JVM options name another {@code -XX:ErrorFile}); empty for any other death.
     */
    public List<String> crashReport() {
        return crashReport;
    }
}
