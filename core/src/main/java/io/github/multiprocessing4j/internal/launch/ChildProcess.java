package io.github.multiprocessing4j.internal.launch;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.shm.Segments;
import io.github.multiprocessing4j.internal.wire.Channel;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One launched child JVM, as seen by its parent: the OS process, its output pumps, and the channel it
 * connects back on. Both {@code Process} and the pool's workers are built on this.
 *
 * <p>Lifecycle: {@link Launcher#launch} starts the JVM and writes the bootstrap to its stdin;
 * {@link #connected()} completes when the child has proved the key, or fails with a
 * {@link ProcessStartException} when the child exits first or misses its start timeout (it is then killed),
 * or with a {@link CancellationException} when this JVM stopped it before it connected.
 * {@link #exited()} completes with the raw exit value once the process has ended and its output has been
 * copied (waiting at most {@link #DRAIN_TIMEOUT_MILLIS} for a grandchild that still holds the pipes). On
 * every exit, shared-memory blocks whose creator is gone (this child, if it crashed) are unlinked.
 */
public final class ChildProcess {
    static final long DRAIN_TIMEOUT_MILLIS = 2000;

    private final String name;
    private final boolean daemon;
    private final java.lang.Process process;
    private final OutputPump stdout;
    private final OutputPump stderr;
    private final CompletableFuture<Channel> connected;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    /** Set when this JVM signalled the child; its early exit is then not a start failure. */
    private volatile boolean signalled;

    ChildProcess(String name, boolean daemon, java.lang.Process process, boolean inheritIO,
            CompletableFuture<Channel> connected) {
        this.name = name;
        this.daemon = daemon;
        this.process = process;
        this.connected = connected;
        if (inheritIO) {
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
        connected.completeExceptionally(signalled
                ? new CancellationException(name + " was stopped before it connected")
                : startFailure("exited before connecting", exitValue));
        exited.complete(exitValue);
    }

    ProcessStartException startFailure(String reason, Integer exitValue) {
        return new ProcessStartException(name, reason, exitValue, stderrTail());
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

    /** Completes with the channel once the child has connected and proved the key. */
    public CompletableFuture<Channel> connected() {
        return connected;
    }

    /** Completes with the raw exit value once the child has ended and its output was copied. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** SIGTERM: the child JVM runs its shutdown hooks and exits. */
    public void terminate() {
        signalled = true;
        process.destroy();
    }

    /** SIGKILL: the child ends at once. */
    public void kill() {
        signalled = true;
        process.destroyForcibly();
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
