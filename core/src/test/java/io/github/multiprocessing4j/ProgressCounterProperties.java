package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link ProgressCounter}: whatever order chunks end in, each item counts once and the total is reached once. */
class ProgressCounterProperties {
    record Call(long done, long total) {}

    @Property(tries = 200)
    void chunksEndingInAnyOrder_reachTheTotalExactlyOnce_countingEachItemOnce(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 50) Integer> chunkSizes, @ForAll long seed) {
        long total = chunkSizes.stream().mapToLong(Integer::longValue).sum();
        List<Call> calls = new ArrayList<>();
        ProgressCounter counter = new ProgressCounter((done, all) -> calls.add(new Call(done, all)), total);
        List<Integer> order = new ArrayList<>(chunkSizes);
        Collections.shuffle(order, new Random(seed));
        for (int i = 0; i < order.size(); i++) {
            counter.chunkEnded(order.get(i), i % 3 == 0 ? null : new CompletionException(new IllegalStateException("failed")));
        }

        assertThat(calls).hasSize(chunkSizes.size());
        assertThat(calls).extracting(Call::done).isSorted().doesNotHaveDuplicates();
        assertThat(calls).filteredOn(call -> call.done() == total).hasSize(1);
        assertThat(calls.get(calls.size() - 1)).isEqualTo(new Call(total, total));
    }

    @Property(tries = 50)
    void cancelledChunks_areNotCounted(@ForAll @IntRange(min = 1, max = 20) int kept, @ForAll @IntRange(min = 1, max = 20) int cancelled) {
        List<Call> calls = new ArrayList<>();
        ProgressCounter counter = new ProgressCounter((done, all) -> calls.add(new Call(done, all)), kept + cancelled);
        counter.chunkEnded(cancelled, new CancellationException());
        counter.chunkEnded(kept, null);
        assertThat(calls).containsExactly(new Call(kept, kept + cancelled));
    }

    @Property(tries = 10)
    void chunksEndingOnManyThreads_callTheListenerOneAtATimeWithGrowingCounts(@ForAll @IntRange(min = 2, max = 8) int threads)
            throws InterruptedException {
        int chunksPerThread = 200;
        long total = (long) threads * chunksPerThread;
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        int[] inside = {0};
        ProgressCounter counter = new ProgressCounter((done, all) -> {
            assertThat(++inside[0]).isEqualTo(1);
            seen.add(done);
            inside[0]--;
        }, total);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < chunksPerThread; i++) {
                    counter.chunkEnded(1, null);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join(10_000);
        }
        assertThat(seen).hasSize((int) total).isSorted().doesNotHaveDuplicates().last().isEqualTo(total);
    }
}
