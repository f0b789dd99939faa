package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.shm.Segments;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One launched child JVM, as seen by its parent: the OS process, its output pumps, and the channel it
 * connects back on. Both {@code Process} and the pool's workers are built on this.
 *
 * <p>Lifecycle: {@link Launcher} starts the JVM and writes the bootstrap to its stdin; the child connects
 * and proves the key ({@link #handshake()}); {@link #assign} gives it its name and role, once, right away
 * for a child launched on demand, later for a spare; {@link #connected()} completes once the child is
 * connected and assigned, or fails with a {@link ProcessStartException} when the child exits first or
 * misses its start timeout (it is then killed), or with a {@link CancellationException} when this JVM
 * stopped it before it connected.
 * {@link #exited()} completes with the raw exit value once the process has ended and its output has been
 * copied (waiting at most {@link #DRAIN_TIMEOUT_MILLIS} for a grandchild that still holds the pipes). On
 * every exit, shared-memory blocks whose creator is gone (this child, if it crashed) are unlinked.
 */
public final class ChildProcess {
    static final long DRAIN_TIMEOUT_MILLIS = 2000;

    /* Set by assign(); a spare has a provisional name until then. */
    private volatile String name;
    private volatile boolean daemon;
    private final java.lang.Process process;
    private final OutputPump stdout;
    private final OutputPump stderr;
    private final CompletableFuture<Channel> handshake;
    private final CompletableFuture<Channel> connected = new CompletableFuture<>();
    private final AtomicBoolean assigned = new AtomicBoolean();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    /** Set when this JVM signalled the child; its early exit is then not a start failure. */
    private volatile boolean signalled;
    /** Why this JVM signalled the child, the first time it did; null while it has not. */
    private volatile DeathCause.Kind signalledAs;
    /** The kernel's OOM kills in this cgroup when the child started, or {@link KernelOomKills#UNKNOWN}. */
    private final long oomKillsAtStart = KernelOomKills.count();

    ChildProcess(String name, boolean daemon, java.lang.Process process, boolean copyOutput,
            CompletableFuture<Channel> handshake) {
        this.name = name;
        this.daemon = daemon;
        this.process = process;
        this.handshake = handshake;
        if (!copyOutput) {
            stdout = null;
            stderr = null;
        } else {
            stdout = new OutputPump(process.getInputStream(), () -> System.out, "mp4j-stdout-" + name);
            stderr = new OutputPump(process.getErrorStream(), () -> System.err, "mp4j-stderr-" + name);
        }
        process.onExit().thenRunAsync(this::afterExit, LibraryThreads.events());
    }

    private void afterExit() {
        if (stdout != null) {
            try {
                CompletableFuture.allOf(stdout.drained(), stderr.drained()).get(DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // A grandchild still holds the pipes open; report the exit without waiting for it.
            }
        }
        int exitValue = process.exitValue();
        Segments.reapOrphans();
        Throwable notConnected = signalled || stoppedBySignal(exitValue)
                ? new CancellationException(name + " was stopped before it connected")
                : startFailure("exited before connecting", exitValue);
        handshake.completeExceptionally(notConnected);
        connected.completeExceptionally(notConnected);
        exited.complete(exitValue);
    }

    /**
     * Whether an exit value says a signal that stops a process (SIGHUP, SIGINT, SIGKILL, SIGTERM) ended it: a
     * child stopped from outside while it was starting died, as in Python ({@code exitcode} -15), rather than
     * failed to start. A crash signal (SIGSEGV, SIGABRT) still counts as a failed start.
     */
    private static boolean stoppedBySignal(int exitValue) {
        int signal = exitValue - 128;
        return signal == 1 || signal == 2 || signal == 9 || signal == 15;
    }

    ProcessStartException startFailure(String reason, Integer exitValue) {
        return new ProcessStartException(name, reason, exitValue, stderrTail(),
                stdout == null ? List.of() : stdout.tail());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    boolean isDaemon() {
        return daemon;
    }

    /**
     * Gives the child its name and role, and says whether this JVM's exit kills it (daemon) or waits for it.
     * The {@code ASSIGN} frame goes out as soon as the child has connected, on a library thread (an
     * interrupted caller's thread would close the channel).
     *
     * @throws IllegalStateException if the child was assigned already
     */
    void assign(String childName, boolean worker, boolean isDaemon) {
        if (!assigned.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " was assigned already");
        }
        this.name = childName;
        this.daemon = isDaemon;
        handshake.whenCompleteAsync((channel, failure) -> {
            if (failure != null) {
                connected.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
                return;
            }
            try {
                channel.send(new Message.Assign(childName, worker));
                connected.complete(channel);
            } catch (IOException e) {
                // It died just now; its exit fails connected() with its stderr.
                channel.close();
            }
        }, LibraryThreads.events());
    }

    boolean isAssigned() {
        return assigned.get();
    }

    /** Completes with the channel once the child has connected and proved the key, before it is assigned. */
    CompletableFuture<Channel> handshake() {
        return handshake;
    }

    /** Completes with the channel once the child has connected and been assigned its name and role. */
    public CompletableFuture<Channel> connected() {
        return connected;
    }

    /** Whether the process has ended (its exit may not be reported yet). */
    boolean hasEnded() {
        return !process.isAlive();
    }

    /** Completes with the raw exit value once the child has ended and its output was copied. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** SIGTERM: the child JVM runs its shutdown hooks and exits. */
    public void terminate() {
        markSignalled(DeathCause.Kind.KILLED_BY_THIS_PROCESS);
        process.destroy();
    }

    /** SIGKILL: the child ends at once. */
    public void kill() {
        kill(DeathCause.Kind.KILLED_BY_THIS_PROCESS);
    }

    /** SIGKILL, saying why, for {@link #deathCause}: a task's timeout or cancellation, or otherwise. */
    public void kill(DeathCause.Kind why) {
        markSignalled(why);
        process.destroyForcibly();
    }

    private void markSignalled(DeathCause.Kind why) {
        synchronized (this) {
            if (signalledAs == null) {
                signalledAs = why;
            }
        }
        signalled = true;
    }

    /**
     * Asks the child JVM for a thread dump (SIGQUIT, which HotSpot answers on its stdout) and completes with
     * its lines once they have passed, or with what has passed after {@code maxMillis}; empty when the
     * output is inherited, the child is gone, or signals cannot be sent here. The child keeps running.
     */
    public CompletableFuture<List<String>> threadDump(long maxMillis) {
        if (stdout == null || !process.isAlive()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<String>> capture = stdout.captureThreadDump();
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(List.of());
        }
        return capture.orTimeout(maxMillis, TimeUnit.MILLISECONDS).exceptionally(timedOut -> stdout.threadDumpSoFar());
    }

    /**
     * Why the child ended with {@code rawExitValue}: a crash (HotSpot's banner on its stdout), a signal
     * this JVM sent (and why), a worker's exit after running out of heap ({@code worker} and exit code 3),
     * a SIGKILL from outside while the cgroup's OOM kill count rose, another signal from outside, or its
     * own exit.
     */
    public DeathCause deathCause(int rawExitValue, boolean finishedNormally, boolean worker) {
        int exitCode = pythonExitCode(rawExitValue, finishedNormally);
        DeathCause.Kind ours = signalledAs;
        if (!crashReport().isEmpty()) {
            return new DeathCause(DeathCause.Kind.NATIVE_CRASH, exitCode, "");
        }
        if (exitCode < 0 && ours != null) {
            return new DeathCause(ours, exitCode, "");
        }
        if (worker && exitCode == OUT_OF_MEMORY_EXIT) {
            String heap = stderrTail().stream().filter(line -> line.contains(MAX_HEAP)).reduce((a, b) -> b)
                    .map(line -> line.substring(line.indexOf(MAX_HEAP) + 1, line.indexOf(')', line.indexOf(MAX_HEAP))))
                    .orElse("");
            return new DeathCause(DeathCause.Kind.OUT_OF_MEMORY, exitCode, heap);
        }
        if (exitCode == -9) {
            long now = KernelOomKills.count();
            if (now != KernelOomKills.UNKNOWN && oomKillsAtStart != KernelOomKills.UNKNOWN) {
                return now > oomKillsAtStart
                        ? new DeathCause(DeathCause.Kind.KILLED_BY_KERNEL_OOM, exitCode,
                                "the cgroup's oom_kill count rose from " + oomKillsAtStart + " to " + now)
                        : new DeathCause(DeathCause.Kind.KILLED_FROM_OUTSIDE, exitCode, "");
            }
            return new DeathCause(DeathCause.Kind.KILLED_FROM_OUTSIDE, exitCode, "possibly the kernel's OOM killer");
        }
        return new DeathCause(exitCode < 0 ? DeathCause.Kind.KILLED_FROM_OUTSIDE : DeathCause.Kind.EXIT, exitCode, "");
    }

    /** The exit code of a pool worker whose task ran out of heap (WorkerMain.OUT_OF_MEMORY). */
    static final int OUT_OF_MEMORY_EXIT = 3;
    /** What a worker that ran out of heap writes to stderr before the heap size, e.g. {@code (max heap 64 MiB)}. */
    public static final String MAX_HEAP = "(max heap ";

    /**
     * HotSpot's fatal-error banner if the child JVM crashed (signal, problematic frame, the hs_err file's
     * path), taken from its stdout where HotSpot writes it; empty otherwise or when output is inherited.
     */
    public List<String> crashReport() {
        return stdout == null ? List.of() : stdout.banner();
    }

    /** The last lines the child wrote to stderr (empty when its output is inherited). */
    public List<String> stderrTail() {
        return stderr == null ? List.of() : stderr.tail();
    }

    /**
     * Python's convention for an exit code: the value passed to {@code System.exit}, or {@code -N} when the
     * process ended through signal N. The JDK reports a signal death as {@code 128 + N}, and a JVM that
     * handles SIGTERM exits with 143 itself, so a raw value of 129 to 192 from a child that did not finish its
     * work is read as a signal. (A child that calls {@code System.exit(130)} is therefore reported as -2.)
     */
    public static int pythonExitCode(int rawExitValue, boolean finishedNormally) {
        if (!finishedNormally && rawExitValue > 128 && rawExitValue <= 128 + 64) {
            return -(rawExitValue - 128);
        }
        return rawExitValue;
    }
}
