package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Multiprocessing;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ResultIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool figures of docs/benchmarks.md, each reported as a median (see {@link Medians}); the same
 * measurements for CPython are in bench/python/pool_bench.py.
 *
 * <ol>
 * <li>{@code applyAsync(noop).get()} round trip on a warm {@code Pool(2)}.</li>
 * <li>{@code map(x -> x * 2)} over 1,000,000 ints with default chunking, and {@code imapUnordered} over the
 *     same with chunks of 10,000 (Python's default chunk of 1 would measure only per-task overhead).</li>
 * <li>CPU-bound speedup: 8 tasks of about 0.5 s of arithmetic each on {@code Pool(1)} and {@code Pool(2)}.</li>
 * <li>Time from {@code new Pool(2)} to the first result, back to back, and with two spares booted and
 *     waiting before each pool.</li>
 * </ol>
 *
 * <p>With the argument {@code data}, only the round trip, {@code map} and {@code imapUnordered} lines run
 * (about 30 s), to check a change to those paths.
 */
public final class PoolBenchmark {
    private static final int ITEMS = 1_000_000;

    private PoolBenchmark() {}

    static int noop() {
        return 0;
    }

    /** A linear congruential loop: arithmetic the JIT cannot skip, since the result is returned. */
    static long spin(long iterations) {
        long x = 1;
        for (long i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(i);
        }
        try (Pool pool = new Pool(2)) {
            for (int i = 0; i < 2000; i++) {
                pool.applyAsync(PoolBenchmark::noop).get();
            }
            Medians.report("java_apply_async_round_trip", Medians.time(0, 2000, () -> pool.applyAsync(PoolBenchmark::noop).get()));

            double[] map = Medians.time(1, 5, () -> pool.map(x -> x * 2, items));
            Medians.report("java_map_1M", map);
            System.out.printf("RESULT java_map_1M_items_per_s value=%.0f%n", ITEMS / (Medians.median(map) / 1000));

            double[] imap = Medians.time(1, 5, () -> {
                try (ResultIterator<Integer> results = pool.imapUnordered(x -> x * 2, items, 10_000)) {
                    while (results.hasNext()) {
                        results.next();
                    }
                }
            });
            Medians.report("java_imap_unordered_1M", imap);
            System.out.printf("RESULT java_imap_unordered_1M_items_per_s value=%.0f%n", ITEMS / (Medians.median(imap) / 1000));
            if (args.length > 0 && args[0].equals("data")) {
                return;
            }

            long iterations = calibrate(pool);
            List<Long> eight = List.of(iterations, iterations, iterations, iterations, iterations, iterations,
                    iterations, iterations);
            double[] two = Medians.time(0, 3, () -> pool.map(PoolBenchmark::spin, eight, 1));
            try (Pool single = new Pool(1)) {
                single.apply(PoolBenchmark::spin, iterations);
                double[] one = Medians.time(0, 3, () -> single.map(PoolBenchmark::spin, eight, 1));
                Medians.report("java_cpu_8x0.5s_pool1", one);
                Medians.report("java_cpu_8x0.5s_pool2", two);
                System.out.printf("RESULT java_cpu_speedup value=%.2f%n", Medians.median(one) / Medians.median(two));
            }
        }
        Medians.report("java_new_pool2_to_first_result", Medians.time(1, 10, () -> {
            try (Pool fresh = new Pool(2)) {
                fresh.applyAsync(PoolBenchmark::noop).get();
            }
        }));
        double[] spareReady = Medians.measure(1, 10, () -> {
            Multiprocessing.prestart(2).get();
            Thread.sleep(50); // the spares warm up after they connected
            long start = System.nanoTime();
            try (Pool fresh = new Pool(2)) {
                fresh.applyAsync(PoolBenchmark::noop).get();
                return System.nanoTime() - start;
            }
        });
        Medians.report("java_new_pool2_to_first_result_spares_ready",
                java.util.Arrays.stream(spareReady).map(seconds -> seconds * 1000).toArray());
    }

    /** Iterations of {@link #spin} that take about 0.5 s in a warm worker. */
    private static long calibrate(Pool pool) throws Exception {
        long iterations = 50_000_000;
        pool.apply(PoolBenchmark::spin, iterations);
        long start = System.nanoTime();
        pool.apply(PoolBenchmark::spin, iterations);
        double seconds = (System.nanoTime() - start) / 1e9;
        return (long) (iterations * 0.5 / seconds);
    }
}
