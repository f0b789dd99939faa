package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool's data path (issue 10) on real workers: a function is sent to and decoded by a worker once, not
 * once per chunk; chunks of plain values come back exactly, nulls and edge values included; a function that
 * captures a large value; more functions than a worker keeps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolDataPathTest {
    static Pool single;

    @BeforeAll
    static void startPool() {
        single = new Pool(1);
    }

    @AfterAll
    static void closePool() {
        single.close();
    }

    /** A function that counts, in the JVM that decodes it, how often it was deserialized there. */
    static final class CountedFunction implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger DECODED = new AtomicInteger();
        private final String name;
        private final int[] captured;

        CountedFunction(String name, int capturedInts) {
            this.name = name;
            this.captured = new int[capturedInts];
            Arrays.fill(captured, 1);
        }

        @Override
        public Integer apply(Integer x) {
            return x + captured[x % captured.length];
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DECODED.incrementAndGet();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static int decodedHere() {
        return CountedFunction.DECODED.get();
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void map_decodesItsFunctionOncePerWorker_notOncePerChunk() throws Exception {
        int before = single.apply(PoolDataPathTest::decodedHere);
        CountedFunction function = new CountedFunction("once", 4);
        assertThat(single.map(function, range(100), 10)).isEqualTo(IntStream.range(1, 101).boxed().toList());
        try (ResultIterator<Integer> results = single.imap(function, range(50), 5)) {
            assertThat(results.stream().toList()).isEqualTo(IntStream.range(1, 51).boxed().toList());
        }
        for (int i = 0; i < 5; i++) {
            assertThat(single.apply(function, i)).isEqualTo(i + 1);
        }
        assertThat(single.apply(PoolDataPathTest::decodedHere) - before)
                .as("deserializations of the function in the worker over 10 + 10 chunks and 5 calls").isEqualTo(1);
    }

    @Test
    void map_ofNumbers_returnsTheRightValues_inAListTheCallerMayChange() throws Exception {
        List<Long> longs = single.map((Integer x) -> (long) x << 40, range(1000), 64);
        assertThat(longs).hasSize(1000).element(999).isEqualTo(999L << 40);
        List<Double> halves = single.map((Integer x) -> x / 2.0, range(10));
        assertThat(halves).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5);
        List<Integer> doubled = single.map((Integer x) -> x * 2, range(5));
        doubled.add(-1);
        doubled.set(0, 100);
        doubled.sort(null);
        assertThat(doubled).containsExactly(-1, 2, 4, 6, 8, 100);
    }

    @Test
    void map_whoseFunctionCapturesALargeValue_sendsItOnce_andComputesRight() throws Exception {
        int before = single.apply(PoolDataPathTest::decodedHere);
        CountedFunction function = new CountedFunction("large", 4 << 20); // 16 MiB captured
        List<Integer> items = range(2000);
        assertThat(single.map(function, items, 100)).isEqualTo(IntStream.range(1, 2001).boxed().toList());
        assertThat(single.apply(PoolDataPathTest::decodedHere) - before).isEqualTo(1);
    }

    @Test
    void moreFunctionsThanAWorkerKeeps_areSentAgainWhenNeeded() throws Exception {
        Pool pool = single;
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 40; k++) {
                int add = k;
                assertThat(pool.map(x -> x + add, List.of(1, 2, 3), 1)).isEqualTo(List.of(1 + add, 2 + add, 3 + add));
            }
        }
    }

    @SafeVarargs
    private static <T> List<T> listOf(T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(value);
        }
        return list;
    }

    @Test
    void plainValuesWithNullsAndEdgeValues_comeBackExactly() throws Exception {
        double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        List<Integer> ints = listOf(0, null, Integer.MIN_VALUE, Integer.MAX_VALUE, -1, null);
        List<Long> longs = listOf(Long.MIN_VALUE, null, Long.MAX_VALUE);
        List<Double> doubles = listOf(-0.0, Double.NaN, nanWithPayload, Double.NEGATIVE_INFINITY, null, Double.MIN_VALUE);
        List<String> strings = listOf("", null, "héllo \uD83D\uDE00", "\uD800 unpaired", "x".repeat(100_000));
        assertThat(single.map(x -> x, ints, 2)).isEqualTo(ints);
        assertThat(single.map(x -> x, longs, 2)).isEqualTo(longs);
        List<Double> back = single.map(x -> x, doubles, 4);
        assertThat(back.stream().map(d -> d == null ? null : Double.doubleToRawLongBits(d)).toList())
                .isEqualTo(doubles.stream().map(d -> d == null ? null : Double.doubleToRawLongBits(d)).toList());
        assertThat(single.map(x -> x, strings, 2)).isEqualTo(strings);
        assertThat(single.map(x -> x == null ? null : x % 2 == 0 ? "even" : (Object) x, ints, 3)).as("results of mixed types")
                .isEqualTo(listOf("even", null, "even", Integer.MAX_VALUE, -1, null));
    }

    @Test
    void starmap_withPlainAndOtherArguments_keepsOrder() throws Exception {
        List<Map.Entry<Integer, String>> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pairs.add(new AbstractMap.SimpleEntry<>(i % 3, i % 5 == 0 ? null : "s" + i));
        }
        List<String> expected = pairs.stream().map(p -> p.getValue() == null ? "null" : p.getValue().repeat(p.getKey())).toList();
        assertThat(single.starmap((Integer n, String s) -> s == null ? "null" : s.repeat(n), pairs)).isEqualTo(expected);
        record Point(int x, int y) implements Serializable {}
        List<Map.Entry<Point, Integer>> others = List.of(Map.entry(new Point(1, 2), 3), Map.entry(new Point(4, 5), 6));
        assertThat(single.starmap((Point p, Integer k) -> p.x() * k + p.y(), others)).isEqualTo(List.of(5, 29));
    }
}
