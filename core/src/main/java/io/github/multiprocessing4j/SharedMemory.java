package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.shm.Segments;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A named block of memory shared by processes: Python's {@code multiprocessing.shared_memory.SharedMemory}.
 * One process creates it; others attach by name (or receive it as an argument, which attaches it there).
 * All see the same bytes, with no copying.
 *
 * <pre>{@code
 * try (SharedMemory block = SharedMemory.create("frames", 1 << 20)) {
 *     block.buffer().putInt(0, 42);
 *     // another process: SharedMemory.attach("frames").buffer().getInt(0) == 42
 * }
 * }</pre>
 *
 * <p>Lifetime: {@link #close()} ends this process's use; {@link #unlink()} removes the name. Unlike Python,
 * a block is also unlinked when its creator ends: at a normal exit (after its children ended), or, if it
 * crashed, by its parent when it notices, or by the next process on this machine that uses shared memory.
 * Processes that attached keep their mapping until they close it.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@code buf} is {@link #buffer()}, a {@link ByteBuffer} rather than a {@code memoryview}; {@code close()},
 *     {@code unlink()}, {@code name} and {@code size} are the same.</li>
 * <li>The creator's end unlinks the block (see above); in Python a block outlives its creator until
 *     someone calls {@code unlink()}.</li>
 * <li>{@link #unlink()} of a name already removed throws {@link IllegalStateException}, where Python
 *     raises {@code FileNotFoundError}.</li>
 * <li>{@link #toString()} shows the name and size, as Python's {@code repr} does.</li>
 * </ul>
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** The block's name, by which other processes attach it. */
    private final String name;
    /** The block's size in bytes. */
    private final int size;
    private transient volatile MappedByteBuffer mapped;

    private SharedMemory(String name, int size, MappedByteBuffer mapped) {
        this.name = name;
        this.size = size;
        this.mapped = mapped;
    }

    /**
     * Creates a zero-filled block.
     *
     * @param name 1 to 100 letters, digits, {@code _}, {@code .} or {@code -}
     * @param size the size in bytes, at least 1
     * @return the block, mapped in this process
     * @throws IllegalStateException if a block of that name exists
     * @throws IllegalArgumentException if {@code name} is not such a name or {@code size} is less than 1
     */
    public static SharedMemory create(String name, int size) {
        requireName(name);
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte but was " + size);
        }
        return new SharedMemory(name, size, Segments.create(name, size));
    }

    /**
     * Creates a block with a generated name.
     *
     * @param size the size in bytes, at least 1
     * @return the block, mapped in this process
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public static SharedMemory create(int size) {
        return create("anon-" + UUID.randomUUID(), size);
    }

    /**
     * Attaches a block created by some process.
     *
     * @param name the block's name, as {@link #name()} gives it in the creating process
     * @return the block, mapped in this process
     * @throws IllegalArgumentException if no block has that name
     */
    public static SharedMemory attach(String name) {
        requireName(name);
        MappedByteBuffer mapped = Segments.attach(name);
        return new SharedMemory(name, mapped.capacity(), mapped);
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 100 letters, digits, '_', '.' or '-' but was '" + name + "'");
        }
    }

    /**
     * The block's name (Python's {@code name}), by which other processes attach it.
     *
     * @return the name given at creation, or the generated one ({@code anon-} and a random UUID)
     */
    public String name() {
        return name;
    }

    /**
     * The block's size (Python's {@code size}).
     *
     * @return the size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * The block's bytes: a new buffer view each call (position 0, limit {@link #size()}), all on the same
     * memory. Absolute gets and puts are the way to share it between threads.
     *
     * @return a new buffer on the block's memory, in big-endian byte order as every new {@link ByteBuffer} is
     * @throws IllegalStateException after {@link #close()}
     */
    public ByteBuffer buffer() {
        MappedByteBuffer view = mapped;
        if (view == null) {
            throw new IllegalStateException("shared memory block '" + name + "' is closed in this process");
        }
        return view.duplicate();
    }

    /** Ends this process's use of the block; the memory is unmapped once the buffers are unreachable. */
    @Override
    public void close() {
        mapped = null;
    }

    /**
     * Removes the block's name: nobody can attach any more. Mappings already made stay valid.
     *
     * @throws IllegalStateException if the name is already removed (by an earlier {@code unlink()}, or by
     *         its creator's end); Python raises {@code FileNotFoundError}
     */
    public void unlink() {
        if (!Segments.unlink(name)) {
            throw new IllegalStateException("shared memory block '" + name + "' is already unlinked "
                    + "(by an earlier unlink(), or its creator ended)");
        }
    }

    /** The name and size, like Python's {@code SharedMemory('name', size=n)}. */
    @Override
    public String toString() {
        return "SharedMemory('" + name + "', size=" + size + ")";
    }

    /**
     * Arriving in another process: attach there.
     *
     * @return the block attached in this process
     */
    private Object readResolve() {
        return attach(name);
    }
}
