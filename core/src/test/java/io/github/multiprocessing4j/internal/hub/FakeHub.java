package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What hosted objects need from the world, faked for in-memory tests: a clock that moves only when told,
 * callers whose processes "die" on cue, and threads to block in.
 */
final class FakeHub implements AutoCloseable {
    /** A clock that stands still until {@link #advance}; it schedules nothing (hosted objects never do). */
    static final class Clock implements Scheduler {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public Cancellable schedule(Runnable action, long delayNanos) {
            throw new UnsupportedOperationException("hosted objects schedule nothing");
        }

        void advance(Duration by) {
            now.addAndGet(by.toNanos());
        }
    }

    final Clock clock = new Clock();
    private final Set<Long> dead = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** Thread {@code threadId} of process {@code pid}, alive until {@link #kill}. */
    Caller caller(long pid, long threadId) {
        return new Caller(pid, threadId, candidate -> !dead.contains(candidate));
    }

    void kill(long pid) {
        dead.add(pid);
    }

    /** Runs {@code call} on a thread of its own, as a hub connection would. */
    <T> Future<T> async(Callable<T> call) {
        return threads.submit(call);
    }

    /** Lets a call started with {@link #async} reach its wait: it stays blocked at least this long. */
    static void settle() throws InterruptedException {
        Thread.sleep(300);
    }

    /** Fails unless {@code failure}'s message contains every one of {@code parts}. */
    static void assertMessageContains(Throwable failure, String... parts) {
        for (String part : parts) {
            if (failure.getMessage() == null || !failure.getMessage().contains(part)) {
                throw new AssertionError("expected the message to contain \"" + part + "\" but it was: "
                        + failure.getMessage(), failure);
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
