package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Multiprocessing;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.JvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Time of {@code new Process(noop).start(); join()}: launching (or claiming) a child JVM, connecting it,
 * running an empty target and seeing it exit. Usage: {@code ProcessStartBenchmark [runs]} (default 30).
 *
 * <ul>
 * <li>{@code java_process_start_join}: what a user gets by default, back to back (a spare is claimed when
 *     one waits; the replacement boots meanwhile, so a tight loop may find it still booting).</li>
 * <li>{@code java_process_start_join_spare_ready}: with a spare booted and waiting before each start.</li>
 * <li>{@code java_process_start_join_cold}: spares off, every child a JVM started on demand.</li>
 * <li>{@code java_process_200_in_a_row}: the per-start median of 200 back-to-back starts, default settings.</li>
 * <li>{@code java_process_first_start}: the very first start in a fresh JVM, with no spare yet (one fresh
 *     JVM per run, started by this one: run with {@code first} as the argument to measure one).</li>
 * <li>{@code java_spare_rss_mb}, {@code java_spare_idle_cpu_ms_per_s}: what one waiting spare costs.</li>
 * <li>{@code java_bare_jvm_start_exit}: the floor under every cold start: a JVM with this class path that
 *     runs an empty {@code main} and exits, timed from {@code ProcessBuilder.start()} to its end (the
 *     library not involved; {@code bench/python/process_start.py} times {@code python -c pass} the same way).</li>
 * </ul>
 */
public final class ProcessStartBenchmark {
    private ProcessStartBenchmark() {}

    static void noop() {
        // The point is the process round trip, not the work.
    }

    private static void startAndJoin() throws InterruptedException {
        Process p = new Process(ProcessStartBenchmark::noop);
        p.start();
        p.join();
        if (p.exitCode() != 0) {
            throw new IllegalStateException("child failed: " + p);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bare")) {
            return;
        }
        if (args.length > 0 && args[0].equals("first")) {
            long start = System.nanoTime();
            startAndJoin();
            System.out.println((System.nanoTime() - start) / 1e6);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        double[] first = new double[Math.max(5, runs / 3)];
        for (int i = 0; i < first.length; i++) {
            first[i] = firstStartInAFreshJvm();
        }
        java.util.Arrays.sort(first);
        Medians.report("java_process_first_start", first);

        Medians.report("java_process_start_join", Medians.time(3, runs, ProcessStartBenchmark::startAndJoin));
        double[] spareReady = Medians.measure(3, runs, () -> {
            Multiprocessing.prestart(1).get();
            Thread.sleep(50); // the spare warms up after it connected
            long start = System.nanoTime();
            startAndJoin();
            return System.nanoTime() - start;
        });
        Medians.report("java_process_start_join_spare_ready", java.util.Arrays.stream(spareReady).map(seconds -> seconds * 1000).toArray());
        Medians.report("java_process_200_in_a_row", Medians.time(0, 200, ProcessStartBenchmark::startAndJoin));

        Multiprocessing.prestart(1).get();
        Thread.sleep(1000);
        List<Long> spares = Launcher.get().readySparePids(JvmOptions.defaults());
        if (!spares.isEmpty()) {
            long pid = spares.get(0);
            long cpuBefore = cpuTicks(pid);
            Thread.sleep(5000);
            long cpuAfter = cpuTicks(pid);
            System.out.printf("RESULT java_spare_rss_mb value=%.1f%n", rssKilobytes(pid) / 1024.0);
            System.out.printf("RESULT java_spare_idle_cpu_ms_per_s value=%.2f%n", (cpuAfter - cpuBefore) * 10 / 5.0);
        }

        Multiprocessing.setSpares(0);
        Medians.report("java_process_start_join_cold", Medians.time(3, runs, ProcessStartBenchmark::startAndJoin));
        Medians.report("java_bare_jvm_start_exit", Medians.time(3, runs, ProcessStartBenchmark::bareJvm));
    }

    /** A JVM like a cold child (same command and class path) that only runs an empty {@code main}. */
    private static void bareJvm() throws Exception {
        java.lang.Process jvm = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), ProcessStartBenchmark.class.getName(), "bare")
                .redirectErrorStream(true).start();
        jvm.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (jvm.waitFor() != 0) {
            throw new IllegalStateException("bare JVM failed with exit code " + jvm.exitValue());
        }
    }

    /** Starts a fresh JVM that measures its own first start, and returns what it measured. */
    private static double firstStartInAFreshJvm() throws Exception {
        java.lang.Process jvm = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), ProcessStartBenchmark.class.getName(), "first")
                .redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes()).trim();
        if (jvm.waitFor() != 0) {
            throw new IllegalStateException("first-start JVM failed: " + out);
        }
        String[] lines = out.split("\n");
        return Double.parseDouble(lines[lines.length - 1].trim());
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssKilobytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
