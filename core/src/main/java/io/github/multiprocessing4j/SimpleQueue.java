package io.github.multiprocessing4j;

/**
 * An unbounded shared FIFO with only the essentials (Python's {@code SimpleQueue}): {@link #put},
 * {@link #get} and {@link #isEmpty}.
 *
 * <h2>Comparison with Python</h2>
 * {@code empty()} is {@link #isEmpty()}; {@link #get(java.time.Duration)} is a bounded form Python's
 * {@code SimpleQueue} lacks; items are serialized with Java serialization instead of pickle.
 */
public final class SimpleQueue<T> implements java.io.Serializable {
    private final Queue<T> queue;

    /** An empty queue, hosted by this process. */
    public SimpleQueue() {
        this.queue = new Queue<>();
    }

    public void put(T item) throws InterruptedException {
        queue.put(item);
    }

    public T get() throws InterruptedException {
        return queue.get();
    }

    /** Waits at most {@code timeout}; otherwise throws {@link Queue.Empty}. */
    public T get(java.time.Duration timeout) throws InterruptedException {
        return queue.get(timeout);
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** This copy will not be used again in this process; see {@link Queue#close()}. */
    public void close() {
        queue.close();
    }
}
