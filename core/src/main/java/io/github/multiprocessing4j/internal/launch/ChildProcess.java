package io.github.multiprocessing4j.internal.launch;

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
        Throwable notConnected = signalled
                ? new CancellationException(name + " was stopped before it connected")
                : startFailure("exited before connecting", exitValue);
        handshake.completeExceptionally(notConnected);
        connected.completeExceptionally(notConnected);
        exited.complete(exitValue);
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
        signalled = true;
        process.destroy();
    }

    /** SIGKILL: the child ends at once. */
    public void kill() {
        signalled = true;
        process.destroyForcibly();
    }

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
