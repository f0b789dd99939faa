package io.github.multiprocessing4j.bench;

import java.util.Arrays;

/** Timing helpers: repeat an action, report the median and the spread. */
final class Medians {
    private Medians() {}

    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} {@code warmup} times untimed, then {@code runs} times timed; returns milliseconds. */
    static double[] time(int warmup, int runs, Action action) throws Exception {
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            action.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** An action that times only the part of itself that counts, and returns those nanoseconds. */
    interface Measured {
        long nanos() throws Exception;
    }

    /** Like {@link #time}, for actions that measure themselves; returns sorted seconds. */
    static double[] measure(int warmup, int runs, Measured action) throws Exception {
        for (int i = 0; i < warmup; i++) {
            action.nanos();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            seconds[i] = action.nanos() / 1e9;
        }
        Arrays.sort(seconds);
        return seconds;
    }

    /**
     * One result line, in the format the side-by-side script reads: name, median, p10, p90, mean, runs. The
     * mean is there for loops whose times alternate between two levels (a warm and a cold start), where the
     * median shows only one of them and the mean gives the loop's throughput.
     */
    static void report(String name, double[] sorted) {
        System.out.printf("RESULT %s median_ms=%.3f p10_ms=%.3f p90_ms=%.3f mean_ms=%.3f runs=%d%n", name,
                median(sorted), sorted[sorted.length / 10], sorted[sorted.length * 9 / 10],
                Arrays.stream(sorted).average().orElseThrow(), sorted.length);
    }
}
