package io.github.multiprocessing4j;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A fixed-length array in shared memory that every process sees without copying: Python's
 * {@code multiprocessing.Array}, typed as {@link OfByte}, {@link OfShort}, {@link OfInt}, {@link OfLong},
 * {@link OfFloat}, {@link OfDouble} or {@link OfChar}.
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
 * process. At most {@code Integer.MAX_VALUE} bytes. Each array comes with an {@link RLock},
 * {@code getLock()}, unless made with {@code lock = false} (Python's {@code RawArray}).
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Typecodes map to Java types as for {@link Value}: {@code 'b'} bytes, {@code 'h'} shorts, {@code 'i'}
 *     ints, {@code 'q'} longs, {@code 'f'} floats, {@code 'd'} doubles, {@code 'u'} chars.</li>
 * <li>Python's {@code Array} with a lock wraps every access in that lock; here element accesses are plain
 *     (or atomic, {@code getAndAdd}) and {@code getLock()} is for the caller to take around compound
 *     updates, as with {@code with arr.get_lock():} in Python.</li>
 * <li>{@code arr[a:b]} is {@code toArray(a, b)} (a copy; {@code arr[:]} is {@code toArray()}), and
 *     {@code arr[a:a + len(values)] = values} is {@code set(a, values)}; there are no steps or negative
 *     indexes. {@code len(arr)} is {@code length()}.</li>
 * </ul>
 */
public final class Array {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private Array() {}

    /**
     * {@code length} zeros, with a lock: Python's {@code Array('i', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfInt ofInts(int length) {
        return ofInts(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false (Python's {@code lock=False}).
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfInt ofInts(int length, boolean lock) {
        return new OfInt(block(length, Integer.BYTES), length, lock);
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
     * {@code length} zeros, with a lock: Python's {@code Array('q', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfLong ofLongs(int length) {
        return ofLongs(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfLong ofLongs(int length, boolean lock) {
        return new OfLong(block(length, Long.BYTES), length, lock);
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
     * {@code length} zeros, with a lock: Python's {@code Array('d', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed {@code Integer.MAX_VALUE} bytes
     */
    public static OfDouble ofDoubles(int length) {
        return ofDoubles(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfDouble ofDoubles(int length, boolean lock) {
        return new OfDouble(block(length, Double.BYTES), length, lock);
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
     * {@code length} zeros, with a lock: Python's {@code Array('b', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static OfByte ofBytes(int length) {
        return ofBytes(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static OfByte ofBytes(int length, boolean lock) {
        return new OfByte(block(length, 1), length, lock);
    }

    /**
     * The values, with a lock: Python's {@code Array('b', values)}.
     *
     * @param values the initial elements, copied; their number is the fixed length
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfByte of(byte... values) {
        OfByte array = ofBytes(values.length);
        array.buffer().duplicate().put(values);
        return array;
    }

    /**
     * {@code length} zeros, with a lock: Python's {@code Array('h', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfShort ofShorts(int length) {
        return ofShorts(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfShort ofShorts(int length, boolean lock) {
        return new OfShort(block(length, Short.BYTES), length, lock);
    }

    /**
     * The values, with a lock: Python's {@code Array('h', values)}.
     *
     * @param values the initial elements, copied; their number is the fixed length
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfShort of(short... values) {
        OfShort array = ofShorts(values.length);
        array.buffer().duplicate().order(ByteOrder.nativeOrder()).asShortBuffer().put(values);
        return array;
    }

    /**
     * {@code length} zeros, with a lock: Python's {@code Array('f', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfFloat ofFloats(int length) {
        return ofFloats(length, true);
    }

    /**
     * {@code length} zeros; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfFloat ofFloats(int length, boolean lock) {
        return new OfFloat(block(length, Float.BYTES), length, lock);
    }

    /**
     * The values, with a lock: Python's {@code Array('f', values)}.
     *
     * @param values the initial elements, copied; their number is the fixed length
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfFloat of(float... values) {
        OfFloat array = ofFloats(values.length);
        array.buffer().duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return array;
    }

    /**
     * {@code length} NUL characters, with a lock: Python's {@code Array('u', length)}.
     *
     * @param length the number of elements, 0 or more
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfChar ofChars(int length) {
        return ofChars(length, true);
    }

    /**
     * {@code length} NUL characters; without a lock when {@code lock} is false.
     *
     * @param length the number of elements, 0 or more
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawArray}
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     * @throws IllegalArgumentException if {@code length} is negative or the array would exceed
     *     {@code Integer.MAX_VALUE} bytes
     */
    public static OfChar ofChars(int length, boolean lock) {
        return new OfChar(block(length, Character.BYTES), length, lock);
    }

    /**
     * The characters, with a lock: Python's {@code Array('u', values)}.
     *
     * @param values the initial elements, copied; their number is the fixed length
     * @return the array, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfChar of(char... values) {
        OfChar array = ofChars(values.length);
        array.buffer().duplicate().order(ByteOrder.nativeOrder()).asCharBuffer().put(values);
        return array;
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
        /** Null for an array made with {@code lock = false}. */
        private final AssociatedLock lock;
        transient ByteBuffer buffer;

        Shared(SharedMemory block, int length, boolean lock) {
            this.block = block;
            this.length = length;
            this.lock = lock ? new AssociatedLock() : null;
        }

        /**
         * The lock that comes with this array, the same in every process: Python's {@code get_lock()}.
         *
         * @return the lock, the same one in every process that has this array
         * @throws IllegalStateException if it was made with {@code lock = false}
         */
        public RLock getLock() {
            return AssociatedLock.of(lock, this);
        }

        /**
         * Whether it has a lock (false: Python's {@code RawArray}).
         *
         * @return true if it was made with {@code lock = true}
         */
        public boolean hasLock() {
            return lock != null;
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
        private OfInt(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
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
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public int[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            int[] copy = new int[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, int[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().position(from).put(values);
        }
    }

    /**
     * A shared array of longs.
     */
    public static final class OfLong extends Shared {
        private OfLong(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
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
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public long[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            long[] copy = new long[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asLongBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, long[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asLongBuffer().position(from).put(values);
        }
    }

    /**
     * A shared array of doubles.
     */
    public static final class OfDouble extends Shared {
        private OfDouble(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
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
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public double[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            double[] copy = new double[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, double[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer().position(from).put(values);
        }
    }

    /**
     * A shared array of bytes.
     */
    public static final class OfByte extends Shared {
        private OfByte(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
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
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public byte[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            byte[] copy = new byte[to - from];
            buffer().duplicate().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, byte[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().position(from).put(values);
        }
    }

    /** A shared array of shorts. */
    public static final class OfShort extends Shared {
        private OfShort(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public short get(int index) {
            return buffer().getShort(offset(index, Short.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, short value) {
            buffer().putShort(offset(index, Short.BYTES), value);
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public short[] toArray() {
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public short[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            short[] copy = new short[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asShortBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, short[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asShortBuffer().position(from).put(values);
        }
    }

    /** A shared array of floats. */
    public static final class OfFloat extends Shared {
        private OfFloat(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public float get(int index) {
            return buffer().getFloat(offset(index, Float.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, float value) {
            buffer().putFloat(offset(index, Float.BYTES), value);
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public float[] toArray() {
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public float[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            float[] copy = new float[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, float[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().position(from).put(values);
        }
    }

    /** A shared array of chars. */
    public static final class OfChar extends Shared {
        private OfChar(SharedMemory block, int length, boolean lock) {
            super(block, length, lock);
        }

        /**
         * Reads one element: a plain read, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @return the element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public char get(int index) {
            return buffer().getChar(offset(index, Character.BYTES));
        }

        /**
         * Writes one element: a plain write, as on a Java array.
         *
         * @param index from 0 to {@code length() - 1}
         * @param value the new element
         * @throws IndexOutOfBoundsException if {@code index} is out of bounds
         */
        public void set(int index, char value) {
            buffer().putChar(offset(index, Character.BYTES), value);
        }

        /**
         * The characters as a string (Python's {@code arr.value} for typecode {@code 'u'}).
         *
         * @return a new string of all {@code length()} characters, NULs included
         */
        public String asString() {
            return new String(toArray());
        }

        /**
         * Copies the elements into a new Java array (Python's {@code arr[:]}).
         *
         * @return a copy; later writes to the shared array do not change it
         */
        public char[] toArray() {
            return toArray(0, length);
        }

        /**
         * Copies the elements from {@code from} to {@code to} into a new Java array (Python's
         * {@code arr[from:to]}).
         *
         * @param from the first element copied
         * @param to the element after the last one copied
         * @return a copy of {@code to - from} elements
         * @throws IndexOutOfBoundsException if the range is not inside the array
         */
        public char[] toArray(int from, int to) {
            Objects.checkFromToIndex(from, to, length);
            char[] copy = new char[to - from];
            buffer().duplicate().order(ByteOrder.nativeOrder()).asCharBuffer().position(from).get(copy);
            return copy;
        }

        /**
         * Writes {@code values} over the elements from {@code from} on: plain writes, as on a Java array
         * (Python's {@code arr[from:from + len(values)] = values}).
         *
         * @param from the first element written
         * @param values the new elements
         * @throws IndexOutOfBoundsException if they do not fit in the array from {@code from}
         */
        public void set(int from, char[] values) {
            Objects.checkFromIndexSize(from, values.length, length);
            buffer().duplicate().order(ByteOrder.nativeOrder()).asCharBuffer().position(from).put(values);
        }
    }
}
