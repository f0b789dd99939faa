package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.QueueRequest;
import io.github.multiprocessing4j.internal.hub.QueueState;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A FIFO queue shared between processes: Python's {@code multiprocessing.Queue}. Create it in one process
 * and pass it to others as an argument or capture; every copy is the same queue.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>();
 * var p = new Process(queue -> queue.put("hello"), q);
 * p.start();
 * System.out.println(q.get(Duration.ofSeconds(5)));   // hello
 * }</pre>
 *
 * <p>Items are serialized by {@link #put} on the calling thread, so an item that cannot be sent fails there,
 * naming its class, and the queue is unchanged. The queue lives in the process that created it (its items
 * are kept there, still serialized) until that process exits; then the other copies fail with a
 * {@link MultiprocessingException} on their next use. If the owning process hangs (stopped, deadlocked),
 * calls on it wait until it answers or dies.
 *
 * <p>Thread safety: any thread of any process may use any copy.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code queue.Empty} and {@code queue.Full} are {@link Empty} (a {@link NoSuchElementException})
 * and {@link Full} (an {@link IllegalStateException}), as Java's {@code Queue.remove} and {@code add}
 * signal the same conditions. Blocking calls throw {@link InterruptedException}, as
 * {@code BlockingQueue.take} does. As in Python, a {@code put} on an unbounded queue owned by another
 * process returns before the item arrives (a feeder thread delivers it, in order); unlike Python, every
 * later call this process makes on a shared object, the end of a pool task, and a normal exit wait for it.
 * {@link #close()} ends only this process's use of its copy, even on a queue it never used: every later
 * call on that copy here throws {@link IllegalStateException} (Python raises {@code ValueError} for
 * {@code put} and {@code OSError} for {@code get}), while other copies and the items are unaffected; there
 * is no {@code join_thread()} or {@code cancel_join_thread()}, since pending puts are always delivered.
 *
 * @param <T> the type of the items
 */
public sealed class Queue<T> implements Serializable permits JoinableQueue {
    /** Nothing to get before the timeout, or at once for {@link #getNowait()}: Python's {@code queue.Empty}. */
    public static final class Empty extends NoSuchElementException {
        /**
         * Makes one; the queue throws it.
         *
         * @param message what was empty, and for how long it was waited on
         */
        public Empty(String message) {
            super(message);
        }
    }

    /** No room before the timeout, or at once for {@link #putNowait}: Python's {@code queue.Full}. */
    public static final class Full extends IllegalStateException {
        /**
         * Makes one; the queue throws it.
         *
         * @param message what was full (with its {@code maxsize}), and for how long it was waited on
         */
        public Full(String message) {
            super(message);
        }
    }

    /** Byte-array items at least this long are not copied before they are written. */
    private static final int BORROW_FROM = 64 << 10;

    /** The queue in the hub of the process that made it, through which every copy talks. */
    final Handle handle;
    /** The most items it holds, or 0 for no limit. */
    private final int maxsize;
    /** Whether this copy was closed in this process; copies elsewhere are not affected. */
    private transient volatile boolean closed;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue holding at most {@code maxsize} items; 0 means no limit.
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public Queue(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be 0 (no limit) or more but was " + maxsize);
        }
        this.maxsize = maxsize;
        this.handle = HubServer.local().register(new QueueState(maxsize, Scheduler.system()));
    }

    /**
     * Adds an item, waiting as long as it takes for room. On an unbounded queue owned by another process the
     * item is delivered by a background thread, in order, as Python's feeder thread does: it is visible to
     * others a moment later, and before any later call this process makes on a shared object.
     *
     * @param item the item; serialized here, so later changes to the object do not reach the queue (null is allowed)
     * @throws InterruptedException if the waiting thread is interrupted; the item was not added
     * @throws SerializationException if {@code item} cannot be serialized; nothing is added
     * @throws IllegalStateException if this copy was closed in this process
     */
    public void put(T item) throws InterruptedException {
        if (item instanceof byte[] large && large.length >= BORROW_FROM && large.length < Codec.MAX_ITEM_LENGTH) {
            // Written straight from the caller's array (to another process): put returns once it is written.
            requireOpen();
            byte[] tag = Codec.bytesTag();
            if (maxsize == 0) {
                handle.send(new QueueRequest.PutSlice(tag, large, -1L));
            } else {
                Waits.until(null, slice -> handle.call(new QueueRequest.PutSlice(tag, large, slice)) ? Boolean.TRUE : null);
            }
            return;
        }
        Item bytes = encode(item);
        if (maxsize == 0) {
            handle.send(new QueueRequest.Put(bytes, -1L));
            return;
        }
        Waits.until(null, slice -> putSlice(bytes, slice));
    }

    /**
     * Adds an item, waiting at most {@code timeout} for room; otherwise throws {@link Full}.
     *
     * @param item the item; serialized here (null is allowed)
     * @param timeout how long to wait for room at most; zero or negative to not wait
     * @throws Full if there was no room in time; the item was not added
     * @throws InterruptedException if the waiting thread is interrupted; the item was not added
     * @throws SerializationException if {@code item} cannot be serialized; nothing is added
     * @throws IllegalStateException if this copy was closed in this process
     */
    public void put(T item, Duration timeout) throws InterruptedException {
        Item bytes = encode(item);
        if (Waits.until(Waits.requireTimeout(timeout), slice -> putSlice(bytes, slice)) == null) {
            throw new Full("queue still full (maxsize " + maxsize + ") after " + timeout.toMillis() + " ms");
        }
    }

    /**
     * Adds an item if there is room now; otherwise throws {@link Full}.
     *
     * @param item the item; serialized here (null is allowed)
     * @throws Full if there is no room now
     * @throws SerializationException if {@code item} cannot be serialized; nothing is added
     * @throws IllegalStateException if this copy was closed in this process
     */
    public void putNowait(T item) {
        if (!handle.call(new QueueRequest.Put(encode(item), Waits.NO_WAIT))) {
            throw new Full("queue is full (maxsize " + maxsize + ")");
        }
    }

    /**
     * Removes and returns the oldest item, waiting as long as it takes for one.
     *
     * @return the item, a new copy in this process
     * @throws InterruptedException if the waiting thread is interrupted; no item was taken
     * @throws IllegalStateException if this copy was closed in this process
     */
    public T get() throws InterruptedException {
        requireOpen();
        return decode(Waits.until(null, slice -> handle.call(new QueueRequest.Get(slice))));
    }

    /**
     * Removes and returns the oldest item, waiting at most {@code timeout}; otherwise throws {@link Empty}.
     *
     * @param timeout how long to wait at most; zero or negative to take only what is there now
     * @return the item, a new copy in this process
     * @throws Empty if no item came in time
     * @throws InterruptedException if the waiting thread is interrupted; no item was taken
     * @throws IllegalStateException if this copy was closed in this process
     */
    public T get(Duration timeout) throws InterruptedException {
        requireOpen();
        Item item = Waits.until(Waits.requireTimeout(timeout), slice -> handle.call(new QueueRequest.Get(slice)));
        if (item == null) {
            throw new Empty("queue still empty after " + timeout.toMillis() + " ms");
        }
        return decode(item);
    }

    /**
     * Removes and returns the oldest item if there is one now; otherwise throws {@link Empty}.
     *
     * @return the item, a new copy in this process
     * @throws Empty if the queue is empty now
     * @throws IllegalStateException if this copy was closed in this process
     */
    public T getNowait() {
        requireOpen();
        Item item = handle.call(new QueueRequest.Get(Waits.NO_WAIT));
        if (item == null) {
            throw new Empty("queue is empty");
        }
        return decode(item);
    }

    /**
     * The number of items now (a snapshot: other processes may change it at once).
     *
     * @return the number of items in the queue (Python's {@code qsize()})
     * @throws IllegalStateException if this copy was closed in this process
     */
    public int qsize() {
        requireOpen();
        return handle.call(new QueueRequest.Size());
    }

    /**
     * Whether the queue holds no items now (Python's {@code empty()}); a snapshot, like {@link #qsize()}.
     *
     * @return true if it is empty
     * @throws IllegalStateException if this copy was closed in this process
     */
    public boolean isEmpty() {
        return qsize() == 0;
    }

    /**
     * Whether the queue holds {@link #maxsize()} items now (Python's {@code full()}); a snapshot, like
     * {@link #qsize()}.
     *
     * @return true if a {@code put} would wait now; always false for an unbounded queue
     * @throws IllegalStateException if this copy was closed in this process
     */
    public boolean isFull() {
        requireOpen();
        return handle.call(new QueueRequest.IsFull());
    }

    /**
     * The most items it holds, or 0 for no limit.
     *
     * @return the limit given at creation
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Says this process is done with this copy of the queue: later calls on it here throw
     * {@link IllegalStateException}. Other processes' copies, and the items, are not affected.
     */
    public void close() {
        closed = true;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this queue was closed in this process");
        }
    }

    /** One slice of a blocking put: TRUE once added, null while there is no room (for {@link Waits}). */
    private Boolean putSlice(Item bytes, long sliceNanos) {
        return handle.call(new QueueRequest.Put(bytes, sliceNanos)) ? Boolean.TRUE : null;
    }

    private Item encode(Object item) {
        requireOpen();
        return Codec.encodeItem(item, "queue item");
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(Item item) {
        return (T) Codec.decodeItem(Objects.requireNonNull(item));
    }
}
