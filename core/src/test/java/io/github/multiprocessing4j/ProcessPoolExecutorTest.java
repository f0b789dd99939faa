package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool as a plain {@link ExecutorService}, following that interface's contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolExecutorTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** A task that sets {@code started} as it begins running in a worker, then sleeps. */
    static SerializableCallable<Long> signalThenSleep(Event started, int millis) {
        return () -> {
            started.set();
            Thread.sleep(millis);
            return ProcessHandle.current().pid();
        };
    }

    static SerializableCallable<Long> sleepThenPid(int millis) {
        return () -> {
            Thread.sleep(millis);
            return ProcessHandle.current().pid();
        };
    }

    @Test
    void submit_runsInAWorker_andGetWrapsFailuresInExecutionException() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(2)) {
            ExecutorService asJdk = executor;
            Future<Long> pid = asJdk.submit(sleepThenPid(0));
            assertNotEquals(ProcessHandle.current().pid(), pid.get());

            Future<Object> failing = asJdk.submit((SerializableCallable<Object>) () -> {
                throw new IllegalStateException("bad state");
            });
            ExecutionException e = assertThrows(ExecutionException.class, failing::get);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("bad state", e.getCause().getMessage());

            Future<String> withResult = asJdk.submit((Runnable & Serializable) () -> { }, "done");
            assertEquals("done", withResult.get());
        }
    }

    @Test
    void plainLambda_isRefusedWithAdvice() {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Callable<Integer> notSerializable = () -> 1;
            SerializationException e = assertThrows(SerializationException.class, () -> executor.submit(notSerializable));
            assertTrue(e.getMessage().contains("(Callable<T> & Serializable)"), e.getMessage());
        }
    }

    @Test
    void invokeAll_andInvokeAny() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(2)) {
            List<Callable<Long>> tasks = List.of(sleepThenPid(10), sleepThenPid(10), sleepThenPid(10));
            List<Future<Long>> all = executor.invokeAll(tasks);
            assertEquals(3, all.size());
            for (Future<Long> f : all) {
                assertTrue(f.isDone());
                assertTrue(f.get() > 0);
            }
            SerializableCallable<String> slow = () -> {
                Thread.sleep(30_000);
                return "slow";
            };
            SerializableCallable<String> fast = () -> "fast";
            assertEquals("fast", executor.invokeAny(List.of(slow, fast)));
        }
    }

    @Test
    void cancelTrue_killsTheWorkerRunningTheTask() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            long before = executor.submit(sleepThenPid(0)).get();
            Event started = new Event();
            Future<Long> running = executor.submit(signalThenSleep(started, 30_000));
            assertTrue(started.waitFor(LONG), "the task is running in the worker");
            assertTrue(running.cancel(true));
            assertTrue(running.isCancelled());
            assertThrows(CancellationException.class, running::get);
            assertNotEquals(before, executor.submit(sleepThenPid(0)).get());
        }
    }

    @Test
    void shutdown_rejectsNewTasks_andTerminates() throws Exception {
        ProcessPoolExecutor executor = new ProcessPoolExecutor(1);
        Future<Long> queued = executor.submit(sleepThenPid(100));
        executor.shutdown();
        assertTrue(executor.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> executor.submit(sleepThenPid(0)));
        assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(executor.isTerminated());
        assertTrue(queued.get() > 0, "work submitted before shutdown still runs");
    }

    @Test
    void shutdownNow_returnsTheTasksThatNeverStarted() throws Exception {
        ProcessPoolExecutor executor = new ProcessPoolExecutor(1);
        Event started = new Event();
        Future<Long> running = executor.submit(signalThenSleep(started, 30_000));
        assertTrue(started.waitFor(LONG), "the first task is running, so the second one waits");
        Runnable neverRuns = (Runnable & Serializable) () -> { };
        executor.execute(neverRuns);
        List<Runnable> notStarted = executor.shutdownNow();
        assertEquals(List.of(neverRuns), notStarted);
        assertThrows(CancellationException.class, running::get);
        assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void futureOfACancelledRunnable_throwsCancellationException() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Future<?> running = executor.submit((Runnable & Serializable) () -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Future<?> queued = executor.submit((Runnable & Serializable) () -> { });
            assertTrue(queued.cancel(false));
            assertThrows(CancellationException.class, queued::get);
            running.cancel(true);
            assertThrows(CancellationException.class, running::get);
        }
    }
}
