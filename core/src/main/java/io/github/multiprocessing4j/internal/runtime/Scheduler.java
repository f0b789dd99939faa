package io.github.multiprocessing4j.internal.runtime;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time as the library's rules see it: the current instant and delayed actions. Passed in rather than read
 * from {@code System.nanoTime} and a global timer, so the rules (task timeouts, start timeouts, wait
 * deadlines) can be driven by a fake clock in tests, as Caffeine's {@code Ticker} and OkHttp's
 * {@code cleanup(long now)} are.
 */
public interface Scheduler {
    /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Runs {@code action} once after {@code delayNanos}, on a library thread, unless cancelled first. */
    Cancellable schedule(Runnable action, long delayNanos);

    /** A scheduled action that can still be called off. */
    interface Cancellable {
        /** Calls the action off if it has not started; harmless after it ran. */
        void cancel();
    }

    /** The real clock, and {@link LibraryThreads#timer()}. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }
}

/** {@link Scheduler#system()}. */
enum SystemScheduler implements Scheduler {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Runnable action, long delayNanos) {
        ScheduledFuture<?> future = LibraryThreads.timer().schedule(action, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
