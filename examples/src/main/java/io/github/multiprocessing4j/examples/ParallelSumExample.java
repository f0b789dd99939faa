package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.Array;
import io.github.multiprocessing4j.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * A parallel sum over a shared array: the data is written once into shared memory, and each pool worker
 * sums its slice straight from there, so nothing but two numbers per slice crosses between processes.
 */
public final class ParallelSumExample {
    static final int LENGTH = 2_000_000;

    private ParallelSumExample() {}

    /** Sums {@code data[from..to)} in a worker; the slice bounds are the only argument that is copied. */
    static double sumSlice(Array.OfDouble data, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += data.get(i);
        }
        return sum;
    }

    public static void main(String[] args) throws InterruptedException {
        Array.OfDouble data = Array.ofDoubles(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            data.set(i, i * 0.5);
        }
        try (Pool pool = new Pool(2)) {
            int slices = 8;
            List<int[]> bounds = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                bounds.add(new int[] {s * LENGTH / slices, (s + 1) * LENGTH / slices});
            }
            List<Double> partial = pool.map(b -> sumSlice(data, b[0], b[1]), bounds, 1);
            double total = partial.stream().mapToDouble(Double::doubleValue).sum();
            System.out.println("parallel sum over " + slices + " slices in " + pool.processes() + " workers = " + total);
            System.out.println("expected = " + 0.5 * ((double) LENGTH - 1) * LENGTH / 2);
        }
    }
}
