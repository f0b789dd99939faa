package io.github.multiprocessing4j.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProcessPoolExecutor;
import io.github.multiprocessing4j.ResultIterator;
import io.github.multiprocessing4j.SerializableCallable;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.TaskFailedException;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The pool's contract, written once and run against every backend: {@code LocalPoolContractTest} (worker
 * JVMs that are children of this one) and the cluster module's {@code ClusterPoolContractTest} (slots on
 * Hazelcast members). A subclass says only how to get a {@link Pool.Builder}; every assertion is here, so
 * code written against {@code Pool} behaves the same on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PoolContract {
    private Pool pool;

    protected PoolContract() {}

    /** A builder for this backend; the contract sets {@code processes} itself. */
    protected abstract Pool.Builder builder();

    @BeforeAll
    void startPool() {
        pool = builder().processes(2).build();
    }

    @AfterAll
    void closePool() {
        if (pool != null) {
            pool.terminate();
        }
    }

    static int fail(int x) {
        if (x == 3) {
            throw new IllegalArgumentException("three is not allowed");
        }
        return x;
    }

    @Test
    void apply_andApplyAsync_returnTheValue() throws Exception {
        assertThat(pool.apply((Integer x) -> x * 2, 21)).isEqualTo(42);
        assertThat(pool.apply(() -> "hello")).isEqualTo("hello");
        assertThat(pool.applyAsync(() -> System.out.print("")).get()).isNull();
    }

    @Test
    void applyAsync_runsOutsideThisJvm() throws Exception {
        long pid = pool.applyAsync(() -> ProcessHandle.current().pid()).get();
        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void map_keepsInputOrder_withDefaultAndExplicitChunks() throws Exception {
        List<Integer> input = IntStream.range(0, 500).boxed().toList();
        List<Integer> expected = input.stream().map(x -> x * x).toList();
        assertThat(pool.map(x -> x * x, input)).isEqualTo(expected);
        assertThat(pool.map(x -> x * x, input, 7)).isEqualTo(expected);
        assertThat(pool.mapAsync(x -> x * x, input, 100).get(Duration.ofSeconds(30))).isEqualTo(expected);
        assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
    }

    @Test
    void starmap_appliesToPairsInOrder() throws Exception {
        assertThat(pool.starmap((Integer a, Integer b) -> a * b, List.of(Map.entry(2, 3), Map.entry(4, 5))))
                .containsExactly(6, 20);
    }

    @Test
    void imap_isOrderedAndReadsItsInputLazily_withABound() {
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return read.incrementAndGet();
            }
        };
        ResultIterator<Integer> results = pool.imap(x -> x * 10, endless, 2);
        List<Integer> firstFive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            firstFive.add(results.next());
        }
        results.close();
        assertThat(firstFive).containsExactly(10, 20, 30, 40, 50);
        assertThat(read.get()).as("items read for 5 results, chunks of 2, 2 x processes chunks in flight")
                .isLessThanOrEqualTo(5 + 1 + 2 * 2 * 2);
    }

    @Test
    void imapUnordered_yieldsEveryResult() {
        List<Integer> results = new ArrayList<>();
        pool.imapUnordered(x -> x + 1, List.of(1, 2, 3, 4, 5, 6), 2).forEachRemaining(results::add);
        assertThat(results).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7);
    }

    @Test
    void taskException_isRethrownAsItself_andMapFailsWithTheFirst() {
        assertThatThrownBy(() -> pool.apply(PoolContract::fail, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("three is not allowed");
        assertThatThrownBy(() -> pool.map(PoolContract::fail, List.of(1, 2, 3, 4), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new IOException("checked");
        })).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void callbacks_receiveTheValueOrTheException() throws Exception {
        CompletableFuture<Object> value = new CompletableFuture<>();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        pool.applyAsync((Integer x) -> x + 1, 1, value::complete, value::completeExceptionally);
        pool.applyAsync(PoolContract::fail, 3, v -> error.complete(null), error::complete);
        assertThat(value.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(error.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapStarmapAndCallableCallbacks_getTheWholeResultOrTheException_beforeGetReturns() throws Exception {
        CompletableFuture<List<Integer>> mapped = new CompletableFuture<>();
        AsyncResult<List<Integer>> map = pool.mapAsync((Integer x) -> x * 2, List.of(1, 2, 3), mapped::complete,
                mapped::completeExceptionally);
        assertThat(map.get(Duration.ofSeconds(30))).containsExactly(2, 4, 6);
        assertThat(mapped).as("the callback ran before get() returned").isCompletedWithValue(List.of(2, 4, 6));

        CompletableFuture<Throwable> mapFailure = new CompletableFuture<>();
        AsyncResult<List<Integer>> failing = pool.mapAsync(PoolContract::fail, List.of(1, 2, 3), 1,
                value -> mapFailure.complete(null), mapFailure::complete);
        assertThatThrownBy(() -> failing.get(Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThat(mapFailure.getNow(null)).as("the error callback ran before get() threw")
                .isInstanceOf(IllegalArgumentException.class);

        CompletableFuture<List<Integer>> summed = new CompletableFuture<>();
        AsyncResult<List<Integer>> starmap = pool.starmapAsync((Integer a, Integer b) -> a + b,
                List.of(Map.entry(1, 2), Map.entry(3, 4)), summed::complete, summed::completeExceptionally);
        assertThat(starmap.get(Duration.ofSeconds(30))).containsExactly(3, 7);
        assertThat(summed).isCompletedWithValue(List.of(3, 7));

        CompletableFuture<Integer> answered = new CompletableFuture<>();
        AsyncResult<Integer> call = pool.applyAsync(() -> 42, answered::complete, answered::completeExceptionally);
        assertThat(call.get(Duration.ofSeconds(30))).isEqualTo(42);
        assertThat(answered).isCompletedWithValue(42);
    }

    @Test
    void perCallTimeout_failsTheTask_andThePoolServesOn() throws Exception {
        AsyncResult<Integer> slow = pool.applyAsync((Integer x) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return x;
        }, 1, Duration.ofMillis(500));
        assertThatThrownBy(() -> slow.get(Duration.ofSeconds(30))).isInstanceOf(TaskTimeoutException.class);
        assertThat(pool.apply((Integer x) -> x, 7)).isEqualTo(7);
    }

    @Test
    void taskThatExitsItsWorker_failsWithWorkerDied_andThePoolServesOn() throws Exception {
        assertThatThrownBy(() -> pool.apply(() -> {
            System.exit(3);
            return 0;
        })).isInstanceOfSatisfying(WorkerDiedException.class, died -> assertThat(died.exitCode()).isEqualTo(3));
        assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
    }

    @Test
    void nonSerializableArgument_failsTheCall_andNothingIsQueued() throws Exception {
        Object notSerializable = new Object();
        assertThatThrownBy(() -> pool.applyAsync((Object o) -> o.toString(), notSerializable))
                .isInstanceOf(SerializationException.class);
        assertThat(pool.apply(() -> 1)).isEqualTo(1);
    }

    @Test
    void processPoolExecutor_overTheSameBuilder_runsCallables() throws Exception {
        ProcessPoolExecutor executor = new ProcessPoolExecutor(builder().processes(2));
        try {
            SerializableCallable<Integer> answer = () -> 6 * 7;
            SerializableCallable<Integer> one = () -> 1;
            SerializableCallable<Integer> two = () -> 2;
            Future<Integer> submitted = executor.submit(answer);
            assertThat(submitted.get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(executor.invokeAll(List.of(one, two)).get(1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void close_finishesQueuedWork_thenRefusesNewWork() throws Exception {
        Pool own = builder().processes(1).build();
        AsyncResult<Integer> queued = own.applyAsync((Integer x) -> x, 5);
        own.close();
        assertThat(queued.get(Duration.ofSeconds(1))).isEqualTo(5);
        assertThatThrownBy(() -> own.applyAsync(() -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void terminate_cancelsUnfinishedResults() throws Exception {
        Pool own = builder().processes(1).build();
        AsyncResult<Integer> running = own.applyAsync((Integer x) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new UncheckedIOException(new IOException(e));
            }
            return x;
        }, 1);
        own.terminate();
        assertThatThrownBy(() -> running.get(Duration.ofSeconds(30))).isInstanceOf(CancellationException.class);
        assertThat(own.join(Duration.ofSeconds(30))).isTrue();
    }
}
