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

    /** The hubs not yet closed, whose calls {@link #settle} waits for. */
    private static final Set<FakeHub> OPEN = ConcurrentHashMap.newKeySet();

    final Clock clock = new Clock();
    private final Set<Long> dead = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Calls handed to {@link #async} so far, and the threads running one now. */
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    FakeHub() {
        OPEN.add(this);
    }

    /** Thread {@code threadId} of process {@code pid}, alive until {@link #kill}. */
    Caller caller(long pid, long threadId) {
        return new Caller(pid, threadId, candidate -> !dead.contains(candidate));
    }

    void kill(long pid) {
        dead.add(pid);
    }

    /** Runs {@code call} on a thread of its own, as a hub connection would. */
    <T> Future<T> async(Callable<T> call) {
        submitted.incrementAndGet();
        return threads.submit(() -> {
            running.add(Thread.currentThread());
            started.incrementAndGet();
            try {
                return call.call();
            } finally {
                running.remove(Thread.currentThread());
            }
        });
    }

    /**
     * Lets the calls started with {@link #async} reach their waits: returns once every one of them has
     * started and is waiting (a hosted object's wait is a monitor wait) or has returned, or after at most
     * {@value #SETTLE_MILLIS} ms.
     */
    static void settle() throws InterruptedException {
        long end = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        while (System.nanoTime() < end && !OPEN.stream().allMatch(FakeHub::settled)) {
            Thread.sleep(2);
        }
    }

    private static final long SETTLE_MILLIS = 300;

    private boolean settled() {
        if (started.get() < submitted.get()) {
            return false;
        }
        for (Thread thread : running) {
            Thread.State state = thread.getState();
            if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
                return false;
            }
        }
        return true;
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
        OPEN.remove(this);
        threads.shutdownNow();
    }
}
