package io.github.multiprocessing4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates {@link SharedMemory} blocks and {@link ShareableList}s and unlinks all of them when it is closed:
 * Python's {@code multiprocessing.managers.SharedMemoryManager}.
 *
 * <pre>{@code
 * try (SharedMemoryManager smm = SharedMemoryManager.start()) {
 *     SharedMemory block = smm.sharedMemory(1 << 20);
 *     ShareableList list = smm.shareableList(List.of(1L, "two"));
 *     // hand them to processes; at the end of the block both names are removed
 * }
 * }</pre>
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's manager is a server process that remembers the blocks; here the blocks are made and
 *     remembered by the process that holds the manager, and no server is started ({@link #start()} only
 *     returns a new manager). Like every {@link SharedMemory} block, they are also unlinked when that
 *     process ends, even by {@code kill -9}, where Python's server unlinks them when it is shut down.</li>
 * <li>For the same reason the manager itself cannot be sent to another process (Python's proxies can ask
 *     the server for blocks); send the blocks and lists, which can.</li>
 * <li>{@link #close()} is Python's {@code shutdown()} (and the end of its {@code with} block); blocks
 *     someone already unlinked are skipped. Asking a closed manager for a block throws
 *     {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class SharedMemoryManager implements AutoCloseable {
    /* Accessed only while holding this object's monitor. */
    private final List<SharedMemory> blocks = new ArrayList<>();
    private boolean closed;

    private SharedMemoryManager() {}

    /**
     * A new manager (Python's {@code SharedMemoryManager()} followed by {@code start()}).
     *
     * @return the new, open manager
     */
    public static SharedMemoryManager start() {
        return new SharedMemoryManager();
    }

    /**
     * A new zero-filled block with a generated name, unlinked when this manager closes.
     *
     * @param size the size in bytes, at least 1
     * @return the block, mapped in this process
     * @throws IllegalArgumentException if {@code size} is less than 1
     * @throws IllegalStateException if this manager is closed
     */
    public SharedMemory sharedMemory(int size) {
        synchronized (this) {
            requireOpen();
            return track(SharedMemory.create(size));
        }
    }

    /**
     * A new {@link ShareableList} holding {@code values}, unlinked when this manager closes.
     *
     * @param values the items, as for {@link ShareableList#create(List)}
     * @return the list, in a block owned by this process
     * @throws IllegalArgumentException if an item is of a type a {@link ShareableList} cannot hold
     * @throws IllegalStateException if this manager is closed
     */
    public ShareableList shareableList(List<?> values) {
        Objects.requireNonNull(values, "values");
        synchronized (this) {
            requireOpen();
            ShareableList list = ShareableList.create(values);
            track(list.sharedMemory());
            return list;
        }
    }

    /**
     * The names of the blocks made here and not yet unlinked by {@link #close()}.
     *
     * @return the names, in the order the blocks were made; empty after {@link #close()}
     */
    public synchronized List<String> names() {
        return blocks.stream().map(SharedMemory::name).toList();
    }

    /**
     * Unlinks every block made here (Python's {@code shutdown()}); later calls do nothing. Blocks and lists
     * already handed out stay readable where they are open, as after {@link SharedMemory#unlink()}.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SharedMemory block : blocks) {
            try {
                block.unlink();
            } catch (IllegalStateException alreadyGone) {
                // Unlinked by its user already: nothing left to do for this one.
            }
        }
        blocks.clear();
    }

    private SharedMemory track(SharedMemory block) {
        assert Thread.holdsLock(this);
        blocks.add(block);
        return block;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this SharedMemoryManager is closed");
        }
    }

    @Override
    public synchronized String toString() {
        return "SharedMemoryManager(" + blocks.size() + " blocks" + (closed ? ", closed" : "") + ")";
    }
}
