package io.github.multiprocessing4j;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed-length list of {@code long}, {@code double}, {@code boolean}, {@link String}, {@code byte[]} and
 * {@code null} items stored in one {@link SharedMemory} block: Python's
 * {@code multiprocessing.shared_memory.ShareableList}. Every process that holds it (as an argument, a
 * capture, or by {@link #attach(String) name}) reads and writes the same memory.
 *
 * <pre>{@code
 * ShareableList list = ShareableList.create(Arrays.asList(1L, 2.5, "howdy", null, true));
 * new Process((ShareableList l) -> l.set(2, "hi"), list).start();   // list.get(2) is "hi" once it ran
 * }</pre>
 *
 * <p>Sizes, as in Python: each slot keeps the capacity it was created with. A number, boolean or
 * {@code null} needs 8 bytes; a string (as UTF-8) or byte array of n bytes gets {@code 8 * (n / 8 + 1)}
 * bytes. Any item that fits a slot's capacity may be stored there, of any of the six types; a longer one
 * throws {@link IllegalArgumentException} and leaves the slot as it was.
 *
 * <pre>
 * block:  magic "MP4L" (int32) | count n (int32) | capacity of slot 0..n-1 (int32 each) | slot 0 | slot 1 ...
 * slot:   tag (u8: 0 null, 1 long, 2 double, 3 boolean, 4 string, 5 bytes) | 3 bytes unused
 *         | length (int32, bytes of a string or array) | data (capacity bytes)
 * </pre>
 *
 * <p>Thread and process safety: as in Python, there is no lock. A slot read while another thread or process
 * writes it may show a mixture of the two; guard such slots with a {@link Lock}.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code int} and {@code float} are {@code Long} and {@code Double} here; {@code Integer},
 *     {@code Short} and {@code Byte} are stored as longs and {@code Float} as a double, and read back so.
 *     Like Python's, a number is 8 bytes: longs are 64-bit.</li>
 * <li>Strings and byte arrays keep their exact content: Python strips trailing {@code \0} bytes when it
 *     reads one back, and sizes a string's slot by characters, not by its UTF-8 bytes, so a non-ASCII
 *     string may not fit its own slot; neither happens here.</li>
 * <li>Python's {@code sl[i]} and {@code sl[i] = v} are {@link #get(int)} and {@link #set(int, Object)}; its
 *     {@code count} and {@code index} are {@link #count(Object)} and {@link #indexOf(Object)} (byte arrays
 *     compared by content); {@code shm} is {@link #sharedMemory()}; {@code format} is not offered.</li>
 * <li>{@link #close()} and {@link #unlink()} act on the block, as {@code sl.shm.close()} and
 *     {@code sl.shm.unlink()}; like every {@link SharedMemory} block, it is also unlinked when its creator
 *     ends.</li>
 * </ul>
 */
public final class ShareableList implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAGIC = 0x4D50344C;   // "MP4L"
    private static final int SLOT_HEADER = 8;
    private static final int NUMBER = 8;
    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte BOOLEAN = 3;
    private static final byte STRING = 4;
    private static final byte BYTES = 5;

    /** The shared memory block that holds the header and the slots; a copy in another process attaches it. */
    private final SharedMemory block;
    /** Where each slot starts, and its capacity: read from the block's header once per process. */
    private transient int[] offsets;
    private transient int[] capacities;

    private ShareableList(SharedMemory block) {
        this.block = block;
    }

    /**
     * A list holding {@code values}, in a new block with a generated name.
     *
     * @param values the items; each a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]},
     *     null, or a smaller number type stored as one of those
     * @return the list, owned by this process
     * @throws IllegalArgumentException if an item is of another type than the six a slot holds
     */
    public static ShareableList create(List<?> values) {
        return create(null, values);
    }

    /**
     * A list holding {@code values} in a new block named {@code name} ({@code null}: a generated name).
     *
     * @param name the block's name, 1 to 100 letters, digits, {@code _}, {@code .} or {@code -}; null for a generated
     *     one
     * @param values the items; each a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]},
     *     null, or a smaller number type stored as one of those
     * @return the list, owned by this process
     * @throws IllegalArgumentException if an item is of another type than the six a slot holds
     * @throws IllegalStateException if a block of that name exists
     */
    public static ShareableList create(String name, List<?> values) {
        Objects.requireNonNull(values, "values");
        int count = values.size();
        int[] capacities = new int[count];
        long total = 8L + 4L * count;
        for (int i = 0; i < count; i++) {
            byte[] bytes = bytesOf(values.get(i), i);
            capacities[i] = bytes == null ? NUMBER : 8 * (bytes.length / 8 + 1);
            total += SLOT_HEADER + capacities[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("items need more than 2 GiB: " + total + " bytes");
        }
        SharedMemory block = name == null ? SharedMemory.create((int) total) : SharedMemory.create(name, (int) total);
        ByteBuffer buffer = block.buffer();
        buffer.putInt(0, MAGIC).putInt(4, count);
        for (int i = 0; i < count; i++) {
            buffer.putInt(8 + 4 * i, capacities[i]);
        }
        ShareableList list = new ShareableList(block);
        for (int i = 0; i < count; i++) {
            list.set(i, values.get(i));
        }
        return list;
    }

    /**
     * Attaches the list in the block named {@code name}, made by {@link #create} in some process.
     *
     * @param name the block's name, as {@code sharedMemory().name()} gives it in the creating process
     * @return the list, on the same memory as the creator's
     * @throws IllegalArgumentException if no block has that name
     * @throws IllegalStateException if the block does not hold a list
     */
    public static ShareableList attach(String name) {
        ShareableList list = new ShareableList(SharedMemory.attach(name));
        list.layout();
        return list;
    }

    /**
     * The number of items, fixed at creation.
     *
     * @return how many items it has
     */
    public int size() {
        return layout().length;
    }

    /**
     * The item at {@code index}: a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} or
     * null.
     *
     * @param index from 0 to {@code size() - 1}
     * @return the item, a new object (or array) read from the shared memory
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public Object get(int index) {
        int at = offsets()[Objects.checkIndex(index, size())];
        ByteBuffer buffer = block.buffer();
        byte tag = buffer.get(at);
        int length = buffer.getInt(at + 4);
        int data = at + SLOT_HEADER;
        switch (tag) {
            case NULL: return null;
            case LONG: return buffer.getLong(data);
            case DOUBLE: return buffer.getDouble(data);
            case BOOLEAN: return buffer.get(data) != 0;
            case STRING: return new String(read(buffer, data, length, index), StandardCharsets.UTF_8);
            case BYTES: return read(buffer, data, length, index);
            default: throw new IllegalStateException("slot " + index + " of " + this + " has an unknown tag " + tag);
        }
    }

    private byte[] read(ByteBuffer buffer, int data, int length, int index) {
        if (length < 0 || length > capacities[index]) {
            throw new IllegalStateException("slot " + index + " of " + this + " has a length of " + length
                    + " bytes, beyond its capacity of " + capacities[index]);
        }
        byte[] bytes = new byte[length];
        buffer.get(data, bytes);
        return bytes;
    }

    /**
     * Stores {@code value} at {@code index}, if it fits the slot's capacity.
     *
     * @param index from 0 to {@code size() - 1}
     * @param value a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} or null (a smaller
     *     number type is stored as a long or a double)
     * @throws IllegalArgumentException if the value is longer than the slot's capacity, or of another type
     *         than the six a slot holds
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     */
    public void set(int index, Object value) {
        int at = offsets()[Objects.checkIndex(index, size())];
        byte[] bytes = bytesOf(value, index);
        if (bytes != null && bytes.length > capacities[index]) {
            throw new IllegalArgumentException("item " + index + " has room for " + capacities[index]
                    + " bytes but the " + (value instanceof String ? "string" : "byte array") + " needs "
                    + bytes.length + " (a slot keeps the capacity it was created with)");
        }
        ByteBuffer buffer = block.buffer();
        int data = at + SLOT_HEADER;
        byte tag;
        if (value == null) {
            tag = NULL;
        } else if (value instanceof Double || value instanceof Float) {
            tag = DOUBLE;
            buffer.putDouble(data, ((Number) value).doubleValue());
        } else if (value instanceof Number) {
            tag = LONG;
            buffer.putLong(data, ((Number) value).longValue());
        } else if (value instanceof Boolean) {
            tag = BOOLEAN;
            buffer.put(data, (byte) ((Boolean) value ? 1 : 0));
        } else {
            tag = value instanceof String ? STRING : BYTES;
            buffer.put(data, bytes);
        }
        buffer.putInt(at + 4, bytes == null ? 0 : bytes.length);
        buffer.put(at, tag);
    }

    /**
     * How many items equal {@code value} (byte arrays by content), as Python's {@code count}.
     *
     * @param value the item to look for; may be null
     * @return the number of equal items, 0 if none
     */
    public int count(Object value) {
        int count = 0;
        for (int i = 0; i < size(); i++) {
            if (same(get(i), value)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The first index holding {@code value} (byte arrays by content), or -1; Python's {@code index} raises instead.
     *
     * @param value the item to look for; may be null
     * @return the index, or -1 if no item equals it
     */
    public int indexOf(Object value) {
        for (int i = 0; i < size(); i++) {
            if (same(get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A copy of the items as they are now.
     *
     * @return a new, modifiable list; later changes to the shared list do not show in it
     */
    public List<Object> toList() {
        List<Object> items = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            items.add(get(i));
        }
        return items;
    }

    /**
     * The block holding the items (Python's {@code shm}).
     *
     * @return the block, the same one every copy of this list uses
     */
    public SharedMemory sharedMemory() {
        return block;
    }

    /** Ends this process's use of the block, as {@code sl.shm.close()}. */
    @Override
    public void close() {
        block.close();
    }

    /** Removes the block's name, as {@code sl.shm.unlink()}; see {@link SharedMemory#unlink()}. */
    public void unlink() {
        block.unlink();
    }

    /** As Python's {@code repr}: the items and the block's name. */
    @Override
    public String toString() {
        try {
            block.buffer();
        } catch (IllegalStateException closed) {
            return "ShareableList(closed, name='" + block.name() + "')";
        }
        List<Object> shown = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            Object item = get(i);
            shown.add(item instanceof byte[] ? "b" + Arrays.toString((byte[]) item)
                    : item instanceof String ? "'" + item + "'" : item);
        }
        return "ShareableList(" + shown + ", name='" + block.name() + "')";
    }

    private static boolean same(Object item, Object value) {
        if (item instanceof byte[] && value instanceof byte[]) {
            return Arrays.equals((byte[]) item, (byte[]) value);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            value = ((Number) value).longValue();
        } else if (value instanceof Float) {
            value = ((Float) value).doubleValue();
        }
        return Objects.equals(item, value);
    }

    /** The encoded bytes of a string or byte array; null for the types stored in 8 bytes. */
    private static byte[] bytesOf(Object value, int index) {
        if (value == null || value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof Double || value instanceof Float || value instanceof Boolean) {
            return null;
        }
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        throw new IllegalArgumentException("item " + index + " must be a Long, Double, Boolean, String, byte[] or null"
                + " but was a " + value.getClass().getName());
    }

    private int[] offsets() {
        layout();
        return offsets;
    }

    /** Reads and checks the header once; returns the capacities. */
    private synchronized int[] layout() {
        if (capacities == null) {
            ByteBuffer buffer = block.buffer();
            int size = buffer.capacity();
            if (size < 8 || buffer.getInt(0) != MAGIC) {
                throw new IllegalStateException(block + " does not hold a ShareableList");
            }
            int count = buffer.getInt(4);
            if (count < 0 || 8L + 4L * count > size) {
                throw new IllegalStateException(block + " does not hold a ShareableList: " + count + " items");
            }
            int[] at = new int[count];
            int[] room = new int[count];
            long next = 8L + 4L * count;
            for (int i = 0; i < count; i++) {
                room[i] = buffer.getInt(8 + 4 * i);
                at[i] = (int) next;
                next += SLOT_HEADER + (long) room[i];
                if (room[i] < NUMBER || next > size) {
                    throw new IllegalStateException(block + " does not hold a ShareableList: slot " + i
                            + " has a capacity of " + room[i] + " bytes");
                }
            }
            offsets = at;
            capacities = room;
        }
        return capacities;
    }
}
