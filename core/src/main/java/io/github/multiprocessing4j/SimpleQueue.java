package io.github.multiprocessing4j;

/**
 * An unbounded shared FIFO with only the essentials (Python's {@code SimpleQueue}): {@link #put},
 * {@link #get} and {@link #isEmpty}.
 *
 * <h2>Comparison with Python</h2>
 * {@code empty()} is {@link #isEmpty()}; {@link #get(java.time.Duration)} is a bounded form Python's
 * {@code SimpleQueue} lacks; items are serialized with Java serialization instead of pickle.
 *
 * @param <T> the type of the items
 */
public final class SimpleQueue<T> implements java.io.Serializable {
    /** The unbounded queue that holds the items. */
    private final Queue<T> queue;

    /** An empty queue, hosted by this process. */
    public SimpleQueue() {
        this.queue = new Queue<>();
    }

    /**
     * Adds an item at the end; it never waits for room, since the queue is unbounded.
     *
     * @param item the item; serialized here (null is allowed)
     * @throws InterruptedException if the calling thread is interrupted
     * @throws SerializationException if {@code item} cannot be serialized; nothing is added
     */
    public void put(T item) throws InterruptedException {
        queue.put(item);
    }

    /**
     * Removes and returns the oldest item, waiting as long as it takes for one.
     *
     * @return the item, a new copy in this process
     * @throws InterruptedException if the waiting thread is interrupted; no item was taken
     */
    public T get() throws InterruptedException {
        return queue.get();
    }

    /**
     * Waits at most {@code timeout}; otherwise throws {@link Queue.Empty}.
     *
     * @param timeout how long to wait at most
     * @return the item, a new copy in this process
     * @throws InterruptedException if the waiting thread is interrupted; no item was taken
     */
    public T get(java.time.Duration timeout) throws InterruptedException {
        return queue.get(timeout);
    }

    /**
     * Whether the queue holds no items now (Python's {@code empty()}); other processes may change that at once.
     *
     * @return true if it is empty
     */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** This copy will not be used again in this process; see {@link Queue#close()}. */
    public void close() {
        queue.close();
    }
}
