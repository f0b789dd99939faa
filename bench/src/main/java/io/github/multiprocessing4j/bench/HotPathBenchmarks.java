package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the per-call hot paths, for changes that need finer numbers than the side-by-side
 * medians: a pool round trip, and a queue put/get in the process that owns the queue. Run with
 * {@code bench/jmh.sh} (JMH's own options may follow, such as {@code -f 1 -wi 3 -i 5}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HotPathBenchmarks {
    private Pool pool;
    private Queue<Integer> queue;
    private List<Integer> thousandInts;

    @Setup
    public void setUp() {
        pool = new Pool(2);
        queue = new Queue<>();
        thousandInts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousandInts.add(i);
        }
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    static int noop() {
        return 0;
    }

    @Benchmark
    public Integer applyAsyncRoundTrip() throws InterruptedException {
        return pool.applyAsync(HotPathBenchmarks::noop).get();
    }

    @Benchmark
    public List<Integer> mapThousandInts() throws InterruptedException {
        return pool.map(x -> x + 1, thousandInts);
    }

    @Benchmark
    public Integer queuePutGetInOwner() throws InterruptedException {
        queue.put(7);
        return queue.get();
    }
}
