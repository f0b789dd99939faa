package io.github.multiprocessing4j;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fixed-length array in shared memory that every process sees without copying: Python's
 * {@code multiprocessing.Array}, typed as {@link OfInt}, {@link OfLong}, {@link OfDouble} or {@link OfByte}.
 *
 * <pre>{@code
 * Array.OfDouble data = Array.ofDoubles(1_000_000);
 * pool.map(part -> fill(data, part), parts);          // workers write straight into the same memory
 * double sum = 0; for (int i = 0; i < data.length(); i++) sum += data.get(i);
 * }</pre>
 *
 * <p>{@code get} and {@code set} are plain memory accesses, as on a Java array: use {@code getAndAdd} (int,
 * long, double) or a {@link Lock} where processes write the same element. Indexes are checked
 * ({@link IndexOutOfBoundsException}). The memory is a {@link SharedMemory} block owned by the creating
 * process. At most {@code Integer.MAX_VALUE} bytes.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code Array('d', n)} names the element type by a type code; here the type is the class:
 *     {@link #ofDoubles(int)}, {@link #ofInts(int)}, {@link #ofLongs(int)}, {@link #ofBytes(int)}.</li>
 * <li>Python wraps the array in a lock by default ({@code lock=True}, {@code get_lock()}); here element
 *     accesses are plain, as Python's {@code lock=False}, and {@code getAndAdd} is atomic without a lock.
 *     Take a {@link Lock} for updates that span several elements.</li>
 * <li>{@code arr[:]} is {@code toArray()}; {@code len(arr)} is {@code length()}.</li>
 * </ul>
 */
public final class Array {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private Array() {}

    /**
     * A new array of {@code length} ints, all zero, in a new shared-memory block owned by this process.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfInt ofInts(int length) {
        return new OfInt(block(length, Integer.BYTES), length);
    }

    /**
     * A new shared array holding a copy of {@code values} (Python's {@code Array('i', values)}).
     *
     * @param values the initial elements
     * @return the array
     */
    public static OfInt of(int... values) {
        OfInt array = ofInts(values.length);
        array.buffer().asIntBuffer().put(values);
        return array;
    }

    /**
     * A new array of {@code length} longs, all zero, in a new shared-memory block owned by this process.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfLong ofLongs(int length) {
        return new OfLong(block(length, Long.BYTES), length);
    }

    /**
     * A new shared array holding a copy of {@code values} (Python's {@code Array('q', values)}).
     *
     * @param values the initial elements
     * @return the array
     */
    public static OfLong of(long... values) {
        OfLong array = ofLongs(values.length);
        array.buffer().asLongBuffer().put(values);
        return array;
    }

    /**
     * A new array of {@code length} doubles, all zero, in a new shared-memory block owned by this process.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfDouble ofDoubles(int length) {
        return new OfDouble(block(length, Double.BYTES), length);
    }

    /**
     * A new shared array holding a copy of {@code values} (Python's {@code Array('d', values)}).
     *
     * @param values the initial elements
     * @return the array
     */
    public static OfDouble of(double... values) {
        OfDouble array = ofDoubles(values.length);
        array.buffer().asDoubleBuffer().put(values);
        return array;
    }

    /**
     * A new array of {@code length} bytes, all zero, in a new shared-memory block owned by this process.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static OfByte ofBytes(int length) {
        return new OfByte(block(length, 1), length);
    }

    private static SharedMemory block(int length, int elementSize) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be 0 or more but was " + length);
        }
        long bytes = (long) length * elementSize;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a shared array holds at most " + Integer.MAX_VALUE + " bytes but "
                    + length + " elements need " + bytes);
        }
        return SharedMemory.create((int) Math.max(1, bytes));
    }

    /** The shared block and this process's native-order view of it. */
    private abstract static class Shared implements Serializable {
        final SharedMemory block;
        final int length;
        transient ByteBuffer buffer;

        Shared(SharedMemory block, int length) {
            this.block = block;
            this.length = length;
        }

        ByteBuffer buffer() {
            ByteBuffer view = buffer;
            if (view == null) {
                view = block.buffer().order(ByteOrder.nativeOrder());
                buffer = view;
            }
            return view;
        }

        /**
         * The number of elements (Python's {@code len(arr)}).
         *
         * @return the length, fixed at creation
         */
        public int length() {
            return length;
        }

        final int offset(int index, int size) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + length);
            }
            return index * size;
        }
    }

    /**
     * A shared array of ints.
     */
    public static final class OfInt extends Shared {
        private OfInt(SharedMemory block, int length) {
            super(block, length);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public int get(int index) {
            return (int) INTS.get(buffer(), offset(index, Integer.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, int value) {
            INTS.set(buffer(), offset(index, Integer.BYTES), value);
        }

        /**
         * Adds to one element atomically, across processes.
         *
         * @param index from 0 to {@code length() - 1}
         * @param delta what to add
         * @return the element before the addition
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public int getAndAdd(int index, int delta) {
            return (int) INTS.getAndAdd(buffer(), offset(index, Integer.BYTES), delta);
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public int[] toArray() {
            int[] copy = new int[length];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().get(copy);
            return copy;
        }
    }

    /**
     * A shared array of longs.
     */
    public static final class OfLong extends Shared {
        private OfLong(SharedMemory block, int length) {
            super(block, length);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public long get(int index) {
            return (long) LONGS.get(buffer(), offset(index, Long.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, long value) {
            LONGS.set(buffer(), offset(index, Long.BYTES), value);
        }

        /**
         * Adds to one element atomically, across processes.
         *
         * @param index from 0 to {@code length() - 1}
         * @param delta what to add
         * @return the element before the addition
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public long getAndAdd(int index, long delta) {
            return (long) LONGS.getAndAdd(buffer(), offset(index, Long.BYTES), delta);
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public long[] toArray() {
            long[] copy = new long[length];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asLongBuffer().get(copy);
            return copy;
        }
    }

    /**
     * A shared array of doubles.
     */
    public static final class OfDouble extends Shared {
        private OfDouble(SharedMemory block, int length) {
            super(block, length);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public double get(int index) {
            return (double) DOUBLES.get(buffer(), offset(index, Double.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, double value) {
            DOUBLES.set(buffer(), offset(index, Double.BYTES), value);
        }

        /**
         * Adds to one element atomically, across processes (a compare-and-set loop on the element's bits).
         *
         * @param index from 0 to {@code length() - 1}
         * @param delta what to add
         * @return the element before the addition
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public double getAndAdd(int index, double delta) {
            ByteBuffer view = buffer();
            int offset = offset(index, Double.BYTES);
            while (true) {
                long bits = (long) LONGS.getVolatile(view, offset);
                double current = Double.longBitsToDouble(bits);
                if (LONGS.compareAndSet(view, offset, bits, Double.doubleToRawLongBits(current + delta))) {
                    return current;
                }
            }
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public double[] toArray() {
            double[] copy = new double[length];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(copy);
            return copy;
        }
    }

    /**
     * A shared array of bytes.
     */
    public static final class OfByte extends Shared {
        private OfByte(SharedMemory block, int length) {
            super(block, length);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public byte get(int index) {
            return buffer().get(offset(index, 1));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, byte value) {
            buffer().put(offset(index, 1), value);
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public byte[] toArray() {
            byte[] copy = new byte[length];
            buffer().duplicate().get(copy);
            return copy;
        }
    }
}
