package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Lock;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.Queue;
import java.util.Arrays;
import java.util.List;

/**
 * What a synchronization call made by a child on its parent's objects costs, in microseconds per call; the
 * same for CPython is in bench/python/sync_calls_bench.py. One child makes, in each of {@value #ROUNDS}
 * rounds, {@value #CALLS} calls of each kind; the first round is a warm-up, and each line reports the
 * median of the other rounds' means:
 *
 * <ul>
 * <li>{@code lock.lock(); lock.unlock()}, uncontended;</li>
 * <li>{@code queue.qsize()};</li>
 * <li>{@code queue.get()} of an item the parent put before the child started;</li>
 * <li>{@code queue.put(i); queue.get()} on one queue.</li>
 * </ul>
 */
public final class SyncCallsBenchmark {
    static final int CALLS = 5_000;
    static final int ROUNDS = 6;

    private SyncCallsBenchmark() {}

    @SuppressWarnings("unchecked")
    static void child(List<Object> shared) throws Exception {
        Lock lock = (Lock) shared.get(0);
        Queue<Integer> queue = (Queue<Integer>) shared.get(1);
        Queue<Integer> full = (Queue<Integer>) shared.get(2);
        Queue<double[]> report = (Queue<double[]>) shared.get(3);
        double[][] micros = new double[4][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                lock.lock();
                lock.unlock();
            }
            long locked = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                queue.qsize();
            }
            long sized = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                full.get();
            }
            long got = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                queue.put(i);
                queue.get();
            }
            long end = System.nanoTime();
            micros[0][round] = (locked - start) / 1e3 / CALLS;
            micros[1][round] = (sized - locked) / 1e3 / CALLS;
            micros[2][round] = (got - sized) / 1e3 / CALLS;
            micros[3][round] = (end - got) / 1e3 / CALLS;
        }
        double[] medians = new double[4];
        for (int kind = 0; kind < 4; kind++) {
            double[] timed = Arrays.copyOfRange(micros[kind], 1, ROUNDS);
            Arrays.sort(timed);
            medians[kind] = Medians.median(timed);
        }
        report.put(medians);
    }

    public static void main(String[] args) throws Exception {
        Lock lock = new Lock();
        Queue<Integer> queue = new Queue<>();
        Queue<Integer> full = new Queue<>();
        for (int i = 0; i < CALLS * ROUNDS; i++) {
            full.put(i);
        }
        Queue<double[]> report = new Queue<>();
        Process child = new Process(SyncCallsBenchmark::child, List.of(lock, queue, full, report));
        child.start();
        double[] medians = report.get();
        child.join();
        String[] names = {"lock_acquire_release", "qsize", "get", "put_then_get"};
        for (int kind = 0; kind < names.length; kind++) {
            System.out.printf("RESULT java_child_%s_us value=%.2f%n", names[kind], medians[kind]);
        }
    }
}
