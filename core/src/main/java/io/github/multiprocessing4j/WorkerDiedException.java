package io.github.multiprocessing4j;

import java.util.List;

/**
 * The worker running a task died before finishing it: it called {@code System.exit}, ran out of memory,
 * crashed, or was killed. The pool has already replaced it; other tasks are unaffected.
 */
public final class WorkerDiedException extends MultiprocessingException {
    private final String workerName;
    private final long pid;
    private final int exitCode;
    private final List<String> stderrTail;
    private final List<String> crashReport;

    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail) {
        this(workerName, pid, exitCode, stderrTail, List.of());
    }

    /** With HotSpot's fatal-error banner, when the worker's JVM crashed. */
    public WorkerDiedException(String workerName, long pid, int exitCode, List<String> stderrTail,
            List<String> crashReport) {
        super(message(workerName, pid, exitCode, stderrTail, crashReport));
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.crashReport = List.copyOf(crashReport);
    }

    private static String message(String workerName, long pid, int exitCode, List<String> stderrTail,
            List<String> crashReport) {
        StringBuilder text = new StringBuilder("worker ").append(workerName).append(" (pid ").append(pid)
                .append(") died while running this task: ").append(describeExit(exitCode));
        if (!crashReport.isEmpty()) {
            text.append("; its JVM crashed, HotSpot reported:");
            crashReport.forEach(line -> text.append("\n  ").append(line));
            text.append('\n');
        }
        text.append(stderrTail.isEmpty() ? "; it wrote nothing to stderr" : "; last lines of its stderr:");
        stderrTail.forEach(line -> text.append("\n  ").append(line));
        return text.toString();
    }

    /** {@code exit code 3}, or {@code killed by signal 9 (SIGKILL)} for a negative, Python-style code. */
    static String describeExit(int exitCode) {
        if (exitCode >= 0) {
            return "exit code " + exitCode;
        }
        String name = switch (-exitCode) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "";
        };
        return "killed by signal " + (-exitCode) + (name.isEmpty() ? "" : " (" + name + ")");
    }

    public String workerName() {
        return workerName;
    }

    public long pid() {
        return pid;
    }

    /** Python's convention: the exit status, or {@code -N} for signal N. */
    public int exitCode() {
        return exitCode;
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
