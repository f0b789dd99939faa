package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.wire.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How a pool gets its workers: the seam between the pool's rules ({@link PoolCore}) and real JVMs
 * ({@link ChildWorkers}), as a {@code ThreadFactory} is for a {@code ThreadPoolExecutor}. Tests plug in
 * workers that live in memory; warm spares and other backends plug in here too.
 */
public interface WorkerLauncher {
    /**
     * Starts one worker and returns as soon as it exists (it is not yet connected).
     *
     * @param outcomes receives every outcome the worker reports, in order and one at a time, on a library
     *        thread or on a thread in {@link Worker#awaitOutcome}
     * @throws ProcessStartException if it cannot be launched at all
     */
    Worker launch(String name, Consumer<Message.Outcome> outcomes);

    /**
     * Called once, on a library thread, when the pool that owns this launcher has ended (every worker
     * exited after shutdown or terminate): a launcher that holds resources of its own releases them here.
     */
    default void poolEnded() {}

    /**
     * One launched worker. Its futures complete on library threads (or, for a worker in memory, on the
     * thread that drives it); the pool reacts on the completing thread.
     */
    interface Worker {
        String name();

        long pid();

        /**
         * Completes once the worker is connected and can be sent tasks; fails with a
         * {@link ProcessStartException} when it exits first or misses its start timeout.
         */
        CompletableFuture<Void> connected();

        /**
         * Sends a message once connected, without waiting for the worker to read it, and safely on a thread
         * that is or gets interrupted (a caller's). A worker that cannot be reached is dying: its exit
         * reports that, so a failed send is not reported here.
         */
        void send(Message message);

        /**
         * Sends a task as {@link #send} does; {@code timeout} (null for none) is the task's own, which the
         * pool enforces itself by killing this worker. A worker that passes tasks on to another process may
         * hand the timeout on too, as a backstop for a kill that cannot reach that process in time.
         *
         * @param task the task to run
         * @param timeout the task's timeout, or null
         */
        default void sendTask(Message.Task task, Duration timeout) {
            send(task);
        }

        /**
         * Called on a thread about to wait for {@code result}, the result of the task this worker was sent
         * last: the worker may read that task's outcome on the calling thread and hand it to the pool's
         * consumer there, which saves a hand-off between threads. Returns once {@code result} is done, or
         * {@code timeoutNanos} have passed, or at once when this thread cannot read here (another one does);
         * the caller then waits for {@code result} as usual. An interrupt of the calling thread ends this wait
         * and leaves the worker and its connection as they were. The default reads nothing and returns.
         *
         * @throws InterruptedException if the calling thread is interrupted while waiting here
         */
        default void awaitOutcome(CompletableFuture<?> result, long timeoutNanos) throws InterruptedException {}

        /**
         * Whether the tasks sent here reach one worker process that keeps the functions it was sent (a pool
         * worker JVM's {@code FunctionCache}), so that a task may name a function sent before instead of
         * carrying it. False for a worker that passes tasks on to processes it chooses itself.
         */
        default boolean keepsFunctions() {
            return false;
        }

        /** Completes with the raw exit value once the worker has ended. */
        CompletableFuture<Integer> exited();

        /** Ends the worker at once (SIGKILL for a JVM); its exit follows through {@link #exited()}. */
        void kill();

        /** Ends the worker at once, saying why, so that {@link #deathCause} can tell. */
        default void kill(DeathCause.Kind why) {
            kill();
        }

        /**
         * A thread dump of the running worker, taken before it is killed on a timeout: completes with its
         * lines, or with what was captured within a short bound, or empty when the worker cannot give one.
         * Completes on a library thread, never on an output pump's.
         */
        default CompletableFuture<List<String>> threadDump() {
            return CompletableFuture.completedFuture(List.of());
        }

        /** Why the worker ended with {@code rawExitValue} (reported by {@link #exited()}). */
        default DeathCause deathCause(int rawExitValue) {
            int exitCode = ChildProcess.pythonExitCode(rawExitValue, false);
            return new DeathCause(exitCode >= 0 ? DeathCause.Kind.EXIT : DeathCause.Kind.KILLED_FROM_OUTSIDE, exitCode, "");
        }

        /** The last lines the worker wrote to stderr. */
        List<String> stderrTail();

        /** HotSpot's fatal-error banner if the worker's JVM crashed, else empty. */
        default List<String> crashReport() {
            return List.of();
        }
    }
}
