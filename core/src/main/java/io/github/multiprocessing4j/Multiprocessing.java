package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.Identity;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Module-level functions of Python's {@code multiprocessing}: who am I, who is my parent, which children are
 * running, how many CPUs there are; and how children start.
 *
 * <h2>Warm spares</h2>
 * A child JVM takes 100 to 200 ms to boot. Once a first child has started, this JVM keeps one <em>spare</em>
 * per distinct {@link JvmOptions} (for at most four of them): a child JVM that has already booted, connected
 * and warmed up, and waits to be given a target. {@link Process#start()} and new pool workers take a spare
 * when one is waiting, so the target runs within milliseconds; a replacement starts in the background. A
 * spare is a fresh JVM in every way a program can observe: its own pid, this JVM as its parent, the same
 * class path, JVM options, environment and working directory as a child started on demand, and no user
 * code run before its target. It costs an idle JVM's memory (about 60 MB resident with default heap
 * settings) and no CPU while it waits; spares never delay this JVM's exit and die with it, even after
 * {@code kill -9}. Turn them off with {@link #setSpares setSpares(0)} or the system property
 * {@code -Dmultiprocessing4j.spares=0}; start them ahead of the first child with {@link #prestart}.
 *
 * <h2>Comparison with Python</h2>
 * Python 3.14 made {@code forkserver} (a server process that forks fresh children on request) its default
 * start method on Linux, for the same reason: starting an interpreter from scratch is slow. Spares are this
 * library's answer without {@code fork}: every child is still a fresh JVM, started ahead of time.
 */
public final class Multiprocessing {
    private static final Set<Process> children = ConcurrentHashMap.newKeySet();

    private Multiprocessing() {}

    /**
     * This JVM: {@code MainProcess} in the root, otherwise the name its parent gave it, and its pid.
     *
     * @return this JVM's name and pid (Python's {@code current_process()})
     */
    public static ProcessInfo currentProcess() {
        return Identity.current();
    }

    /**
     * The JVM that started this one, or empty in the root JVM: Python's {@code parent_process()}. Ask it
     * {@link ProcessInfo#isAlive()} or wait for it with {@link ProcessInfo#join(Duration)}.
     *
     * @return the parent, or empty in the root JVM
     */
    public static Optional<ProcessInfo> parentProcess() {
        return Identity.parent();
    }

    /**
     * The {@link Process} children of this JVM that are still running. Pool workers are owned by their pool
     * and not listed here.
     *
     * @return a snapshot of the running children, in no particular order (Python's {@code active_children()})
     */
    public static List<Process> activeChildren() {
        return children.stream().filter(Process::isAlive).toList();
    }

    /**
     * The number of processors available to this JVM.
     *
     * @return {@link Runtime#availableProcessors()}, which honours CPU affinity, as Python 3.13's
     *     {@code os.process_cpu_count()} does (Python's {@code cpu_count()} does not), and container CPU limits
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Starts spare child JVMs for the default {@link JvmOptions} now, in the background, until {@code count}
     * are waiting, so that even the first {@code Process} or pool of this JVM starts warm.
     *
     * @param count how many spares should be waiting; 0 starts none
     * @return completes once those spares have booted and connected (or failed to); waiting for it is optional
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static CompletableFuture<Void> prestart(int count) {
        return prestart(count, JvmOptions.defaults());
    }

    /**
     * As {@link #prestart(int)}, for children started with {@code options}.
     *
     * @param count how many spares should be waiting; 0 starts none
     * @param options the options the children that will use the spares are launched with
     * @return completes once those spares have booted and connected (or failed to); waiting for it is optional
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static CompletableFuture<Void> prestart(int count, JvmOptions options) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0: " + count);
        }
        return Launcher.get().prestart(Objects.requireNonNull(options, "options"), count);
    }

    /**
     * How many spares to keep for each distinct {@link JvmOptions} once a child with those options has
     * started (default 1, or the system property {@code multiprocessing4j.spares}); 0 turns spares off and
     * ends those waiting.
     *
     * @param perOptions the number of spares per distinct {@link JvmOptions}; 0 for none
     * @throws IllegalArgumentException if {@code perOptions} is negative
     */
    public static void setSpares(int perOptions) {
        if (perOptions < 0) {
            throw new IllegalArgumentException("perOptions must be at least 0: " + perOptions);
        }
        Launcher.get().setSparesPerOptions(perOptions);
    }

    /**
     * Waits until at least one of {@code objects} is ready and returns those ready, in the given order:
     * Python's {@code multiprocessing.connection.wait(object_list)}. A {@link Process} (or its
     * {@link Process#sentinel()}) is ready once it ended, a {@link Connection} or {@link SocketConnection}
     * once something can be received or its peer is closed ({@link Connection#poll()}), a {@link Queue} or {@link SimpleQueue}
     * once it holds an item, an {@link AsyncResult} or {@link java.util.concurrent.Future} once it is done.
     * Nothing is consumed: receive or get afterwards.
     *
     * <p>Comparison with Python: the same call, taking this library's objects; processes, results and
     * completable futures wake the caller at once, pipe ends, socket connections and queues are checked every
     * few milliseconds
     * (at most 20 ms apart).
     *
     * @param <T> the type of the objects
     * @param objects the objects to wait on; at least one should become ready, or this waits forever
     * @return the ready objects, in the order of {@code objects}; never empty
     * @throws IllegalArgumentException if an object is of another kind
     * @throws IllegalStateException if a process was never started, or a connection is closed here
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public static <T> List<T> waitAny(Collection<? extends T> objects) throws InterruptedException {
        return WaitAny.waitAny(objects, null);
    }

    /**
     * As {@link #waitAny(Collection)}, waiting at most {@code timeout}: Python's
     * {@code wait(object_list, timeout)}. Returns an empty list if nothing was ready in time.
     *
     * @param <T> the type of the objects
     * @param objects the objects to wait on
     * @param timeout how long to wait at most; zero or negative to only check
     * @return the ready objects, in the order of {@code objects}; empty if none was ready in time
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if an object is of another kind
     * @throws IllegalStateException if a process was never started, or a connection is closed here
     */
    public static <T> List<T> waitAny(Collection<? extends T> objects, Duration timeout) throws InterruptedException {
        return WaitAny.waitAny(objects, Objects.requireNonNull(timeout, "timeout"));
    }

    static void register(Process process) {
        children.add(process);
    }

    static void unregister(Process process) {
        children.remove(process);
    }
}
