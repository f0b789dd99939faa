package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What Python's pool gets wrong: dying workers, timeouts, cancellation, shutdown, broken workers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolFaultsTest {
    @TempDir
    Path dir;

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Waits until the pool lists {@code n} workers. A replacement is launched after its predecessor's death
     * is handled and listed once its JVM has started, so the other worker may serve a few tasks before it
     * shows; a replacement that never comes fails the test.
     */
    static void awaitWorkers(Pool pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.workers().size() != n) {
            assertTrue(System.nanoTime() < deadline, () -> "the pool lists " + pool.workers() + ", not " + n + " workers");
            Thread.sleep(10);
        }
    }

    @Test
    void workerCallingSystemExit_failsOnlyItsTask_isReplaced_andThePoolKeepsServing() throws Exception {
        try (Pool pool = new Pool(2)) {
            AsyncResult<Long> dies = pool.applyAsync((Integer code) -> {
                System.err.println("last words before exit");
                System.exit(code);
                return 0L;
            }, 3);
            List<AsyncResult<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                others.add(pool.applyAsync((Integer x) -> x * 10, i));
            }
            WorkerDiedException e = assertThrows(WorkerDiedException.class, dies::get);
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
            assertTrue(e.getMessage().contains("(pid " + e.pid() + ")"), e.getMessage());
            assertTrue(e.stderrTail().contains("last words before exit"), e.stderrTail().toString());
            for (int i = 0; i < 4; i++) {
                assertEquals(i * 10, others.get(i).get());
            }
            assertEquals(List.of(2, 4, 6), pool.map(x -> x * 2, List.of(1, 2, 3)));
            assertFalse(pool.workers().stream().anyMatch(w -> w.pid() == e.pid()), "the dead worker was replaced");
            awaitWorkers(pool, 2);
        }
    }

    @Test
    void workerKilledBySigkill_failsItsTaskNamingTheSignal() throws Exception {
        Path pidFile = dir.resolve("worker.pid");
        String file = pidFile.toString();
        try (Pool pool = new Pool(1)) {
            AsyncResult<Object> r = pool.applyAsync(() -> {
                Files.writeString(Path.of(file), Long.toString(pid()));
                Thread.sleep(60_000);
                return null;
            });
            while (!Files.exists(pidFile) || Files.size(pidFile) == 0) {
                Thread.sleep(20);
            }
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile))).orElseThrow().destroyForcibly();
            WorkerDiedException e = assertThrows(WorkerDiedException.class, r::get);
            assertEquals(-9, e.exitCode());
            assertTrue(e.getMessage().contains("killed by signal 9 (SIGKILL)"), e.getMessage());
            assertEquals(5, pool.apply((Integer x) -> x, 5));
        }
    }

    @Test
    void workerOutOfMemory_diesAndIsReplaced_withTheErrorInTheMessage() throws Exception {
        Pool pool = Pool.builder().processes(1).jvmOptions(JvmOptions.builder().maxHeap("32m").build()).build();
        try (pool) {
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            });
            WorkerDiedException e = assertThrows(WorkerDiedException.class, r::get);
            assertTrue(e.getMessage().contains("OutOfMemoryError"), e.getMessage());
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    @Test
    void mapWithADyingItem_failsInsteadOfHanging() throws Exception {
        try (Pool pool = new Pool(2)) {
            AsyncResult<List<Integer>> r = pool.mapAsync((Integer x) -> {
                if (x == 3) {
                    Runtime.getRuntime().halt(7);
                }
                return x;
            }, List.of(1, 2, 3, 4, 5, 6), 1);
            WorkerDiedException e = assertThrows(WorkerDiedException.class, r::get);
            assertEquals(7, e.exitCode());
            assertEquals(List.of(1, 2), pool.map(x -> x, List.of(1, 2)));
        }
    }

    @Test
    void taskTimeout_killsTheOverrunningWorker_otherTasksGoOn() throws Exception {
        try (Pool pool = Pool.builder().processes(2).taskTimeout(Duration.ofMillis(500)).build()) {
            AsyncResult<Long> slow = pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return pid();
            }, 30_000);
            AsyncResult<Integer> quick = pool.applyAsync((Integer x) -> x + 1, 1);
            TaskTimeoutException e = assertThrows(TaskTimeoutException.class, slow::get);
            assertEquals(Duration.ofMillis(500), e.timeout());
            assertEquals(2, quick.get());
            awaitWorkers(pool, 2);
            assertEquals(3, pool.apply((Integer x) -> x, 3));
        }
    }

    @Test
    void perCallTimeout_overridesNoDefault() throws Exception {
        try (Pool pool = new Pool(1)) {
            AsyncResult<Integer> r = pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return ms;
            }, 30_000, Duration.ofMillis(300));
            assertThrows(TaskTimeoutException.class, r::get);
            assertEquals(4, pool.apply((Integer x) -> x, 4));
        }
    }

    @Test
    void cancel_queuedTaskNeverRuns_runningTaskKilledOnlyWhenAsked() throws Exception {
        Path ranFile = dir.resolve("ran");
        String ran = ranFile.toString();
        try (Pool pool = new Pool(1)) {
            AsyncResult<Long> running = pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return pid();
            }, 1000);
            AsyncResult<Object> queued = pool.applyAsync(() -> Files.writeString(Path.of(ran), "ran"));
            assertTrue(queued.cancel(false));
            assertTrue(queued.isCancelled());
            assertThrows(CancellationException.class, queued::get);

            long workerBefore = pool.workers().get(0).pid();
            assertTrue(running.cancel(false));
            assertThrows(CancellationException.class, running::get);
            assertEquals(workerBefore, pool.apply(PoolFaultsTest::pid), "cancel(false) lets the worker live");
            assertFalse(Files.exists(ranFile), "a cancelled queued task must never run");

            AsyncResult<Long> killed = pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return pid();
            }, 30_000);
            Thread.sleep(200);
            assertTrue(killed.cancel(true));
            assertThrows(CancellationException.class, killed::get);
            assertNotEquals(workerBefore, pool.apply(PoolFaultsTest::pid), "cancel(true) replaces the worker");
        }
    }

    @Test
    void close_waitsForQueuedWork_thenRefusesNewWork() throws Exception {
        Pool pool = new Pool(1);
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(pool.applyAsync((Integer x) -> {
                Thread.sleep(150);
                return x;
            }, i));
        }
        pool.close();
        for (int i = 0; i < 3; i++) {
            assertTrue(results.get(i).ready(), "close() returns only after queued work is done");
            assertEquals(i, results.get(i).get());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        assertEquals("pool is closed: it accepts no new tasks", e.getMessage());
        assertTrue(pool.workers().isEmpty());
        assertTrue(pool.join(Duration.ofSeconds(1)));
    }

    @Test
    void terminate_endsEveryPendingResult_andRefusesNewWork() throws Exception {
        Pool pool = new Pool(1);
        AsyncResult<Integer> running = pool.applyAsync((Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        }, 30_000);
        AsyncResult<Integer> queued = pool.applyAsync((Integer x) -> x, 1);
        Thread.sleep(200);
        pool.terminate();
        assertThrows(CancellationException.class, running::get);
        assertThrows(CancellationException.class, queued::get);
        pool.join();
        assertTrue(pool.workers().isEmpty());
        assertEquals("pool is terminated: it accepts no new tasks",
                assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1)).getMessage());
    }

    @Test
    void join_whileRunning_isRefused() {
        try (Pool pool = new Pool(1)) {
            assertThrows(IllegalStateException.class, pool::join);
        }
    }

    @Test
    void workersThatCannotStart_failTasksWithTheirStderr_insteadOfRestartingForever() throws Exception {
        Pool pool = Pool.builder().processes(2)
                .jvmOptions(JvmOptions.builder().jvmArgs("-XX:+NoSuchFlagForMp4j").build()).build();
        // Depending on how fast the workers fail, the pool is broken before or after this first submit.
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> pool.applyAsync(() -> 1).get());
        assertTrue(e.getMessage().contains("Unrecognized VM option 'NoSuchFlagForMp4j'"), e.getMessage());
        ProcessStartException refused = assertThrows(ProcessStartException.class, () -> pool.applyAsync(() -> 2));
        assertTrue(refused.getMessage().contains("NoSuchFlagForMp4j"), refused.getMessage());
        pool.terminate();
        assertTrue(pool.join(Duration.ofSeconds(10)));
    }

    static volatile String initialized = "no";

    @Test
    void initializer_runsOnceInEachWorkerBeforeItsTasks() throws Exception {
        try (Pool pool = Pool.builder().processes(2).initializer(() -> initialized = "yes in " + pid()).build()) {
            List<String> seen = pool.map(x -> {
                Thread.sleep(50);
                return initialized.equals("yes in " + pid()) ? "ok" : initialized;
            }, List.of(1, 2, 3, 4), 1);
            assertEquals(List.of("ok", "ok", "ok", "ok"), seen);
            assertEquals("no", initialized, "the initializer must not run in this JVM");
        }
    }

    @Test
    void failingInitializer_failsTasksWithItsException() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(() -> {
            throw new IllegalStateException("no database");
        }).build();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> pool.applyAsync(() -> 1).get());
        assertTrue(e.getMessage().contains("initializer"), e.getMessage());
        Throwable cause = e.getCause() instanceof ProcessStartException p ? p.getCause() : e.getCause();
        assertInstanceOf(IllegalStateException.class, cause);
        assertEquals("no database", cause.getMessage());
        pool.terminate();
    }

    @Test
    void maxTasksPerChild_replacesWorkersAfterThatManyTasks() throws Exception {
        try (Pool pool = Pool.builder().processes(1).maxTasksPerChild(2).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pids.add(pool.apply(PoolFaultsTest::pid));
            }
            assertEquals(pids.get(0), pids.get(1));
            assertNotEquals(pids.get(1), pids.get(2));
            assertEquals(pids.get(2), pids.get(3));
            assertNotEquals(pids.get(3), pids.get(4));
        }
    }

    @Test
    void taskThatLeavesItsInterruptFlagSet_stillDeliversItsResult() throws Exception {
        try (Pool pool = new Pool(1)) {
            assertEquals(5, pool.apply(() -> {
                Thread.currentThread().interrupt();
                return 5;
            }));
            assertEquals(6, pool.apply(() -> 6), "the worker is still alive and serving");
        }
    }

    @Test
    void submittingFromAnInterruptedThread_doesNotBreakTheWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            Thread.currentThread().interrupt();
            AsyncResult<Long> r = pool.applyAsync(() -> ProcessHandle.current().pid());
            assertTrue(Thread.interrupted(), "the caller's flag is left as it was");
            assertEquals(worker, r.get(Duration.ofSeconds(30)), "same worker: its channel was not closed by the interrupt");
        }
    }

    /** A thread (not started) that interrupts {@code target} over and over until {@code done} is set. */
    private static Thread interruptingUntil(Thread target, java.util.concurrent.atomic.AtomicBoolean done) {
        return new Thread(() -> {
            while (!done.get()) {
                target.interrupt();
                Thread.onSpinWait();
            }
        });
    }

    /** Ends {@link #interruptingUntil}'s thread and clears this thread's interrupt flag it left set. */
    private static void stopInterrupting(Thread interrupter, java.util.concurrent.atomic.AtomicBoolean done) {
        done.set(true);
        while (interrupter.isAlive()) {
            try {
                interrupter.join();
            } catch (InterruptedException stillBeingInterrupted) {
                // The interrupter's last interrupts; it ends at once.
            }
        }
        Thread.interrupted();
    }

    @Test
    void submittingWhileInterruptedOverAndOver_neverBreaksTheWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread interrupter = interruptingUntil(Thread.currentThread(), done);
            interrupter.start();
            java.util.List<AsyncResult<Long>> results = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    // Small tasks are written on this thread while it is being interrupted.
                    results.add(pool.applyAsync(() -> ProcessHandle.current().pid()));
                }
            } finally {
                stopInterrupting(interrupter, done);
            }
            for (AsyncResult<Long> result : results) {
                assertEquals(worker, result.get(Duration.ofSeconds(30)), "same worker: its channel was not closed");
            }
        }
    }

    @Test
    void callerInterruptedWhileWaiting_getsInterruptedException_andTheTaskAndWorkerGoOn() throws Exception {
        try (Pool pool = new Pool(1)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            AsyncResult<Long> slow = pool.applyAsync(() -> {
                Thread.sleep(1500);
                return ProcessHandle.current().pid();
            });
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            // The caller waits for the worker's outcome on its own thread when it can: the interrupt ends that
            // wait as it ends any get(), and leaves the worker's connection open.
            assertThrows(InterruptedException.class, slow::get);
            interrupter.join();
            assertEquals(worker, slow.get(Duration.ofSeconds(30)), "the same worker delivers it: its channel was not closed");
            assertEquals(worker, pool.apply(() -> ProcessHandle.current().pid()), "and serves the next task");
            assertEquals(0, pool.stats().workersDied());
        }
    }

    @Test
    void waitingWhileInterruptedOverAndOver_neverBreaksTheWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread interrupter = interruptingUntil(Thread.currentThread(), done);
            int interrupted = 0;
            List<Long> seen = new ArrayList<>();
            interrupter.start();
            try {
                for (int i = 0; i < 300; i++) {
                    // Outcomes are read on this thread while it is being interrupted: between frames and within.
                    AsyncResult<Long> r = pool.applyAsync((Integer n) -> ProcessHandle.current().pid() + n, i);
                    while (true) {
                        try {
                            seen.add(r.get() - i);
                            break;
                        } catch (InterruptedException e) {
                            interrupted++;
                        }
                    }
                }
            } finally {
                stopInterrupting(interrupter, done);
            }
            assertTrue(interrupted > 0, "the waits were interrupted");
            assertEquals(java.util.Collections.nCopies(300, worker), seen, "every task ran on the same worker: its channel was never closed");
            assertEquals(300 + 1, pool.stats().completed());
        }
    }

    @Test
    void outcomesNobodyWaitsFor_stillArrive_rightAfterCallersReadTheirOwn() throws Exception {
        try (Pool pool = new Pool(1)) {
            for (int round = 0; round < 50; round++) {
                // The caller reads its own outcomes, and the pool's reader thread steps aside meanwhile...
                for (int i = 0; i < 20; i++) {
                    assertEquals(i + 1, pool.apply((Integer x) -> x + 1, i));
                }
                // ...yet an outcome that only a callback waits for, and queued tasks behind it, still arrive.
                java.util.concurrent.CompletableFuture<Integer> called = new java.util.concurrent.CompletableFuture<>();
                pool.applyAsync((Integer x) -> x * 2, round, called::complete, called::completeExceptionally);
                List<java.util.concurrent.CompletableFuture<Integer>> queued = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    queued.add(pool.applyAsync((Integer x) -> x, i).toCompletableFuture());
                }
                assertEquals(round * 2, called.get(30, TimeUnit.SECONDS));
                for (int i = 0; i < 3; i++) {
                    assertEquals(i, queued.get(i).get(30, TimeUnit.SECONDS));
                }
            }
        }
    }

    @Test
    void initializerThatEndsTheJvm_breaksThePoolInsteadOfRestartingForever() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(() -> System.exit(9)).build();
        ProcessStartException e = assertThrows(ProcessStartException.class,
                () -> pool.applyAsync(() -> 1).get(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("initializer"), e.getMessage());
        assertEquals(9, e.exitCode());
        pool.terminate();
    }
}
