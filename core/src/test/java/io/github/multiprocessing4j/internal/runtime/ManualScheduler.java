package io.github.multiprocessing4j.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} whose clock moves only when a test calls {@link #advance}: due actions then run on the
 * test's thread, in the order of their due times.
 */
public final class ManualScheduler implements Scheduler {
    private long now;
    private long sequence;
    /* Accessed only while holding this. */
    private final List<Entry> scheduled = new ArrayList<>();

    private final class Entry implements Cancellable {
        final long due;
        final long order = sequence++;
        final Runnable action;

        Entry(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                scheduled.remove(this);
            }
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable action, long delayNanos) {
        Entry entry = new Entry(now + Math.max(0, delayNanos), action);
        scheduled.add(entry);
        return entry;
    }

    /** Moves the clock forward, running each action that falls due on the way. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = scheduled.stream().filter(e -> e.due <= target)
                        .min(Comparator.<Entry>comparingLong(e -> e.due).thenComparingLong(e -> e.order)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                scheduled.remove(next);
                now = next.due;
            }
            next.action.run();
        }
    }

    /** How many actions wait to fall due. */
    public synchronized int pending() {
        return scheduled.size();
    }
}
