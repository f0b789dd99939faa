package io.github.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.internal.launch.ChildSide;
import io.github.multiprocessing4j.internal.pool.FakeWorkers.FakeWorker;
import io.github.multiprocessing4j.internal.runtime.ManualScheduler;
import io.github.multiprocessing4j.internal.wire.Message;
import io.github.multiprocessing4j.internal.worker.Job;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool's rules, run against workers and a clock that live in memory ({@link FakeWorkers},
 * {@link ManualScheduler}): every race is played in a chosen order, and no JVM is started.
 * {@code PoolTest} and {@code PoolFaultsTest} prove the same rules against real worker JVMs.
 */
@Timeout(10)
class PoolCoreTest {
    private final FakeWorkers workers = new FakeWorkers();
    private final ManualScheduler clock = new ManualScheduler();

    /** A job that is only encoded here: fake workers never run it. */
    record Noop(int n) implements Job {
        @Override
        public Object run() {
            return n;
        }
    }

    private PoolCore pool(int size) {
        return new PoolCore(size, workers, clock, null, 0);
    }

    private static PoolTask submit(PoolCore pool, int n) {
        return pool.submit(new Noop(n), "task " + n, null);
    }

    private static Throwable failureOf(PoolTask task) {
        assertThat(task.result()).isCompletedExceptionally();
        try {
            task.result().get(0, TimeUnit.SECONDS);
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void launchesAllWorkersAtOnce_andTheFirstReadyTakesTheFirstTask() {
        PoolCore pool = pool(3);
        assertThat(workers.launched()).hasSize(3);
        PoolTask task = submit(pool, 1);
        workers.get(2).connect();
        assertThat(workers.get(2).lastTask().taskId()).isEqualTo(task.id);
        assertThat(workers.get(0).received()).isEmpty();
    }

    @Test
    void aWorkerRunsOneTaskAtATime_theRestWaitForAnIdleWorker() throws Exception {
        PoolCore pool = pool(2);
        workers.connectAll();
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        PoolTask c = submit(pool, 3);
        FakeWorker first = workers.get(0);
        FakeWorker second = workers.get(1);
        assertThat(first.received()).hasSize(1);
        assertThat(second.received()).hasSize(1);

        first.succeed(first.lastTask().taskId(), "one");
        assertThat(a.result().get()).isEqualTo("one");
        assertThat(first.lastTask().taskId()).isEqualTo(c.id);
        assertThat(b.result()).isNotDone();
    }

    @Test
    void aWorkerThatDiesMidTask_failsExactlyThatTask_andIsReplaced() {
        PoolCore pool = pool(2);
        workers.connectAll();
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        FakeWorker dying = workers.get(0);

        dying.exit(1);

        assertThat(failureOf(a)).isInstanceOf(WorkerDiedException.class)
                .hasMessageContaining(dying.name()).hasMessageContaining("last words of " + dying.name());
        WorkerDiedException died = (WorkerDiedException) failureOf(a);
        assertThat(died.pid()).isEqualTo(dying.pid());
        assertThat(died.exitCode()).isEqualTo(1);
        assertThat(b.result()).isNotDone();
        assertThat(workers.alive()).hasSize(2).doesNotContain(dying);
    }

    @Test
    void aWorkerKilledBySignal_reportsTheSignalAsPythonDoes() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = submit(pool, 1);
        workers.get(0).exit(128 + 9);
        assertThat(((WorkerDiedException) failureOf(task)).exitCode()).isEqualTo(-9);
    }

    @Test
    void aTaskOverItsTimeout_failsWithTaskTimeoutException_andItsWorkerIsKilledAndReplaced() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = pool.submit(new Noop(1), "slow", Duration.ofSeconds(5));
        FakeWorker worker = workers.get(0);

        clock.advance(Duration.ofMillis(4999));
        assertThat(task.result()).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThat(failureOf(task)).isInstanceOf(TaskTimeoutException.class).hasMessageContaining(worker.name());
        assertThat(worker.wasKilled()).isTrue();
        assertThat(workers.alive()).hasSize(1).doesNotContain(worker);
    }

    @Test
    void anOutcomeBeforeTheTimeout_cancelsTheTimer() throws Exception {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = pool.submit(new Noop(1), "quick", Duration.ofSeconds(5));
        FakeWorker worker = workers.get(0);
        worker.succeed(task.id, 42);
        clock.advance(Duration.ofSeconds(10));
        assertThat(task.result().get()).isEqualTo(42);
        assertThat(worker.wasKilled()).isFalse();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void anOutcomeAfterTheTimeoutFired_isIgnored() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = pool.submit(new Noop(1), "late", Duration.ofSeconds(1));
        FakeWorker worker = workers.get(0);
        clock.advance(Duration.ofSeconds(1));
        worker.succeed(task.id, "too late");
        assertThat(failureOf(task)).isInstanceOf(TaskTimeoutException.class);
    }

    @Test
    void aTimeoutThatFiresAfterTheWorkerDied_doesNotKillItsReplacement() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = pool.submit(new Noop(1), "doomed", Duration.ofSeconds(1));
        workers.get(0).exit(1);
        workers.connectAll();
        clock.advance(Duration.ofSeconds(2));
        assertThat(failureOf(task)).isInstanceOf(WorkerDiedException.class);
        assertThat(workers.get(1).wasKilled()).isFalse();
    }

    @Test
    void whenAWholeRoundOfWorkersFailsToStart_thePoolIsBroken_insteadOfRelaunchingForever() {
        PoolCore pool = pool(2);
        PoolTask queued = submit(pool, 1);
        workers.get(0).failToStart(1);
        assertThat(workers.launched()).hasSize(3); // one failure of two: retried
        workers.get(1).failToStart(1);

        assertThat(failureOf(queued)).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("Could not create the Java Virtual Machine");
        assertThatThrownBy(() -> submit(pool, 2)).isInstanceOf(ProcessStartException.class);
        assertThat(workers.launched()).hasSize(3);
    }

    @Test
    void issue11_workersThatCouldNotConnectBack_areRelaunchedWithBackOff_andThePoolRecovers() {
        PoolCore pool = pool(1);
        PoolTask queued = submit(pool, 1);
        for (int attempt = 0; attempt < 5; attempt++) {
            workers.get(attempt).failToStart(ChildSide.CANNOT_CONNECT); // refused by a flooded socket
            assertThat(workers.launched()).as("not relaunched before its back-off").hasSize(attempt + 1);
            clock.advance(Duration.ofNanos(PoolCore.RETRY_FIRST_NANOS << attempt));
            assertThat(workers.launched()).as("relaunched after the back-off").hasSize(attempt + 2);
        }
        FakeWorker survivor = workers.get(5);
        survivor.connect();
        survivor.succeed(survivor.lastTask().taskId(), "done");
        assertThat(queued.result).isCompletedWithValue("done");
        assertThat(submit(pool, 2).result).isNotDone(); // not broken
    }

    @Test
    void issue11_aRelaunchWaitingForItsBackOff_isCalledOffByTerminate() {
        PoolCore pool = pool(1);
        workers.get(0).failToStart(ChildSide.CANNOT_CONNECT);
        pool.terminate();
        assertThat(pool.terminated()).isDone();
        clock.advance(Duration.ofSeconds(10));
        assertThat(workers.launched()).hasSize(1);
    }

    @Test
    void aWorkerThatBecameReady_resetsTheStartFailureCount() {
        PoolCore pool = pool(2);
        workers.get(0).failToStart(1);
        workers.get(1).connect();
        workers.get(2).failToStart(1); // the replacement of worker 0
        PoolTask task = submit(pool, 1);
        assertThat(workers.get(1).lastTask().taskId()).isEqualTo(task.id);
    }

    @Test
    void aLauncherThatCannotStartJava_failsQueuedTasksAndNewSubmissions() {
        workers.refuseLaunches(new ProcessStartException("PoolWorker-x", "could not be launched: no such file", null,
                List.of()));
        PoolCore pool = pool(1);
        assertThatThrownBy(() -> submit(pool, 1)).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void maxTasksPerChild_retiresTheWorkerAfterItsTasks_andAReplacementTakesTheRest() throws Exception {
        PoolCore pool = new PoolCore(1, workers, clock, null, 2);
        workers.connectAll();
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        PoolTask c = submit(pool, 3);
        FakeWorker first = workers.get(0);
        first.succeed(a.id, 1);
        first.succeed(first.lastTask().taskId(), 2);
        assertThat(b.result().get()).isEqualTo(2);
        assertThat(first.wasStopped()).isTrue();
        assertThat(c.result()).isNotDone();

        first.exit(0);
        workers.connectAll();
        FakeWorker second = workers.get(1);
        assertThat(second.lastTask().taskId()).isEqualTo(c.id);
    }

    @Test
    void terminateWhileBusy_failsRunningAndQueuedTasks_killsEveryWorker_andEndsThePool() {
        PoolCore pool = pool(2);
        workers.connectAll();
        PoolTask running = submit(pool, 1);
        submit(pool, 2);
        PoolTask queued = submit(pool, 3);

        List<PoolTask> neverStarted = pool.terminate();

        assertThat(neverStarted).containsExactly(queued);
        assertThat(failureOf(running)).isInstanceOf(CancellationException.class);
        assertThat(failureOf(queued)).isInstanceOf(CancellationException.class);
        assertThat(workers.launched()).allMatch(FakeWorker::wasKilled);
        assertThat(pool.terminated()).isCompleted();
        assertThat(workers.launched()).hasSize(2); // no replacement for workers killed on purpose
        assertThatThrownBy(() -> submit(pool, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("terminated");
    }

    @Test
    void terminateBeforeWorkersConnect_killsThemWhenTheyDo() {
        PoolCore pool = pool(1);
        pool.terminate();
        assertThat(workers.get(0).wasKilled()).isTrue();
        assertThat(pool.terminated()).isCompleted();
    }

    @Test
    void shutdown_runsQueuedTasks_thenStopsIdleWorkers_andEndsWhenTheyExit() throws Exception {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        pool.shutdown();
        assertThatThrownBy(() -> submit(pool, 3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");

        FakeWorker worker = workers.get(0);
        worker.succeed(a.id, "a");
        assertThat(worker.wasStopped()).isFalse();
        worker.succeed(b.id, "b");
        assertThat(b.result().get()).isEqualTo("b");
        assertThat(worker.wasStopped()).isTrue();
        CompletableFuture<Void> terminated = pool.terminated();
        assertThat(terminated).isNotDone();
        worker.exit(0);
        assertThat(terminated).isCompleted();
        assertThat(workers.launched()).hasSize(1);
    }

    @Test
    void aWorkerThatDiesWhileClosingWithWorkQueued_isReplacedSoTheWorkStillRuns() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        pool.shutdown();
        workers.get(0).exit(137);
        assertThat(failureOf(a)).isInstanceOf(WorkerDiedException.class);
        workers.connectAll();
        assertThat(workers.get(1).lastTask().taskId()).isEqualTo(b.id);
    }

    @Test
    void cancelWithKill_killsTheRunningTasksWorker_withoutReportingItsDeathAnywhere() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask running = submit(pool, 1);
        PoolTask next = submit(pool, 2);

        assertThat(pool.cancel(running, true)).isTrue();

        assertThat(running.result()).isCancelled();
        assertThat(workers.get(0).wasKilled()).isTrue();
        workers.connectAll();
        assertThat(workers.get(1).lastTask().taskId()).isEqualTo(next.id);
        assertThat(next.result()).isNotDone();
    }

    @Test
    void cancelOfAQueuedTask_removesItWithoutTouchingAnyWorker() {
        PoolCore pool = pool(1);
        PoolTask queued = submit(pool, 1);
        assertThat(pool.cancel(queued, true)).isTrue();
        workers.connectAll();
        assertThat(workers.get(0).received()).isEmpty();
        assertThat(workers.get(0).wasKilled()).isFalse();
    }

    @Test
    void theInitializerRunsFirst_andAFailureInItIsAStartFailure() {
        SerializableRunnable initializer = () -> { };
        PoolCore pool = new PoolCore(1, workers, clock, initializer, 0);
        PoolTask task = submit(pool, 1);
        FakeWorker worker = workers.get(0);
        worker.connect();
        Message.Task first = worker.lastTask();
        assertThat(first.taskId()).isEqualTo(-1);

        worker.fail(first.taskId(), new IllegalStateException("no database"));

        assertThat(worker.wasKilled()).isTrue();
        assertThat(task.result()).isCompletedExceptionally(); // the only worker of the round failed to start
        assertThat(failureOf(task)).isInstanceOf(ProcessStartException.class).hasMessageContaining("no database");
    }

    @Test
    void workersLists_theLiveWorkersWithNamesAndPids() {
        PoolCore pool = pool(2);
        FakeWorker first = workers.get(0);
        first.exit(1);
        assertThat(pool.workers()).extracting(info -> info.pid()).doesNotContain(first.pid()).hasSize(2);
    }
}
