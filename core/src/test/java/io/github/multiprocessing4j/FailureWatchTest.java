package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureWatchTest {

    static void boom() {
        throw new AssertionError("expected 1 but was 2");
    }

    static int boomValue() {
        throw new IllegalStateException("task broke");
    }

    @Test
    void processFailureNobodyRead_isReported_andOneThatWasRead_isNot() throws Exception {
        FailureWatch.Report report;
        Process unread;
        try (FailureWatch watch = FailureWatch.open()) {
            unread = new Process(FailureWatchTest::boom);
            unread.start();
            unread.join();
            Process read = new Process(FailureWatchTest::boom);
            read.start();
            read.join();
            assertTrue(read.exception().isPresent());
            Process exits = new Process(() -> System.exit(4));
            exits.start();
            exits.join();
            report = watch.finish();
        }
        assertEquals(2, report.unreadFailures().size(), report.toString());
        FailureWatch.UnreadFailure first = report.unreadFailures().get(0);
        assertEquals(unread.name() + " (pid " + unread.pid() + ")", first.source());
        assertInstanceOf(AssertionError.class, first.failure());
        assertTrue(report.unreadFailures().get(1).failure().getMessage().endsWith("exited with code 4"));
    }

    @Test
    void poolResultsNobodyRead_areReportedByCallAndFunction() throws Exception {
        FailureWatch.Report report;
        try (FailureWatch watch = FailureWatch.open(); Pool pool = new Pool(1)) {
            AsyncResult<Integer> unread = pool.applyAsync(FailureWatchTest::boomValue);
            AsyncResult<Integer> read = pool.applyAsync(FailureWatchTest::boomValue);
            assertThrows(IllegalStateException.class, read::get);
            AsyncResult<List<Integer>> map = pool.mapAsync(x -> FailureWatchTest.boomValue(), List.of(1, 2, 3));
            AsyncResult<Integer> fine = pool.applyAsync(() -> 1);
            unread.waitFor();
            map.waitFor();
            fine.waitFor();
            report = watch.finish();
        }
        List<String> sources = report.unreadFailures().stream().map(FailureWatch.UnreadFailure::source).toList();
        assertEquals(List.of("the result of applyAsync(FailureWatchTest::boomValue)",
                "the result of map(a lambda in FailureWatchTest.poolResultsNobodyRead_areReportedByCallAndFunction)"),
                sources);
        report.unreadFailures().forEach(f -> assertInstanceOf(IllegalStateException.class, f.failure()));
    }

    @Test
    void taskStillRunningAtTheEnd_isWaitedForBeforeItsPoolIsTerminated() throws Exception {
        FailureWatch.Report report;
        try (FailureWatch watch = FailureWatch.open()) {
            Pool pool = new Pool(1);
            pool.applyAsync((Integer ms) -> {
                Thread.sleep(ms);
                return boomValue();
            }, 300);
            report = watch.finish();
        }
        assertEquals(1, report.unreadFailures().size(), report.toString());
        assertInstanceOf(IllegalStateException.class, report.unreadFailures().get(0).failure());
        assertEquals(1, report.stopped().size());
    }

    @Test
    void runningProcessesAndOpenPools_areStopped_andTerminatedProcessesAreNoFailure() throws Exception {
        Process sleeper;
        Pool pool;
        FailureWatch.Report report;
        try (FailureWatch watch = FailureWatch.open()) {
            sleeper = new Process(() -> Thread.sleep(60_000));
            sleeper.start();
            Process terminated = new Process(() -> Thread.sleep(60_000));
            terminated.start();
            terminated.terminate();
            terminated.join();
            pool = new Pool(1);
            report = watch.finish();
        }
        assertFalse(sleeper.isAlive());
        assertTrue(pool.workers().isEmpty() || pool.join(java.time.Duration.ofSeconds(10)));
        assertEquals(List.of(sleeper.name() + " was still running and has been killed",
                "a pool of 1 workers was left open and has been terminated"), report.stopped());
        assertEquals(List.of(), report.unreadFailures());
    }

    @Test
    void outsideAWatch_nothingIsTracked_andNestedWatchesRestoreTheOuterOne() throws Exception {
        try (FailureWatch outer = FailureWatch.open()) {
            try (FailureWatch inner = FailureWatch.open()) {
                assertEquals(0, inner.finish().unreadFailures().size());
            }
            Process p = new Process(FailureWatchTest::boom);
            p.start();
            p.join();
            assertEquals(1, outer.finish().unreadFailures().size(), "after the inner closed, the outer watches again");
        }
    }
}
