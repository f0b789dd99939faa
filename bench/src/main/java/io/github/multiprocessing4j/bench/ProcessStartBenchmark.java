package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Process;

/**
 * Time of {@code new Process(noop).start(); join()}: launching a child JVM, connecting it, running an empty
 * target and seeing it exit. Usage: {@code ProcessStartBenchmark [runs]} (default 30, after 3 warm-ups).
 */
public final class ProcessStartBenchmark {
    private ProcessStartBenchmark() {}

    static void noop() {
        // The point is the process round trip, not the work.
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        double[] millis = Medians.time(3, runs, () -> {
            Process p = new Process(ProcessStartBenchmark::noop);
            p.start();
            p.join();
            if (p.exitCode() != 0) {
                throw new IllegalStateException("child failed: " + p);
            }
        });
        Medians.report("java_process_start_join", millis);
    }
}
