package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Array;
import io.github.multiprocessing4j.Connection;
import io.github.multiprocessing4j.Pipe;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.Queue;
import io.github.multiprocessing4j.SerializableConsumer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Throughput between two processes, reported as medians of 5 runs (after one warm-up); the same for
 * CPython is in bench/python/sharing_bench.py. Each run starts a fresh child, which first sends a marker;
 * the clock starts when the marker arrives, so JVM start-up is not counted. The child makes a synchronous
 * call ({@code qsize}, {@code poll}) right after the marker, which waits until the marker was delivered:
 * otherwise its feeder could carry the marker in one batch with the messages after it, and the clock would
 * start after they had arrived.
 *
 * <ul>
 * <li>Queue and Pipe, small items: the child sends {@value #SMALL} ints, the parent receives them.</li>
 * <li>Queue and Pipe, large items: the child sends {@value #LARGE} arrays of 1 MiB.</li>
 * <li>Pipe, one large message: the child sends one array of 100 MiB (median of 5), then of 1 GiB
 *     (median of 3), with {@code sendBytes}; the parent receives it whole.</li>
 * <li>Pipe between two children, small items: this process opens the pipe and hands one end to each
 *     child; one sends {@value #SMALL} ints, the other receives them and times its receiving from the
 *     marker on.</li>
 * <li>Shared array: a child fills a 100 MB {@code Array.OfDouble}; it times its own loop.</li>
 * </ul>
 *
 * <p>With the argument {@code small}, only the small-item rows run.
 */
public final class SharingBenchmark {
    static final int SMALL = 50_000;
    static final int LARGE = 100;
    static final int MIB = 1 << 20;
    static final int DOUBLES = 100_000_000 / Double.BYTES;

    private SharingBenchmark() {}

    static void queueSmall(Queue<Integer> queue) throws InterruptedException {
        queue.put(-1);
        queue.qsize();
        for (int i = 0; i < SMALL; i++) {
            queue.put(i);
        }
    }

    static void queueLarge(Queue<byte[]> queue) throws InterruptedException {
        byte[] block = new byte[MIB];
        queue.put(new byte[0]);
        queue.qsize();
        for (int i = 0; i < LARGE; i++) {
            queue.put(block);
        }
    }

    static void pipeSmall(Connection end) {
        end.send(-1);
        end.poll();
        for (int i = 0; i < SMALL; i++) {
            end.send(i);
        }
    }

    static void pipeLarge(Connection end) {
        byte[] block = new byte[MIB];
        end.sendBytes(new byte[0]);
        end.poll();
        for (int i = 0; i < LARGE; i++) {
            end.sendBytes(block);
        }
    }

    static void pipeOne100MiB(Connection end) {
        pipeOne(end, 100 * MIB);
    }

    static void pipeOne1GiB(Connection end) {
        pipeOne(end, 1024 * MIB);
    }

    private static void pipeOne(Connection end, int size) {
        byte[] block = new byte[size];
        end.sendBytes(new byte[0]);
        end.poll();
        end.sendBytes(block);
    }

    static void receiveSmallFromSibling(List<Object> shared) throws Exception {
        Connection end = (Connection) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Double> seconds = (Queue<Double>) shared.get(1);
        end.recv();
        long start = System.nanoTime();
        for (int i = 0; i < SMALL; i++) {
            end.recv();
        }
        seconds.put((System.nanoTime() - start) / 1e9);
    }

    static void fill(List<Object> shared) throws InterruptedException {
        Array.OfDouble data = (Array.OfDouble) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Double> seconds = (Queue<Double>) shared.get(1);
        long start = System.nanoTime();
        for (int i = 0; i < data.length(); i++) {
            data.set(i, i);
        }
        seconds.put((System.nanoTime() - start) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        double[] queueSmall = transfer(SMALL, () -> {
            Queue<Integer> queue = new Queue<>();
            return new Endpoint<>(queue, queue::get);
        }, SharingBenchmark::queueSmall);
        report("java_queue_small_msgs_per_s", SMALL / Medians.median(queueSmall));
        boolean smallOnly = args.length > 0 && args[0].equals("small");

        if (!smallOnly) {
            double[] queueLarge = transfer(LARGE, () -> {
                Queue<byte[]> queue = new Queue<>(8);
                return new Endpoint<>(queue, queue::get);
            }, SharingBenchmark::queueLarge);
            report("java_queue_1MiB_MB_per_s", LARGE * (MIB / 1e6) / Medians.median(queueLarge));
        }

        double[] pipeSmall = transfer(SMALL, () -> {
            Pipe pipe = Pipe.open();
            return new Endpoint<>(pipe.second(), pipe.first()::recv);
        }, SharingBenchmark::pipeSmall);
        report("java_pipe_small_msgs_per_s", SMALL / Medians.median(pipeSmall));

        double[] betweenChildren = Medians.measure(1, 5, () -> {
            Pipe pipe = Pipe.open();
            Queue<Double> seconds = new Queue<>();
            Process receiver = new Process(SharingBenchmark::receiveSmallFromSibling, List.of(pipe.second(), seconds));
            Process sender = new Process(SharingBenchmark::pipeSmall, pipe.first());
            receiver.start();
            sender.start();
            double elapsed;
            try {
                elapsed = seconds.get(Duration.ofSeconds(60));
            } catch (Queue.Empty e) {
                // Seen once in about forty runs of this row (2026-12-06): both children had exited and no
                // result came. Say how each child ended instead of waiting for ever.
                throw new IllegalStateException("no result from the receiving child within 60 s; receiver exit code "
                        + receiver.exitCode() + ", exception " + receiver.exception().orElse(null) + "; sender exit code "
                        + sender.exitCode() + ", exception " + sender.exception().orElse(null), e);
            }
            sender.join();
            receiver.join();
            return (long) (elapsed * 1e9);
        });
        report("java_pipe_children_small_msgs_per_s", SMALL / Medians.median(betweenChildren));
        if (smallOnly) {
            return;
        }

        double[] pipeLarge = transfer(LARGE, () -> {
            Pipe pipe = Pipe.open();
            return new Endpoint<>(pipe.second(), pipe.first()::recvBytes);
        }, SharingBenchmark::pipeLarge);
        report("java_pipe_1MiB_MB_per_s", LARGE * (MIB / 1e6) / Medians.median(pipeLarge));

        double[] one100 = transfer(1, 5, () -> {
            Pipe pipe = Pipe.open();
            return new Endpoint<>(pipe.second(), pipe.first()::recvBytes);
        }, SharingBenchmark::pipeOne100MiB);
        report("java_pipe_one_100MiB_MB_per_s", 100 * MIB / 1e6 / Medians.median(one100));

        double[] one1g = transfer(1, 3, () -> {
            Pipe pipe = Pipe.open();
            return new Endpoint<>(pipe.second(), pipe.first()::recvBytes);
        }, SharingBenchmark::pipeOne1GiB);
        report("java_pipe_one_1GiB_MB_per_s", 1024 * MIB / 1e6 / Medians.median(one1g));

        Array.OfDouble data = Array.ofDoubles(DOUBLES);
        Queue<Double> fillSeconds = new Queue<>();
        double[] fills = new double[5];
        for (int run = -1; run < fills.length; run++) {
            Process child = new Process(SharingBenchmark::fill, List.of(data, fillSeconds));
            child.start();
            double seconds = fillSeconds.get();
            child.join();
            if (run >= 0) {
                fills[run] = seconds;
            }
        }
        java.util.Arrays.sort(fills);
        report("java_array_fill_100MB_GB_per_s", 0.1 / Medians.median(fills));
    }

    /** What the child gets to send through, and how this side receives one message. */
    record Endpoint<E>(E childEnd, Receive receive) {}

    interface Receive {
        Object one() throws Exception;
    }

    /**
     * Runs of one transfer: a fresh child sends a marker and then {@code count} messages through the
     * endpoint; only the receiving of the {@code count} messages is timed. Returns sorted seconds.
     */
    private static <E> double[] transfer(int count, Supplier<Endpoint<E>> open, SerializableConsumer<E> sender)
            throws Exception {
        return transfer(count, 5, open, sender);
    }

    private static <E> double[] transfer(int count, int runs, Supplier<Endpoint<E>> open, SerializableConsumer<E> sender)
            throws Exception {
        return Medians.measure(1, runs, () -> {
            Endpoint<E> endpoint = open.get();
            Process child = new Process(sender, endpoint.childEnd());
            child.start();
            endpoint.receive().one();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                endpoint.receive().one();
            }
            long nanos = System.nanoTime() - start;
            child.join();
            return nanos;
        });
    }

    private static void report(String name, double value) {
        System.out.printf("RESULT %s value=%.1f%n", name, value);
    }
}
