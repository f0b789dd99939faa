package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Pool} has done and is doing, taken at one instant by {@link Pool#stats()}: tasks queued,
 * running, finished and failed; and for each live worker its pid, the task it runs now and for how long,
 * the tasks it ran, its busy time and how long it took to start.
 *
 * <pre>{@code
 * PoolStats stats = pool.stats();
 * System.out.println(stats);   // one line for the pool, one per worker:
 * // pool of 2: 0 queued, 1 running, 37 completed, 2 failed, 0 cancelled; workers started 3, died 1
 * //   PoolWorker-1 pid 4711: 20 tasks, busy 1.52 s, started in 212 ms, running task 41 (map chunk) for 35 ms
 * //   PoolWorker-3 pid 4733: 18 tasks, busy 1.37 s, started in 9 ms, idle
 * }</pre>
 *
 * <p>A task counts once: {@code completed} when it returned a value; {@code failed} when it threw, its
 * worker died under it or it timed out (a {@code map} chunk is one task); {@code cancelled} when it was
 * cancelled or the pool was terminated before it finished. A task's time is measured from the moment it
 * was sent to its worker.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code multiprocessing.Pool} has no such view. This is the counterpart of the insights of the
 * {@code mpire} library ({@code WorkerPool(enable_insights=True)}, {@code get_insights()}): start-up times
 * and per-worker task counts and busy times, always on (they cost a few counters) and readable at any time,
 * not only after a map.
 *
 * @param processes the number of workers the pool keeps
 * @param queued tasks waiting for a worker
 * @param running tasks being run by a worker now
 * @param completed tasks that returned a value
 * @param failed tasks that threw, timed out, or whose worker died
 * @param cancelled tasks cancelled, or unfinished when the pool was terminated
 * @param workersStarted workers that became ready to take tasks, replacements included
 * @param workersDied workers that ended without being asked to (their task, if any, is counted in failed)
 * @param workers the workers alive now, in the order they were launched
 */
public record PoolStats(int processes, int queued, int running, long completed, long failed, long cancelled,
        long workersStarted, long workersDied, List<Worker> workers) {

    /**
     * A snapshot; {@link Pool#stats()} makes them.
     *
     * @param processes the number of workers the pool keeps
     * @param queued tasks waiting for a worker
     * @param running tasks being run by a worker now
     * @param completed tasks that returned a value
     * @param failed tasks that threw, timed out, or whose worker died
     * @param cancelled tasks cancelled, or unfinished when the pool was terminated
     * @param workersStarted workers that became ready to take tasks, replacements included
     * @param workersDied workers that ended without being asked to
     * @param workers the workers alive now, copied
     * @throws NullPointerException if {@code workers} is null
     */
    public PoolStats {
        workers = List.copyOf(Objects.requireNonNull(workers, "workers"));
    }

    /**
     * One live worker.
     *
     * @param name the worker's name, such as {@code PoolWorker-3}
     * @param pid the worker JVM's process id
     * @param tasks tasks (or {@code map} chunks) it has finished, successfully or not
     * @param busyTime how long it has spent running tasks, including the current one so far
     * @param startupTime how long it took from launch to being ready for tasks (initializer included);
     *     empty while it is still starting
     * @param current the task it runs now; empty when idle or starting
     */
    public record Worker(String name, long pid, long tasks, Duration busyTime, Optional<Duration> startupTime,
            Optional<RunningTask> current) {
        /**
         * One worker's figures.
         *
         * @param name the worker's name
         * @param pid the worker JVM's process id
         * @param tasks tasks it has finished
         * @param busyTime time spent running tasks
         * @param startupTime launch to ready, or empty while starting
         * @param current the task it runs now, or empty
         * @throws NullPointerException if a component is null
         */
        public Worker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(busyTime, "busyTime");
            Objects.requireNonNull(startupTime, "startupTime");
            Objects.requireNonNull(current, "current");
        }

        @Override
        public String toString() {
            return name + " pid " + pid + ": " + tasks + (tasks == 1 ? " task" : " tasks") + ", busy " + format(busyTime)
                    + startupTime.map(d -> ", started in " + format(d)).orElse(", starting")
                    + current.map(t -> ", running " + t).orElse(startupTime.isPresent() ? ", idle" : "");
        }
    }

    /**
     * A task a worker runs now.
     *
     * @param id the pool's number for the task, unique within the pool
     * @param kind what the task is: {@code task} for {@code apply}, {@code map chunk}, and so on
     * @param runningFor how long it has been running
     */
    public record RunningTask(long id, String kind, Duration runningFor) {
        /**
         * A running task's figures.
         *
         * @param id the pool's number for the task
         * @param kind what the task is
         * @param runningFor how long it has been running
         * @throws NullPointerException if {@code kind} or {@code runningFor} is null
         */
        public RunningTask {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(runningFor, "runningFor");
        }

        @Override
        public String toString() {
            return "task " + id + " (" + kind + ") for " + format(runningFor);
        }
    }

    /** The pool on one line, then one line per live worker. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("pool of ").append(processes).append(": ").append(queued)
                .append(" queued, ").append(running).append(" running, ").append(completed).append(" completed, ")
                .append(failed).append(" failed, ").append(cancelled).append(" cancelled; workers started ")
                .append(workersStarted).append(", died ").append(workersDied);
        workers.forEach(worker -> text.append("\n  ").append(worker));
        return text.toString();
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis < 10_000 && millis >= 1_000 ? String.format(java.util.Locale.ROOT, "%.2f s", millis / 1000.0)
                : millis < 1_000 ? millis + " ms" : duration.toSeconds() + " s";
    }
}
