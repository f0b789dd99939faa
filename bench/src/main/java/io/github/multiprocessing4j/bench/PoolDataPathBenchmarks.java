package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.internal.codec.CompactLists;
import io.github.multiprocessing4j.internal.worker.FunctionCache;
import io.github.multiprocessing4j.internal.worker.FunctionJobs;
import io.github.multiprocessing4j.internal.worker.JobCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the pool's data path (issue 10), each step alone and in this JVM, so that a change to
 * one is checked without the noise of the others: encoding a {@code map} chunk of 125,000 ints in the
 * parent, running it as a worker does (decode the items, apply, encode the results), decoding 1,000,000
 * results into the final list (unboxed, as {@code map} keeps ints, and boxed, as it keeps other results), and encoding a function (once per class for one that captures nothing);
 * and, end to end on a {@code Pool(2)}, {@code map(x -> x * 2)} over 1,000,000 ints. Run with
 * {@code bench/jmh.sh PoolDataPathBenchmarks} (JMH's own options may follow).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PoolDataPathBenchmarks {
    private static final int CHUNK = 125_000;
    private static final int ITEMS = 1_000_000;

    private List<Integer> chunk;
    private List<Integer> items;
    private FunctionJobs.EncodedFunction twice;
    private byte[] chunkPayload;
    private List<byte[]> encodedResults;
    private FunctionCache<Object> workerFunctions;
    private Pool pool;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(i);
        }
        chunk = new ArrayList<>(items.subList(0, CHUNK));
        SerializableFunction<Integer, Integer> function = x -> x * 2;
        twice = FunctionJobs.function(function, "function");
        chunkPayload = FunctionJobs.payload(FunctionJobs.map(twice, chunk, "items"), false);
        workerFunctions = new FunctionCache<>();
        encodedResults = new ArrayList<>();
        for (int i = 0; i < ITEMS / CHUNK; i++) {
            encodedResults.add(JobCodec.decode(chunkPayload, workerFunctions).runEncoded());
        }
        pool = new Pool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public byte[] encodeMapChunkOf125kInts() {
        return FunctionJobs.payload(FunctionJobs.map(twice, chunk, "items"), true);
    }

    @Benchmark
    public byte[] runMapChunkOf125kIntsAsAWorker() throws Throwable {
        return JobCodec.decode(chunkPayload, workerFunctions).runEncoded();
    }

    /** What {@code map} does with results that are all ints: one {@code int[]}, boxed as read. */
    @Benchmark
    public List<Integer> decode1MResultsIntoOneList() {
        return CompactLists.concat(encodedResults, ITEMS);
    }

    /** What {@code map} does with results of mixed or nullable types: an {@code ArrayList} of boxes. */
    @Benchmark
    public List<Integer> decode1MResultsIntoABoxedList() {
        List<Integer> results = new ArrayList<>(ITEMS);
        for (byte[] encoded : encodedResults) {
            CompactLists.addAll(encoded, results);
        }
        return results;
    }


    @Benchmark
    public FunctionJobs.EncodedFunction encodeAFunctionThatCapturesNothing() {
        return FunctionJobs.function((SerializableFunction<Integer, Integer>) PoolDataPathBenchmarks::noopOf, "function");
    }

    static Integer noopOf(Integer x) {
        return x;
    }

    @Benchmark
    public List<Integer> map1MIntsOnPool2() throws InterruptedException {
        return pool.map(x -> x * 2, items);
    }
}
