package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Event;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.Queue;
import java.time.Duration;
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
 * JMH benchmarks of the channel hot path between two processes: a queue owned by a child, used from here,
 * so every put goes through the feeder and every get is a round trip in the compact form (HubWire, PARTS
 * frames). Run with {@code bench/jmh.sh ChannelBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChannelBenchmarks {
    private static final int MIB = 1 << 20;

    private Process owner;
    private Event done;
    private Queue<Object> remote;
    private final byte[] block = new byte[MIB];

    /** In the child: creates the queue, hands it over, and keeps it alive until told to end. */
    static void ownQueue(List<Object> shared) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Queue<Queue<Object>> mailbox = (Queue<Queue<Object>>) shared.get(0);
        mailbox.put(new Queue<>());
        ((Event) shared.get(1)).waitFor();
    }

    @Setup
    public void setUp() throws InterruptedException {
        Queue<Queue<Object>> mailbox = new Queue<>();
        done = new Event();
        owner = new Process(ChannelBenchmarks::ownQueue, List.of(mailbox, done));
        owner.start();
        remote = mailbox.get(Duration.ofSeconds(60));
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        done.set();
        owner.join();
    }

    /** A small item to another process's queue and back: one feeder batch, one get round trip. */
    @Benchmark
    public Object remotePutGetSmall() throws InterruptedException {
        remote.put(7);
        return remote.get();
    }

    /** A 1 MiB array to another process's queue and back: the item travels as a part of its own both ways. */
    @Benchmark
    public Object remotePutGet1MiB() throws InterruptedException {
        remote.put(block);
        return remote.get();
    }
}
