package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import io.github.multiprocessing4j.internal.worker.Job;
import io.github.multiprocessing4j.internal.worker.JobCodec;
import io.github.multiprocessing4j.internal.worker.ProcessJobs;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a target in a new child JVM: Python's {@code multiprocessing.Process}.
 *
 * <pre>{@code
 * import io.github.multiprocessing4j.Process;   // shadows java.lang.Process in this file
 *
 * var p = new Process(Example::printIds);
 * p.start();
 * p.join();
 * System.out.println(p.exitCode());             // 0
 * }</pre>
 *
 * <p>The child is a real JVM with its own pid, heap and static state, started with this JVM's {@code java}
 * and class path (see {@link JvmOptions} for flags, heap, properties, environment and output). The target
 * and its argument are serialized when {@link #start()} is called, so a value that cannot cross is reported
 * there, before any JVM starts, with the path to the offending field. The child's stdout and stderr reach
 * this JVM's {@code System.out} and {@code System.err} line by line. If this JVM dies, even by
 * {@code kill -9}, the child notices its channel closing and exits.
 *
 * <h2>States</h2>
 * new → started (running) → ended; {@link #close()} releases it after it ended. {@link #exitCode()} is
 * null until the child has ended, then 0 (target returned), 1 (target threw: see {@link #exception()}),
 * N ({@code System.exit(N)}), or -N (killed by signal N, as Python reports it).
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@link #join()} throws {@link ProcessStartException} when the child JVM could not start (bad flags,
 *     a class path it cannot use), with the child's stderr; Python's {@code start()} would raise there.
 *     {@link #start()} itself does not wait for the JVM to boot, so many processes start in parallel.</li>
 * <li>{@link #exception()} gives the target's exception, re-created here with the child's stack trace and a
 *     {@link RemoteOrigin}; Python only prints it in the child (we print it too).</li>
 * <li>When the target returns, the child exits at once (it does not wait for its own non-daemon threads).</li>
 * <li>Non-daemon children are waited for when this JVM exits, daemon children are killed, as in Python.</li>
 * <li>There is no {@code interrupt()} (Python 3.14's, which sends SIGINT): the JDK cannot send SIGINT to
 *     another process ({@link ProcessHandle} has SIGTERM and SIGKILL only), and a JVM that receives SIGINT
 *     does what it does on SIGTERM: runs its shutdown hooks and exits, which {@link #terminate()} already
 *     asks for. Python's {@code KeyboardInterrupt} can be caught and the work go on; to interrupt a target
 *     that should carry on, have it watch an {@link Event}.</li>
 * <li>{@code Process} is final: where Python code subclasses {@code Process} and overrides {@code run()},
 *     pass the method as the target instead.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Process implements AutoCloseable {
    private enum State { NEW, STARTED, CLOSED }

    /** How long to wait, after the child's exit, for the last frame it sent to be read. */
    private static final long OUTCOME_DRAIN_MILLIS = 2000;

    private final Job job;
    private final JvmOptions options;

    /* Accessed only while holding this object's monitor. */
    private String name;
    private boolean daemon;
    private State state = State.NEW;
    private ChildProcess child;

    /* Written by the channel reader or the exit callback, then published through {@link #ended}. */
    private volatile Throwable exception;
    private volatile boolean targetFinished;
    private volatile Integer exitCode;
    private volatile DeathCause deathCause;
    private volatile ProcessStartException startFailure;
    /** Whether the user stopped it on purpose, or looked at how it ended (for {@link FailureWatch}). */
    private volatile boolean stoppedOnPurpose;
    private volatile boolean endingObserved;
    private final CompletableFuture<Void> outcomeReceived = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    /**
     * A process that runs {@code target} in a child JVM with the default {@link JvmOptions}: Python's
     * {@code Process(target=f)}. Nothing starts until {@link #start()}.
     *
     * @param target what the child runs; serialized with what it captures when the process starts
     * @throws NullPointerException if {@code target} is null
     */
    public Process(SerializableRunnable target) {
        this(target, JvmOptions.defaults());
    }

    /**
     * A process that runs {@code target} in a child JVM launched with {@code options}. Nothing starts until
     * {@link #start()}.
     *
     * @param target what the child runs; serialized with what it captures when the process starts
     * @param options how to launch the child JVM
     * @throws NullPointerException if {@code target} or {@code options} is null
     */
    public Process(SerializableRunnable target, JvmOptions options) {
        this(new ProcessJobs.RunTarget(Objects.requireNonNull(target, "target")), options);
    }

    /**
     * Python's {@code Process(target=f, args=(argument,))}.
     *
     * @param <T> the type of the argument
     * @param target what the child runs; serialized with what it captures when the process starts
     * @param argument passed to {@code target} in the child; serialized when the process starts (may be null)
     * @throws NullPointerException if {@code target} is null
     */
    public <T> Process(SerializableConsumer<? super T> target, T argument) {
        this(target, argument, JvmOptions.defaults());
    }

    /**
     * A process that runs {@code target(argument)} in a child JVM launched with {@code options}.
     *
     * @param <T> the type of the argument
     * @param target what the child runs; serialized with what it captures when the process starts
     * @param argument passed to {@code target} in the child; serialized when the process starts (may be null)
     * @param options how to launch the child JVM
     * @throws NullPointerException if {@code target} or {@code options} is null
     */
    public <T> Process(SerializableConsumer<? super T> target, T argument, JvmOptions options) {
        this(new ProcessJobs.RunWithArgument<T>(Objects.requireNonNull(target, "target"), argument), options);
    }

    private Process(Job job, JvmOptions options) {
        this.job = job;
        this.options = Objects.requireNonNull(options, "options");
        this.name = Identity.nextProcessName();
        FailureWatch.watch(this);
    }

    /**
     * Launches the child JVM and sends it the target. Returns without waiting for the JVM to boot.
     *
     * @throws IllegalStateException if this process was already started
     * @throws SerializationException if the target or its argument cannot be serialized; no JVM is started
     * @throws ProcessStartException if the {@code java} binary cannot be executed
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("a process can only be started once: " + this);
        }
        byte[] payload = JobCodec.encode(job, "target");
        state = State.STARTED;
        try {
            child = Launcher.get().launch(name, Launcher.Role.PROCESS, daemon, options);
        } catch (ProcessStartException e) {
            startFailure = e;
            outcomeReceived.complete(null);
            ended.complete(null);
            throw e;
        }
        Multiprocessing.register(this);
        child.connected().whenComplete((channel, failure) -> {
            if (failure == null) {
                sendTargetAndReadOutcome(channel, payload);
            } else {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof ProcessStartException e) {
                    startFailure = e;
                }
                outcomeReceived.complete(null);
            }
        });
        child.exited().thenAcceptAsync(this::afterExit, LibraryThreads.events());
    }

    private void sendTargetAndReadOutcome(Channel channel, byte[] payload) {
        LibraryThreads.events().execute(() -> {
            try (channel) {
                channel.send(new Message.Task(0, payload));
                while (true) {
                    Message message = channel.receive();
                    if (message instanceof Message.Outcome outcome) {
                        if (!outcome.success()) {
                            exception = ThrowableTransport.decode(outcome.payload());
                        }
                        targetFinished = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // EOF: the child has exited (or died); afterExit reports how.
            } finally {
                outcomeReceived.complete(null);
            }
        });
    }

    private void afterExit(int rawExitValue) {
        try {
            outcomeReceived.get(OUTCOME_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            // The outcome never came: the child died before sending it.
        }
        deathCause = child.deathCause(rawExitValue, targetFinished, false);
        exitCode = ChildProcess.pythonExitCode(rawExitValue, targetFinished);
        Multiprocessing.unregister(this);
        ended.complete(null);
    }

    /**
     * Waits until the child has ended and its output has been copied.
     *
     * @throws IllegalStateException if the process was never started
     * @throws ProcessStartException if the child JVM could not start
     * @throws InterruptedException if the waiting thread is interrupted; the child goes on running
     */
    public void join() throws InterruptedException {
        try {
            started().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("unexpected failure while joining " + this, e.getCause());
        }
        throwIfStartFailed();
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @param timeout how long to wait at most; zero or negative to only check
     * @return whether it ended; if not, {@link #exitCode()} is still null
     * @throws InterruptedException if the waiting thread is interrupted; the child goes on running
     * @throws IllegalStateException if the process was never started
     * @throws ProcessStartException if the child JVM could not start
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            started().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("unexpected failure while joining " + this, e.getCause());
        }
        throwIfStartFailed();
        return true;
    }

    private synchronized CompletableFuture<Void> started() {
        requireOpen();
        if (state == State.NEW) {
            throw new IllegalStateException("cannot join " + name + ": it has not been started");
        }
        return ended;
    }

    private void throwIfStartFailed() {
        ProcessStartException failure = startFailure;
        if (failure != null) {
            endingObserved = true;
            throw failure.rethrownHere();
        }
    }

    /**
     * A future that completes with this process once it ended (and its outcome was read): Python's
     * {@code sentinel}, for {@link Multiprocessing#waitAny}, {@link CompletableFuture#anyOf} or callbacks.
     * Completing or cancelling it does not affect the process.
     *
     * <p>Comparison with Python: Python's sentinel is an operating-system handle that becomes ready when
     * the process ends; this is the Java form of the same event.
     *
     * @return a future completed with this process when it has ended
     * @throws IllegalStateException if the process was never started (Python has no sentinel then either)
     */
    public CompletableFuture<Process> sentinel() {
        return started().thenApply(ignored -> this);
    }

    /**
     * Whether the child JVM is running: false before {@link #start()} and after it ended.
     *
     * @return true between a successful start and the child's end
     * @throws IllegalStateException if this object was closed
     */
    public synchronized boolean isAlive() {
        requireOpen();
        return child != null && !ended.isDone();
    }

    /**
     * The child's operating-system pid.
     *
     * @return the pid, which stays known after the child ended
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized long pid() {
        requireOpen();
        if (child == null) {
            throw new IllegalStateException(name + " has no pid: it has not been started");
        }
        return child.pid();
    }

    /**
     * How the child ended: null while it runs or before it starts; 0 after the target returned; 1 after it
     * threw; N after {@code System.exit(N)}; -N after signal N (-15 after {@link #terminate()}, -9 after
     * {@link #kill()}). The JDK reports a death by signal N as 128 + N, so a child that calls
     * {@code System.exit} with 129 to 192 is reported as a signal death too ({@code System.exit(130)} as -2).
     *
     * @return the exit code, or null while the child runs or before it starts
     */
    public Integer exitCode() {
        if (!ended.isDone()) {
            return null;
        }
        endingObserved = true;
        return exitCode;
    }

    /**
     * Why the child ended, once it has: {@link DeathCause.Kind#EXIT} with its exit code, a crash, a signal
     * from {@link #terminate()} or {@link #kill()} ({@link DeathCause.Kind#KILLED_BY_THIS_PROCESS}), or one
     * from outside (with a hint when the kernel's OOM killer acted); null while it runs or before it starts.
     *
     * @return the cause, or null while the child runs or before it starts
     */
    public DeathCause deathCause() {
        return ended.isDone() ? deathCause : null;
    }

    /**
     * Why the process failed, once it has ended: the exception its target threw (its original type where it
     * can be re-created here, else a {@link RemoteException}, with the child's stack trace and a
     * {@link RemoteOrigin}), or the {@link ProcessStartException} when the JVM did not start.
     *
     * @return the failure, or empty while the child runs, before it starts, and when the target returned normally
     */
    public Optional<Throwable> exception() {
        if (!ended.isDone()) {
            return Optional.empty();
        }
        endingObserved = true;
        return Optional.ofNullable(startFailure != null ? startFailure : exception);
    }

    /** For {@link FailureWatch}: how this process failed, if it did and nobody looked. */
    Optional<FailureWatch.UnreadFailure> unreadFailure() {
        if (!ended.isDone() || endingObserved || stoppedOnPurpose) {
            return Optional.empty();
        }
        Throwable failure = startFailure != null ? startFailure : exception;
        if (failure == null && exitCode != null && exitCode != 0) {
            failure = new MultiprocessingException(name + " exited with code " + exitCode);
        }
        String source;
        synchronized (this) {
            source = name + (child == null ? "" : " (pid " + child.pid() + ")");
        }
        return failure == null ? Optional.empty() : Optional.of(new FailureWatch.UnreadFailure(source, failure));
    }

    /** For {@link FailureWatch}: kills it if it is still running; returns whether it was. */
    boolean stopIfRunning() {
        ChildProcess running;
        synchronized (this) {
            running = child != null && !ended.isDone() ? child : null;
            if (running == null) {
                return false;
            }
            stoppedOnPurpose = true;
        }
        running.kill();
        try {
            ended.get(OUTCOME_DRAIN_MILLIS * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Killed; the exit callback finishes the bookkeeping on its own.
        }
        return true;
    }

    /** Asks the child to stop with SIGTERM; it runs its shutdown hooks. No effect once it has ended. */
    public synchronized void terminate() {
        ChildProcess running = requireStartedChild();
        if (!ended.isDone()) {
            stoppedOnPurpose = true;
            running.terminate();
        }
    }

    /** Kills the child with SIGKILL. No effect once it has ended. */
    public synchronized void kill() {
        ChildProcess running = requireStartedChild();
        if (!ended.isDone()) {
            stoppedOnPurpose = true;
            running.kill();
        }
    }

    private ChildProcess requireStartedChild() {
        requireOpen();
        if (child == null) {
            throw new IllegalStateException(name + " has not been started");
        }
        return child;
    }

    /**
     * Releases this object. Python's semantics: an error while the child runs.
     *
     * @throws IllegalStateException if the child is still running
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (child != null && !ended.isDone()) {
            throw new IllegalStateException(name + " is still running; join() or terminate() it before close()");
        }
        state = State.CLOSED;
    }

    private void requireOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /**
     * The process's name: {@code Process-1}, {@code Process-2}, … by default (Python's scheme, with
     * {@code Process-1:1} for the first child of a child named {@code Process-1}). Used only in messages and logs.
     *
     * @return the name
     */
    public synchronized String name() {
        return name;
    }

    /**
     * Renames the process, for messages and logs; the child sees the new name if it is set before {@link #start()}.
     *
     * @param name the new name
     * @throws NullPointerException if {@code name} is null
     */
    public synchronized void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Whether this JVM kills the child at exit instead of waiting for it (Python's {@code daemon}).
     *
     * @return true for a daemon child; false by default
     */
    public synchronized boolean isDaemon() {
        return daemon;
    }

    /**
     * Daemon children are killed when this JVM exits; others are waited for.
     *
     * @param daemon true to kill the child when this JVM exits; false (the default) to wait for it
     * @throws IllegalStateException once started
     */
    public synchronized void setDaemon(boolean daemon) {
        if (state != State.NEW) {
            throw new IllegalStateException("cannot change the daemon flag of " + name + " after start()");
        }
        this.daemon = daemon;
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder("Process[name=").append(name);
        if (child != null) {
            text.append(", pid=").append(child.pid());
        }
        text.append(", ").append(state == State.NEW ? "initial" : ended.isDone() ? "ended" : "started");
        if (ended.isDone() && exitCode != null) {
            text.append(", exitCode=").append(exitCode);
        }
        if (daemon) {
            text.append(", daemon");
        }
        return text.append(']').toString();
    }
}
