package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.internal.runtime.Log;
import io.github.multiprocessing4j.internal.runtime.RecordingLoggerFinder;
import io.github.multiprocessing4j.internal.runtime.RecordingLoggerFinder.LogRecord;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of a real pool: the log lines of a worker's death and replacement, {@link Pool#stats()}
 * after a known workload, the JFR events of a recording, progress of a {@code map}. The same rules are
 * checked exactly, in memory, by {@code PoolObservabilityTest} and {@code ProgressCounterProperties}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObservabilityTest {
    static int exitWith(int code) {
        System.exit(code);
        return code;
    }

    @Test
    void workerDeath_isLoggedOnceWithItsCause_andItsReplacementIsLogged() throws Exception {
        try (Pool pool = new Pool(1)) {
            String dying = pool.workers().get(0).name();
            assertThatThrownBy(() -> pool.applyAsync(ObservabilityTest::exitWith, 7).get()).isInstanceOf(WorkerDiedException.class);
            assertThat(pool.apply(() -> 42)).isEqualTo(42);

            List<LogRecord> warnings = RecordingLoggerFinder.records(r -> r.logger().equals(Log.POOL)
                    && r.message().startsWith(dying + " ") && r.level() == Level.WARNING);
            assertThat(warnings).singleElement().extracting(LogRecord::message).asString()
                    .contains(" died (exit code 7) while running task ").endsWith("; replacing it");
            assertThat(RecordingLoggerFinder.records(r -> r.message().endsWith(", replacing " + dying)))
                    .singleElement().extracting(LogRecord::level).isEqualTo(Level.DEBUG);
            String replacement = pool.workers().get(0).name();
            assertThat(RecordingLoggerFinder.records(r -> r.logger().equals(Log.LAUNCH) && r.message().startsWith(replacement + " (pid ")))
                    .singleElement().satisfies(r -> {
                        assertThat(r.level()).isEqualTo(Level.DEBUG);
                        assertThat(r.message()).matches(".*: (used a warm spare|started a JVM, no spare was waiting)");
                    });
        }
    }

    @Test
    void stats_afterSuccessesFailuresAndADeath() throws Exception {
        try (Pool pool = new Pool(2)) {
            assertThat(pool.map(x -> x + 1, IntStream.range(0, 6).boxed().toList(), 1)).hasSize(6);
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.applyAsync(ObservabilityTest::exitWith, 5).get()).isInstanceOf(WorkerDiedException.class);

            PoolStats stats = pool.stats();
            assertThat(stats.completed()).isEqualTo(6);
            assertThat(stats.failed()).isEqualTo(2);
            assertThat(stats.workersDied()).isEqualTo(1);
            // At least the worker that died had started; the second may still be booting when one worker has
            // run every task, and so may the dead worker's replacement.
            assertThat(stats.workersStarted()).isGreaterThanOrEqualTo(1);
            assertThat(stats.queued()).isZero();
            assertThat(stats.running()).isZero();
            assertThat(stats.workers()).isNotEmpty().allSatisfy(worker -> {
                assertThat(worker.pid()).isPositive();
                assertThat(worker.current()).isEmpty();
            });
        }
    }

    @Test
    void jfrRecording_showsEachTaskOnItsWorker_andTheWorkersStarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool.jfr");
        Set<Long> pids;
        try (Recording recording = new Recording()) {
            recording.enable("multiprocessing4j.TaskFinished");
            recording.enable("multiprocessing4j.WorkerStarted");
            recording.start();
            try (Pool pool = new Pool(2)) {
                pool.map(x -> x * 2, List.of(1, 2, 3, 4), 1);
                pids = pool.workers().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.hasField("pid") && pids.contains(e.getLong("pid"))).toList();
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.TaskFinished")).hasSize(4)
                .allSatisfy(e -> {
                    assertThat(e.getString("outcome")).isEqualTo("completed");
                    assertThat(e.getString("kind")).isEqualTo("map chunk");
                    assertThat(e.getLong("bytesIn")).isPositive();
                    assertThat(e.getLong("bytesOut")).isPositive();
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("multiprocessing4j.WorkerStarted"))
                .hasSize(pids.size());
    }

    @Test
    void progress_ofMapAndImap_reachesTheTotalExactlyOnce_countingEveryItem() throws Exception {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        try (Pool pool = new Pool(2)) {
            List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
            assertThat(pool.map(x -> x * 2, items, 3, (done, total) -> calls.add(new long[] {done, total}))).hasSize(10);
            assertThat(calls).extracting(call -> call[0]).hasSize(4).isSorted().last().isEqualTo(10L);
            assertThat(calls).extracting(call -> call[1]).containsOnly(10L);

            List<Long> imapDone = Collections.synchronizedList(new ArrayList<>());
            try (ResultIterator<Integer> results = pool.imapUnordered(x -> x, items, 4, (done, total) -> imapDone.add(done))) {
                results.forEachRemaining(x -> { });
            }
            // Chunks of 4, 4 and 2 finish in any order: 4 or 2 first, then 6 or 8, then 10, once.
            assertThat(imapDone).hasSize(3).isSorted().endsWith(10L).filteredOn(done -> done == 10L).hasSize(1);
            assertThat(imapDone.get(0)).isIn(2L, 4L);
            assertThat(imapDone.get(1)).isIn(6L, 8L);
        }
    }

    @Test
    void stats_showTheTaskAWorkerRunsNow() throws Exception {
        try (Pool pool = new Pool(1)) {
            Event started = new Event();
            Event release = new Event();
            AsyncResult<Void> running = pool.applyAsync(() -> {
                started.set();
                release.waitFor(Duration.ofSeconds(30));
            });
            assertThat(started.waitFor(Duration.ofSeconds(30))).isTrue();
            PoolStats stats = pool.stats();
            assertThat(stats.running()).isEqualTo(1);
            assertThat(stats.workers()).singleElement().satisfies(worker -> {
                assertThat(worker.pid()).isEqualTo(pool.workers().get(0).pid());
                assertThat(worker.current()).hasValueSatisfying(task -> assertThat(task.kind()).isEqualTo("function"));
            });
            release.set();
            running.get(Duration.ofSeconds(30));
        }
    }
}
