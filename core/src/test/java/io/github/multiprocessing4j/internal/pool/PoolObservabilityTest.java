package io.github.multiprocessing4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.PoolStats;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.pool.FakeWorkers.FakeWorker;
import io.github.multiprocessing4j.internal.runtime.Log;
import io.github.multiprocessing4j.internal.runtime.ManualScheduler;
import io.github.multiprocessing4j.internal.runtime.RecordingLoggerFinder;
import io.github.multiprocessing4j.internal.runtime.RecordingLoggerFinder.LogRecord;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pool shows of itself (log lines, {@link PoolStats}, JFR events), read as a user would, with
 * workers and a clock in memory ({@link FakeWorkers}, {@link ManualScheduler}) so every number is exact.
 * {@code ObservabilityTest} checks the same against real worker JVMs.
 */
@Timeout(30)
class PoolObservabilityTest {
    private final FakeWorkers workers = new FakeWorkers();
    private final ManualScheduler clock = new ManualScheduler();

    private PoolCore pool(int size) {
        return new PoolCore(size, workers, clock, null, 0);
    }

    private static PoolTask submit(PoolCore pool, int n) {
        return pool.submit(new PoolCoreTest.Noop(n), "task " + n, null);
    }

    private static List<LogRecord> logsAbout(FakeWorker worker) {
        return RecordingLoggerFinder.records(r -> r.logger().equals(Log.POOL) && r.message().contains(worker.name() + " "));
    }

    @Test
    void workerDeath_logsOneWarningWithItsCauseAndTask_andItsReplacementAtDebug() {
        PoolCore pool = pool(2);
        workers.connectAll();
        PoolTask task = submit(pool, 1);
        FakeWorker first = workers.get(0);
        assertThat(first.lastTask().taskId()).isEqualTo(task.id);

        first.exit(128 + 9);

        assertThat(logsAbout(first)).filteredOn(r -> r.level().getSeverity() >= Level.INFO.getSeverity()).singleElement()
                .satisfies(r -> {
                    assertThat(r.level()).isEqualTo(Level.WARNING);
                    assertThat(r.message()).isEqualTo(first.name() + " (pid " + first.pid() + ") died (killed by signal 9 (SIGKILL) from outside)"
                            + " while running task " + task.id + " (task 1); last stderr line: last words of " + first.name()
                            + "; replacing it");
                });
        FakeWorker replacement = workers.get(2);
        replacement.connect();
        assertThat(logsAbout(replacement)).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(Level.DEBUG);
            assertThat(r.message()).startsWith(replacement.name() + " (pid " + replacement.pid() + ") started in ")
                    .endsWith(", replacing " + first.name());
        });
    }

    @Test
    void normalOperation_logsNothingAtInfoOrAbove() {
        PoolCore pool = pool(2);
        workers.connectAll();
        PoolTask task = submit(pool, 1);
        workers.get(0).succeed(task.id, 1);
        pool.shutdown();
        workers.alive().forEach(worker -> worker.exit(0));

        assertThat(pool.terminated()).isDone();
        for (FakeWorker worker : workers.launched()) {
            assertThat(logsAbout(worker)).isNotEmpty().allSatisfy(r -> assertThat(r.level()).isEqualTo(Level.DEBUG));
        }
    }

    @Test
    void timeout_logsAWarningNamingTheTaskAndWorker() {
        PoolCore pool = pool(1);
        workers.connectAll();
        PoolTask task = pool.submit(new PoolCoreTest.Noop(1), "map chunk", Duration.ofSeconds(2));
        FakeWorker worker = workers.get(0);

        clock.advance(Duration.ofSeconds(3));

        assertThat(logsAbout(worker)).filteredOn(r -> r.level() == Level.WARNING).singleElement()
                .extracting(LogRecord::message).isEqualTo("task " + task.id + " (map chunk) timed out after 2000 ms on "
                        + worker.name() + " (pid " + worker.pid() + "); killing the worker");
    }

    @Test
    void brokenPool_logsOneErrorLine() {
        PoolCore pool = pool(2);
        submit(pool, 1);
        List<FakeWorker> first = workers.launched();
        first.forEach(worker -> worker.failToStart(1));

        List<LogRecord> errors = RecordingLoggerFinder.records(r -> r.level() == Level.ERROR
                && r.message().contains(first.get(1).name() + " exited before connecting"));
        assertThat(errors).singleElement().extracting(LogRecord::message).asString()
                .startsWith("pool is broken: 2 workers in a row failed to start; 1 queued tasks fail");
        assertThat(logsAbout(first.get(0))).filteredOn(r -> r.level() == Level.WARNING).singleElement()
                .extracting(LogRecord::message).asString().contains("failed to start");
    }

    @Test
    void stats_countSuccessesFailuresAndADeath_andTimeEachWorker() {
        PoolCore pool = pool(2);
        clock.advance(Duration.ofMillis(100));
        workers.connectAll();
        FakeWorker w0 = workers.get(0);
        FakeWorker w1 = workers.get(1);
        PoolTask a = submit(pool, 1);
        PoolTask b = submit(pool, 2);
        PoolTask c = submit(pool, 3);
        PoolTask d = submit(pool, 4);
        submit(pool, 5);

        clock.advance(Duration.ofMillis(10));
        w0.succeed(a.id, 1);                                       // w0 takes c
        clock.advance(Duration.ofMillis(20));
        w1.fail(b.id, new IllegalStateException("no"));           // w1 takes d
        clock.advance(Duration.ofMillis(30));
        w0.exit(128 + 9);                                          // c dies with w0 after 50 ms

        PoolStats stats = pool.stats();
        assertThat(stats.processes()).isEqualTo(2);
        assertThat(stats.queued()).isEqualTo(1);
        assertThat(stats.running()).isEqualTo(1);
        assertThat(stats.completed()).isEqualTo(1);
        assertThat(stats.failed()).isEqualTo(2);
        assertThat(stats.cancelled()).isZero();
        assertThat(stats.workersStarted()).isEqualTo(2);
        assertThat(stats.workersDied()).isEqualTo(1);
        FakeWorker w2 = workers.get(2);
        assertThat(stats.workers()).containsExactly(
                new PoolStats.Worker(w1.name(), w1.pid(), 1, Duration.ofMillis(60), Optional.of(Duration.ofMillis(100)),
                        Optional.of(new PoolStats.RunningTask(d.id, "task 4", Duration.ofMillis(30)))),
                new PoolStats.Worker(w2.name(), w2.pid(), 0, Duration.ZERO, Optional.empty(), Optional.empty()));
        assertThat(stats.toString()).startsWith("pool of 2: 1 queued, 1 running, 1 completed, 2 failed, 0 cancelled;"
                + " workers started 2, died 1\n  " + w1.name() + " pid " + w1.pid() + ": 1 task, busy 60 ms, started in 100 ms,"
                + " running task " + d.id + " (task 4) for 30 ms\n  " + w2.name() + " pid " + w2.pid() + ": 0 tasks, busy 0 ms, starting");

        clock.advance(Duration.ofMillis(40));
        w2.connect();                                              // takes the fifth task
        pool.terminate();
        PoolStats after = pool.stats();
        assertThat(after.cancelled()).isEqualTo(2);
        assertThat(after.workersStarted()).isEqualTo(3);
        assertThat(after.workersDied()).isEqualTo(1);
    }

    @Test
    void jfr_recordsEachTaskWithItsWorkerAndBytes_andEachWorkerStartAndExit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool.jfr");
        PoolTask ok;
        PoolTask failing;
        try (Recording recording = new Recording()) {
            for (String name : List.of("TaskSubmitted", "TaskStarted", "TaskFinished", "WorkerStarted", "WorkerExited")) {
                recording.enable("multiprocessing4j." + name);
            }
            recording.start();
            PoolCore pool = pool(1);
            workers.connectAll();
            ok = submit(pool, 1);
            workers.get(0).succeed(ok.id, "a result");
            failing = submit(pool, 2);
            workers.get(0).exit(3);
            recording.stop();
            recording.dump(file);
        }
        FakeWorker dead = workers.get(0);
        Set<String> names = workers.launched().stream().map(FakeWorker::name).collect(Collectors.toSet());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("multiprocessing4j."))
                .filter(e -> !e.hasField("worker") || names.contains(e.getString("worker")))
                .filter(e -> !e.hasField("taskId") || e.getLong("taskId") == ok.id || e.getLong("taskId") == failing.id)
                .toList();

        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.TaskSubmitted"))
                .extracting(e -> e.getLong("taskId")).contains(ok.id, failing.id);
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.TaskStarted"))
                .extracting(e -> e.getLong("pid")).containsOnly(dead.pid());
        List<RecordedEvent> finished = events.stream()
                .filter(e -> e.getEventType().getName().equals("multiprocessing4j.TaskFinished")).toList();
        assertThat(finished).extracting(e -> e.getLong("taskId"), e -> e.getString("outcome"), e -> e.getLong("pid"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ok.id, "completed", dead.pid()),
                        org.assertj.core.groups.Tuple.tuple(failing.id, "worker died", dead.pid()));
        assertThat(finished.get(0).getLong("bytesIn")).isPositive();
        assertThat(finished.get(0).getLong("bytesOut")).isPositive();
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.WorkerStarted"))
                .extracting(e -> e.getString("worker")).contains(dead.name());
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.WorkerExited"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getString("worker")).isEqualTo(dead.name());
                    assertThat(e.getString("cause")).isEqualTo("died: exit code 3");
                    assertThat(e.getLong("tasks")).isEqualTo(1);
                });
    }
}
