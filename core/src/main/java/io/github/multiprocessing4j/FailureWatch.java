package io.github.multiprocessing4j;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps watch, while open, over the processes, pools and pool results created on the thread that opened it
 * (and on threads started from it), so that nothing that failed goes unnoticed and nothing is left running.
 *
 * <p>This is how the JUnit extension makes the talk's "this will pass but it shouldn't" case fail: a test
 * that starts a process whose target throws, or submits a task that fails, and never reads the failure
 * ({@link Process#exception()}, {@link Process#exitCode()}, {@link AsyncResult#get()}, …) gets that
 * failure reported when the watch closes. It can serve any program the same way:
 *
 * <pre>{@code
 * try (FailureWatch watch = FailureWatch.open()) {
 *     new Process(Example::check).start();
 *     ...
 *     FailureWatch.Report report = watch.finish();   // kills what is still running
 *     report.unreadFailures().forEach(f -> log.error(f.source(), f.failure()));
 * }
 * }</pre>
 *
 * <p>What counts as read: for a process, calling {@code exception()} or {@code exitCode()} after it ended,
 * or a {@code join()} that threw; a process stopped with {@code terminate()} or {@code kill()} has no
 * failure to read. For a result, {@code get}, {@code successful}, {@code cancel}, or handing it on with
 * {@code toCompletableFuture()} or a callback. Watches nest: opening one hides the outer one until closed.
 *
 * <h2>Comparison with Python</h2>
 * Python has no counterpart. A {@code Process} whose target raises prints the traceback to its stderr and
 * sets {@code exitcode} to 1, and a failed {@code AsyncResult} or {@code Future} that nobody reads is
 * silent, so a test that forgets to look passes. Python users check {@code exitcode} and call {@code get()}
 * or {@code result()} on every result by hand; this watch does it for them, and kills what was left
 * running, as {@code Pool.terminate()} in a test's teardown would.
 */
public final class FailureWatch implements AutoCloseable {
    /** How long {@link #finish()} waits for pending results before it reports. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final InheritableThreadLocal<FailureWatch> CURRENT = new InheritableThreadLocal<>();

    private final FailureWatch outer;
    /* Guarded by this. */
    private final List<Process> processes = new ArrayList<>();
    private final List<AsyncResult<?>> results = new ArrayList<>();
    private final List<Pool> pools = new ArrayList<>();
    private boolean open = true;

    private FailureWatch(FailureWatch outer) {
        this.outer = outer;
    }

    /**
     * Starts watching on this thread and the threads it starts from now on.
     *
     * @return the new watch; close it (or call {@link #finish()}) to stop watching
     */
    public static FailureWatch open() {
        FailureWatch watch = new FailureWatch(CURRENT.get());
        CURRENT.set(watch);
        return watch;
    }

    /**
     * A failure nobody read: where it came from, in words, and the exception itself.
     *
     * @param source what failed, in words: a process's name and pid, or the kind of pool result and its function
     * @param failure the failure, as the reader would have got it
     */
    public record UnreadFailure(String source, Throwable failure) {}

    /**
     * What the watch found.
     *
     * @param unreadFailures failures of watched processes and results that were never read
     * @param stopped watched processes and pools that were still running, and have been killed
     */
    public record Report(List<UnreadFailure> unreadFailures, List<String> stopped) {}

    /**
     * Stops watching and reports, as {@link #finish(Duration)} with a grace period of
     * {@link #DEFAULT_GRACE}.
     *
     * @return what the watch found; empty lists if it found nothing or had already finished
     */
    public Report finish() {
        return finish(DEFAULT_GRACE);
    }

    /**
     * Stops watching and reports. First it waits, at most {@code grace} in all, for watched pool results that
     * are still pending, so that a task submitted just before the end and failing is not missed (a result
     * still pending after that is not reported). Then it kills the watched processes still running,
     * terminates the watched pools still open, and collects the failures nobody read. A second call
     * reports nothing.
     *
     * @param grace how long to wait in all for pending results before reporting
     * @return what the watch found; empty lists if it found nothing or had already finished
     */
    public Report finish(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        List<Process> watchedProcesses;
        List<AsyncResult<?>> watchedResults;
        List<Pool> watchedPools;
        synchronized (this) {
            if (!open) {
                return new Report(List.of(), List.of());
            }
            open = false;
            watchedProcesses = List.copyOf(processes);
            watchedResults = List.copyOf(results);
            watchedPools = List.copyOf(pools);
            // A thread started while the watch was open may keep a reference to it; keep it small.
            processes.clear();
            results.clear();
            pools.clear();
        }
        if (CURRENT.get() == this) {
            CURRENT.set(outer);
        }
        awaitPending(watchedResults, grace);
        List<String> stopped = new ArrayList<>();
        for (Process process : watchedProcesses) {
            if (process.stopIfRunning()) {
                stopped.add(process.name() + " was still running and has been killed");
            }
        }
        for (Pool pool : watchedPools) {
            if (!pool.isShutdownOrTerminated()) {
                pool.terminate();
                stopped.add("a pool of " + pool.processes() + " workers was left open and has been terminated");
            }
        }
        List<UnreadFailure> unread = new ArrayList<>();
        for (Process process : watchedProcesses) {
            process.unreadFailure().ifPresent(unread::add);
        }
        for (AsyncResult<?> result : watchedResults) {
            result.unreadFailure().ifPresent(unread::add);
        }
        return new Report(List.copyOf(unread), List.copyOf(stopped));
    }

    private static void awaitPending(List<AsyncResult<?>> results, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (AsyncResult<?> result : results) {
            try {
                result.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | CancellationException | TimeoutException e) {
                // Failed (reported below if unread), cancelled, or still pending: nothing to wait for.
            }
        }
    }

    /** Same as {@link #finish()}, discarding the report. */
    @Override
    public void close() {
        finish();
    }

    static void watch(Process process) {
        FailureWatch watch = CURRENT.get();
        if (watch != null) {
            watch.add(process, watch.processes);
        }
    }

    static void watch(AsyncResult<?> result) {
        FailureWatch watch = CURRENT.get();
        if (watch != null) {
            watch.add(result, watch.results);
        }
    }

    static void watch(Pool pool) {
        FailureWatch watch = CURRENT.get();
        if (watch != null) {
            watch.add(pool, watch.pools);
        }
    }

    private synchronized <T> void add(T item, List<T> list) {
        if (open) {
            list.add(item);
        }
    }

    /**
     * A short name for a task function: {@code Example::check} for a method reference,
     * {@code a lambda in Example.test} for a lambda, the class name otherwise.
     */
    static String describe(Object function) {
        Objects.requireNonNull(function, "function");
        if (function instanceof Serializable && function.getClass().isSynthetic()) {
            try {
                Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                if (writeReplace.invoke(function) instanceof SerializedLambda lambda) {
                    String owner = lambda.getImplClass();
                    owner = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
                    String method = lambda.getImplMethodName();
                    if (method.startsWith("lambda$")) {
                        String enclosing = method.substring("lambda$".length());
                        int end = enclosing.indexOf('$');
                        return "a lambda in " + owner + "." + (end < 0 ? enclosing : enclosing.substring(0, end));
                    }
                    return owner + "::" + method;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Fall through to the class name.
            }
        }
        return function.getClass().getName();
    }
}
