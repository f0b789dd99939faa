package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The name and operating-system pid of a process, as returned by {@link Multiprocessing#currentProcess()}
 * and {@link Multiprocessing#parentProcess()}; one can ask whether it is still running and wait for it to
 * end.
 *
 * <pre>{@code
 * // in a child: stop working once the parent is gone
 * ProcessInfo parent = Multiprocessing.parentProcess().orElseThrow();
 * while (!parent.join(Duration.ofSeconds(1))) { ... }
 * }</pre>
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code parent_process()} returns a {@code _ParentProcess} with {@code is_alive()} and
 *     {@code join(timeout)}; here {@link #isAlive()} and {@link #join(Duration)} answer from the operating
 *     system's view of the pid ({@link ProcessHandle}), for any process, not only a parent.
 *     {@link #join(Duration)} returns whether the process ended, where Python returns {@code None} and
 *     leaves the caller to ask {@code is_alive()}.</li>
 * <li>The record holds the pid, not a handle: should the process end and the operating system give its
 *     pid to a new process, the new one is the one asked about. (A child's parent cannot be in that state
 *     for long: a child exits by itself once its parent is gone.)</li>
 * <li>Joining the current process throws {@link IllegalStateException}, as Python's {@code join()} of
 *     {@code current_process()} raises {@code AssertionError}.</li>
 * </ul>
 *
 * @param name the process name: {@code MainProcess} in the root JVM, otherwise the name its parent gave it
 * @param pid the operating-system process id
 * @serial exclude
 */
public record ProcessInfo(String name, long pid) implements java.io.Serializable {
    /**
     * Checks the components.
     *
     * @param name the process name
     * @param pid the operating-system process id
     * @throws NullPointerException if {@code name} is null
     */
    public ProcessInfo {
        Objects.requireNonNull(name, "name");
    }

    /**
     * Whether the operating system still runs a process with this pid.
     *
     * @return true if a process with this pid is running
     */
    public boolean isAlive() {
        return handle().map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @param timeout how long to wait at most; zero to only check
     * @return whether it has ended (true at once if it had already)
     * @throws IllegalStateException if this is the current process, which would wait for itself
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative but was " + timeout);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalStateException("cannot join the current process " + this + ": it would wait for itself");
        }
        Optional<ProcessHandle> handle = handle();
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        try {
            handle.get().onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !handle.get().isAlive();
        }
    }

    /**
     * Waits, without a bound, for the process to end.
     *
     * @throws IllegalStateException if this is the current process
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        while (!join(Duration.ofDays(1))) {
            // keep waiting: join() has no bound, as Python's join() without a timeout
        }
    }

    private Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
