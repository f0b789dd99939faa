package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool's API on one shared pool of two workers, as a user would call it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolTest {
    static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = new Pool(2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    static List<Long> parentAndSelf() {
        return List.of(ProcessHandle.current().parent().orElseThrow().pid(), ProcessHandle.current().pid());
    }

    @Test
    void applyAsync_runsInAWorkerWhoseParentIsThisJvm() throws Exception {
        List<Long> ids = pool.applyAsync(PoolTest::parentAndSelf).get();
        assertEquals(ProcessHandle.current().pid(), ids.get(0));
        assertNotEquals(ProcessHandle.current().pid(), ids.get(1));
        assertTrue(pool.workers().stream().anyMatch(w -> w.pid() == ids.get(1)), "ran in one of " + pool.workers());
    }

    @Test
    void apply_withArgument_returnsTheValue() throws Exception {
        assertEquals(6, pool.apply((Integer x) -> x * 2, 3));
        assertEquals("hello", pool.apply(() -> "hello"));
    }

    @Test
    void map_keepsInputOrder_withDefaultAndExplicitChunks() throws Exception {
        assertEquals(List.of(2, 4, 6), pool.map(x -> x * 2, List.of(1, 2, 3)));
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        List<Integer> expected = input.stream().map(x -> x * x).toList();
        assertEquals(expected, pool.map(x -> x * x, input));
        assertEquals(expected, pool.map(x -> x * x, input, 7));
        assertEquals(List.of(), pool.map(x -> x, List.<Integer>of()));
    }

    @Test
    void map_runsTasksInParallelOnDifferentWorkers() throws Exception {
        Barrier bothRunning = new Barrier(2);
        List<Long> pids = pool.map(x -> {
            bothRunning.await(Duration.ofSeconds(30));
            return ProcessHandle.current().pid();
        }, List.of(1, 2), 1);
        assertEquals(2, new HashSet<>(pids).size(), "two tasks that wait for each other ran in two workers: " + pids);
    }

    @Test
    void defaultChunksize_followsPython() {
        assertEquals(1, pool.defaultChunksize(3));
        assertEquals(1, pool.defaultChunksize(8));
        assertEquals(2, pool.defaultChunksize(9));
        assertEquals(1_250_000, pool.defaultChunksize(10_000_000));
    }

    @Test
    void starmap_appliesToPairsInOrder() throws Exception {
        List<Map.Entry<Integer, String>> pairs = List.of(Map.entry(2, "a"), Map.entry(3, "b"));
        assertEquals(List.of("aa", "bbb"), pool.starmap((n, s) -> s.repeat(n), pairs));
    }

    @Test
    void imap_isOrderedAndLazy_overAnEndlessSource() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> endless = Stream.iterate(0, i -> {
            pulled.incrementAndGet();
            return i + 1;
        }).iterator();
        try (ResultIterator<Integer> results = pool.imap(x -> x + 100, Stream.generate(endless::next), 5)) {
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                first.add(results.next());
            }
            assertEquals(IntStream.range(100, 150).boxed().toList(), first);
            assertTrue(pulled.get() < 50 + 2 * 2 * 5 + 5, "read ahead is bounded, pulled " + pulled.get());
        }
    }

    @Test
    void imapUnordered_yieldsEveryResult_fastestFirst() throws Exception {
        List<Integer> sleeps = List.of(600, 10, 10, 10);
        List<Integer> seen = new ArrayList<>();
        pool.imapUnordered((Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        }, sleeps).forEachRemaining(seen::add);
        assertEquals(Set.copyOf(sleeps), Set.copyOf(seen));
        assertEquals(4, seen.size());
        assertEquals(600, seen.get(3), "the slow item comes last: " + seen);
    }

    @Test
    void imapUnordered_overAnIterator_yieldsEveryResult() {
        Iterator<Integer> source = IntStream.range(0, 50).iterator();
        List<Integer> seen = new ArrayList<>();
        pool.imapUnordered((Integer x) -> x * 3, source, 4).forEachRemaining(seen::add);
        assertEquals(IntStream.range(0, 50).map(x -> x * 3).boxed().collect(Collectors.toSet()), Set.copyOf(seen));
        assertEquals(50, seen.size());
    }

    @Test
    void imap_stream_collects() {
        List<String> out = pool.imap((Integer x) -> "#" + x, List.of(1, 2, 3)).stream().collect(Collectors.toList());
        assertEquals(List.of("#1", "#2", "#3"), out);
    }

    static int failOnThree(int x) {
        if (x == 3) {
            throw new IllegalArgumentException("no threes");
        }
        return x;
    }

    @Test
    void imap_failedItem_throwsAtItsPosition_thenGoesOn() throws Exception {
        ResultIterator<Integer> results = pool.imap(PoolTest::failOnThree, List.of(1, 2, 3, 4));
        assertEquals(1, results.next());
        assertEquals(2, results.next());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, results::next);
        assertEquals("no threes", e.getMessage());
        assertEquals(4, results.next());
        assertFalse(results.hasNext());
    }

    @Test
    void get_rethrowsTheTasksOwnException_withWorkerTraceAndPid() throws Exception {
        AsyncResult<Integer> r = pool.applyAsync(PoolTest::failOnThree, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::get);
        assertTrue(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("failOnThree")));
        long pid = RemoteOrigin.of(e).orElseThrow().pid();
        assertNotEquals(ProcessHandle.current().pid(), pid);
        assertTrue(r.ready());
        assertFalse(r.successful());
    }

    @Test
    void assertionErrorInATask_staysAnAssertionError() {
        AsyncResult<Object> r = pool.applyAsync(() -> {
            throw new AssertionError("expected 1 but was 2");
        });
        assertEquals("expected 1 but was 2", assertThrows(AssertionError.class, r::get).getMessage());
    }

    @Test
    void checkedException_isWrappedInTaskFailedException() {
        AsyncResult<Object> r = pool.applyAsync(() -> {
            throw new IOException("disk full");
        });
        TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("disk full", e.getCause().getMessage());
    }

    @Test
    void map_failure_raisesTheFirstException() {
        AsyncResult<List<Integer>> r = pool.mapAsync(PoolTest::failOnThree, List.of(1, 2, 3, 4), 1);
        assertThrows(IllegalArgumentException.class, r::get);
    }

    @Test
    void asyncResult_waitAndTimeouts() throws Exception {
        AsyncResult<Integer> r = pool.applyAsync((Integer ms) -> {
            Thread.sleep(ms);
            return ms;
        }, 500);
        assertFalse(r.ready());
        assertThrows(IllegalStateException.class, r::successful);
        assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(50)));
        assertFalse(r.waitFor(Duration.ofMillis(10)));
        assertTrue(r.waitFor(Duration.ofSeconds(30)));
        assertTrue(r.successful());
        assertEquals(500, r.get(Duration.ofSeconds(1)));
    }

    @Test
    void callbacksAndCompletableFutureBridge() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        pool.applyAsync((Integer x) -> x + 1, 41, seen::complete, seen::completeExceptionally);
        assertEquals(42, seen.get(30, TimeUnit.SECONDS));

        CompletableFuture<Throwable> error = new CompletableFuture<>();
        pool.applyAsync(PoolTest::failOnThree, 3, value -> error.complete(null), error::complete);
        assertInstanceOf(IllegalArgumentException.class, error.get(30, TimeUnit.SECONDS));

        assertEquals(10, pool.applyAsync((Integer x) -> x * 5, 2).toCompletableFuture().thenApply(x -> x).get());
    }

    @Test
    void nonSerializableMapItem_failsTheCallNamingIt() {
        List<Object> items = List.of("fine", new Object());
        SerializationException e = assertThrows(SerializationException.class, () -> pool.map(x -> x, items));
        assertTrue(e.getMessage().startsWith("map items contains an element of type java.lang.Object, which is not Serializable"),
                e.getMessage());
    }

    @Test
    void nonSerializableArgument_failsTheCall_andThePoolStaysUsable() throws Exception {
        Object notSerializable = new Object();
        SerializationException e = assertThrows(SerializationException.class,
                () -> pool.applyAsync(x -> x.toString(), notSerializable));
        assertTrue(e.getMessage().contains("argument is of type java.lang.Object, which is not Serializable"), e.getMessage());
        assertEquals(2, pool.apply((Integer x) -> x + 1, 1));
    }

    @Test
    void closedResultIterator_yieldsNothingMore() throws Exception {
        try (Pool pool = new Pool(1)) {
            ResultIterator<Integer> results = pool.imapUnordered((Integer x) -> x, List.of(1, 2, 3, 4, 5, 6));
            results.next();
            results.close();
            assertFalse(results.hasNext());
        }
    }

    @Test
    void dependentActionsMayCallThePool_withoutDeadlockingItsOnlyWorker() throws Exception {
        try (Pool pool = new Pool(1)) {
            int doubled = pool.applyAsync(() -> 21).toCompletableFuture()
                    .thenApply(v -> {
                        try {
                            return pool.apply((Integer x) -> x * 2, v);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            assertEquals(42, doubled);
        }
    }
}
