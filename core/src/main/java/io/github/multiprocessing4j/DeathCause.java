package io.github.multiprocessing4j;

import java.util.Objects;

/**
 * Why a child JVM (a {@link Process} or a pool worker) ended: how it exited, and who ended it. Found in
 * {@link WorkerDiedException#deathCause()}, {@link Process#deathCause()} and in the warning logged when a
 * worker dies.
 *
 * <h2>Comparison with Python</h2>
 * Python has only {@code Process.exitcode} (the same numbers as {@link #exitCode()}); whether a child ran
 * out of memory, was killed by the kernel or by its parent, or crashed, a Python user works out from the
 * child's stderr and the system log. {@code concurrent.futures}' {@code BrokenProcessPool} says only that a
 * process "terminated abruptly".
 *
 * @param kind what happened
 * @param exitCode the exit code as {@link Process#exitCode()} reports it ({@code -N} for signal N)
 * @param detail more about it (the heap size of a worker that ran out of memory, the signal's name), or
 *        empty
 * @serial exclude
 */
public record DeathCause(Kind kind, int exitCode, String detail) implements java.io.Serializable {
    /** What ended a child. */
    public enum Kind {
        /** It exited by itself with {@link #exitCode()}: its work ended, or it called {@code System.exit}. */
        EXIT,
        /** A pool worker's task ran out of Java heap; {@link #detail()} gives the maximum heap size. */
        OUT_OF_MEMORY,
        /** SIGKILL, not from this JVM, while the kernel's OOM killer acted in the child's memory cgroup. */
        KILLED_BY_KERNEL_OOM,
        /** The JVM crashed (a fatal signal in native code); see {@link WorkerDiedException#crashReport()}. */
        NATIVE_CRASH,
        /** This JVM killed it because its task ran over its timeout. */
        KILLED_ON_TIMEOUT,
        /** This JVM killed it because its running task was cancelled. */
        KILLED_ON_CANCEL,
        /** This JVM ended it otherwise: {@code terminate()}, {@code kill()}, closing a pool or exiting. */
        KILLED_BY_THIS_PROCESS,
        /** A signal this JVM did not send ({@code kill} from a shell, another program, the system). */
        KILLED_FROM_OUTSIDE
    }

    /**
     * Checks the components.
     *
     * @param kind what happened
     * @param exitCode the exit code ({@code -N} for signal N)
     * @param detail more about it, or empty; never null
     * @throws NullPointerException if {@code kind} or {@code detail} is null
     */
    public DeathCause {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * For a message: {@code ran out of Java heap (max heap 64 MiB), exit code 3}.
     *
     * @return one phrase: what happened, with the exit code or signal (and its name when known)
     */
    public String describe() {
        String exit = exitCode >= 0 ? "exit code " + exitCode : "signal " + (-exitCode) + signalName(-exitCode);
        String what = switch (kind) {
            case EXIT -> exit;
            case OUT_OF_MEMORY -> "ran out of Java heap" + parenthesized() + ", " + exit;
            case KILLED_BY_KERNEL_OOM -> "killed by the kernel's OOM killer (" + exit + ")";
            case NATIVE_CRASH -> "its JVM crashed (" + exit + ")";
            case KILLED_ON_TIMEOUT -> "killed by this process on its task's timeout (" + exit + ")";
            case KILLED_ON_CANCEL -> "killed by this process on its task's cancellation (" + exit + ")";
            case KILLED_BY_THIS_PROCESS -> "ended by this process (" + exit + ")";
            case KILLED_FROM_OUTSIDE -> "killed by " + exit + " from outside" + (detail.isEmpty() ? "" : ": " + detail);
        };
        return what;
    }

    private String parenthesized() {
        return detail.isEmpty() ? "" : " (" + detail + ")";
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 3 -> " (SIGQUIT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    @Override
    public String toString() {
        return kind + ": " + describe();
    }
}
