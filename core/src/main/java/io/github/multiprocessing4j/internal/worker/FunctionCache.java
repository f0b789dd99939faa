package io.github.multiprocessing4j.internal.worker;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions a pool worker keeps between tasks, by id, least recently used first out: at most
 * {@link #MAX_ENTRIES} functions and {@link #MAX_BYTES} of their encodings; a function whose encoding alone
 * is larger is never kept.
 *
 * <p>Two copies of it exist for each worker and stay equal: the worker's, holding the decoded functions,
 * and the parent's ledger (values unused), which tells the parent whether a task must carry its function.
 * They stay equal because both apply the same operations in the same order: the parent at each task it
 * sends the worker, the worker at each task it runs, one task at a time in the order sent. The
 * operation for a task is {@link #lookUp} then, when its function was absent, {@link #keep}. Not thread-safe;
 * each copy is used by one thread at a time (the worker's main thread; the parent under the pool's lock).
 */
public final class FunctionCache<V> {
    /** The most functions kept. */
    public static final int MAX_ENTRIES = 32;
    /** The most bytes of encoded functions kept. */
    public static final long MAX_BYTES = 64L << 20;

    private record Entry<V>(V value, int bytes) {}

    private final Map<Long, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** The function kept under {@code id}, now the most recently used; null if it is not kept. */
    public V lookUp(long id) {
        Entry<V> entry = entries.get(id);
        return entry == null ? null : entry.value;
    }

    /**
     * Keeps {@code value} under {@code id}, unless its encoding of {@code encodedBytes} is larger than
     * {@link #MAX_BYTES}; evicts the least recently used functions beyond the limits.
     */
    public void keep(long id, V value, int encodedBytes) {
        if (encodedBytes > MAX_BYTES) {
            return;
        }
        Entry<V> previous = entries.put(id, new Entry<>(value, encodedBytes));
        bytes += encodedBytes - (previous == null ? 0 : previous.bytes);
        Iterator<Entry<V>> eldest = entries.values().iterator();
        while (entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) {
            bytes -= eldest.next().bytes;
            eldest.remove();
        }
    }

    /** How many functions are kept. */
    public int size() {
        return entries.size();
    }
}
