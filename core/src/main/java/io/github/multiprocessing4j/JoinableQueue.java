package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.QueueRequest;
import io.github.multiprocessing4j.internal.hub.Waits;
import java.time.Duration;

/**
 * A {@link Queue} that counts unfinished items: every {@code put} adds one, every {@link #taskDone()} takes
 * one away, and {@link #join()} waits until none are left (Python's {@code JoinableQueue}).
 *
 * <h2>Comparison with Python</h2>
 * {@code task_done()} is {@link #taskDone()}; calling it more often than items were put throws
 * {@link IllegalStateException} (Python: {@code ValueError}). {@link #join(Duration)} is a bounded form that
 * Python lacks.
 *
 * @param <T> the type of the items
 */
public final class JoinableQueue<T> extends Queue<T> {
    /** An unbounded queue, hosted by this process. */
    public JoinableQueue() {
        super(0);
    }

    /**
     * A queue holding at most {@code maxsize} items, hosted by this process.
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public JoinableQueue(int maxsize) {
        super(maxsize);
    }

    /**
     * Marks one item taken with {@code get} as processed.
     *
     * @throws IllegalStateException if called more often than items were put
     */
    public void taskDone() {
        requireOpen();
        handle.call(new QueueRequest.TaskDone());
    }

    /**
     * Waits until every item put has been marked done.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if this copy was closed in this process
     */
    public void join() throws InterruptedException {
        requireOpen();
        Waits.until(null, this::joinSlice);
    }

    /**
     * Waits at most {@code timeout}; returns whether every item has been marked done.
     *
     * @param timeout how long to wait at most
     * @return true if every item put has been marked done; false if some were still open when the time ran out
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if this copy was closed in this process
     */
    public boolean join(Duration timeout) throws InterruptedException {
        requireOpen();
        return Waits.until(Waits.requireTimeout(timeout), this::joinSlice) != null;
    }

    private Boolean joinSlice(long sliceNanos) {
        return handle.call(new QueueRequest.Join(sliceNanos)) ? Boolean.TRUE : null;
    }
}
