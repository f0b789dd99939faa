package io.github.multiprocessing4j;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A number in shared memory that every process sees and updates atomically: Python's
 * {@code multiprocessing.Value}, with {@code java.util.concurrent.atomic}'s operations.
 *
 * <pre>{@code
 * Value.OfLong counter = Value.ofLong(0);
 * pool.map(x -> counter.incrementAndGet(), items);   // every worker adds to the same counter
 * }</pre>
 *
 * <p>Operations are atomic across processes (hardware atomics on the shared memory), so no lock is needed
 * for {@code getAndAdd} or {@code compareAndSet}. Each value also comes with an {@link RLock},
 * {@code getLock()}, for updates that span several calls or several values; a value made with
 * {@code lock = false} has none (Python's {@code RawValue}). The memory is a {@link SharedMemory} block owned
 * by the creating process.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's typecodes map to Java types: {@code 'b'} {@link OfByte}, {@code 'h'} {@link OfShort},
 *     {@code 'i'} {@link OfInt}, {@code 'l'}/{@code 'q'} {@link OfLong}, {@code 'f'} {@link OfFloat},
 *     {@code 'd'} {@link OfDouble}, {@code 'u'} {@link OfChar}. Unsigned typecodes have no Java type.</li>
 * <li>{@code value.value} is {@code get()} / {@code set(x)}; Python's {@code value.value += 1} under
 *     {@code get_lock()} is a single atomic {@code incrementAndGet()} here.</li>
 * <li>Python's {@code lock} argument may be a lock object to use; here it is true (a new {@link RLock}, made
 *     when first needed) or false.</li>
 * </ul>
 */
public final class Value {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Value() {}

    /**
     * A shared {@code int} with a lock: Python's {@code Value('i', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfInt ofInt(int initial) {
        return ofInt(initial, true);
    }

    /**
     * A shared {@code int}; without a lock when {@code lock} is false (Python's {@code lock=False}).
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfInt ofInt(int initial, boolean lock) {
        OfInt value = new OfInt(SharedMemory.create(Integer.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code long} with a lock: Python's {@code Value('q', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfLong ofLong(long initial) {
        return ofLong(initial, true);
    }

    /**
     * A shared {@code long}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfLong ofLong(long initial, boolean lock) {
        OfLong value = new OfLong(SharedMemory.create(Long.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code double} with a lock: Python's {@code Value('d', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfDouble ofDouble(double initial) {
        return ofDouble(initial, true);
    }

    /**
     * A shared {@code double}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfDouble ofDouble(double initial, boolean lock) {
        OfDouble value = new OfDouble(SharedMemory.create(Long.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code byte} with a lock: Python's {@code Value('b', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfByte ofByte(byte initial) {
        return ofByte(initial, true);
    }

    /**
     * A shared {@code byte}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfByte ofByte(byte initial, boolean lock) {
        OfByte value = new OfByte(SharedMemory.create(Integer.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code short} with a lock: Python's {@code Value('h', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfShort ofShort(short initial) {
        return ofShort(initial, true);
    }

    /**
     * A shared {@code short}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfShort ofShort(short initial, boolean lock) {
        OfShort value = new OfShort(SharedMemory.create(Integer.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code float} with a lock: Python's {@code Value('f', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfFloat ofFloat(float initial) {
        return ofFloat(initial, true);
    }

    /**
     * A shared {@code float}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfFloat ofFloat(float initial, boolean lock) {
        OfFloat value = new OfFloat(SharedMemory.create(Integer.BYTES), lock);
        value.set(initial);
        return value;
    }

    /**
     * A shared {@code char} with a lock: Python's {@code Value('u', initial)}.
     *
     * @param initial the value it starts with
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfChar ofChar(char initial) {
        return ofChar(initial, true);
    }

    /**
     * A shared {@code char}; without a lock when {@code lock} is false.
     *
     * @param initial the value it starts with
     * @param lock true to give it an {@link RLock} (see {@code getLock()}); false for none, like Python's
     *     {@code RawValue}
     * @return the new value, in a shared memory block of this process; pass it to tasks or processes to share it
     */
    public static OfChar ofChar(char initial, boolean lock) {
        OfChar value = new OfChar(SharedMemory.create(Integer.BYTES), lock);
        value.set(initial);
        return value;
    }

    /** The shared block and this process's view of it; the view is re-made after crossing to a process. */
    private abstract static class Shared implements Serializable {
        final SharedMemory block;
        /** Null for a value made with {@code lock = false}. */
        private final AssociatedLock lock;
        transient ByteBuffer buffer;

        Shared(SharedMemory block, boolean lock) {
            this.block = block;
            this.lock = lock ? new AssociatedLock() : null;
            this.buffer = block.buffer();
        }

        /**
         * The lock that comes with this value, the same in every process: Python's {@code get_lock()}.
         *
         * @return the lock, the same one in every process that has this value
         * @throws IllegalStateException if it was made with {@code lock = false}
         */
        public RLock getLock() {
            return AssociatedLock.of(lock, this);
        }

        /**
         * Whether it has a lock (false: Python's {@code RawValue}).
         *
         * @return true if it was made with {@code lock = true}
         */
        public boolean hasLock() {
            return lock != null;
        }

        /** The 32-bit slot that holds a byte, short, char or float. */
        final int slot() {
            return (int) INTS.getVolatile(buffer(), 0);
        }

        final void setSlot(int bits) {
            INTS.setVolatile(buffer(), 0, bits);
        }

        final boolean compareAndSetSlot(int expected, int bits) {
            return INTS.compareAndSet(buffer(), 0, expected, bits);
        }

        ByteBuffer buffer() {
            ByteBuffer view = buffer;
            if (view == null) {
                view = block.buffer();
                buffer = view;
            }
            return view;
        }
    }

    /** A shared {@code int}. */
    public static final class OfInt extends Shared {
        private OfInt(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public int get() {
            return (int) INTS.getVolatile(buffer(), 0);
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(int value) {
            INTS.setVolatile(buffer(), 0, value);
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow.
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public int getAndAdd(int delta) {
            return (int) INTS.getAndAdd(buffer(), 0, delta);
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public int addAndGet(int delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * Adds one atomically, wrapping around on overflow: the cross-process {@code counter.value += 1}.
         *
         * @return the value after the increment
         */
        public int incrementAndGet() {
            return addAndGet(1);
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public int getAndSet(int value) {
            return (int) INTS.getAndSet(buffer(), 0, value);
        }

        /**
         * Writes {@code value} only if the current value is {@code expected}, as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(int expected, int value) {
            return INTS.compareAndSet(buffer(), 0, expected, value);
        }

        @Override
        public String toString() {
            return Integer.toString(get());
        }
    }

    /** A shared {@code long}. */
    public static final class OfLong extends Shared {
        private OfLong(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public long get() {
            return (long) LONGS.getVolatile(buffer(), 0);
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(long value) {
            LONGS.setVolatile(buffer(), 0, value);
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow.
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public long getAndAdd(long delta) {
            return (long) LONGS.getAndAdd(buffer(), 0, delta);
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public long addAndGet(long delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * Adds one atomically, wrapping around on overflow: the cross-process {@code counter.value += 1}.
         *
         * @return the value after the increment
         */
        public long incrementAndGet() {
            return addAndGet(1);
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public long getAndSet(long value) {
            return (long) LONGS.getAndSet(buffer(), 0, value);
        }

        /**
         * Writes {@code value} only if the current value is {@code expected}, as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(long expected, long value) {
            return LONGS.compareAndSet(buffer(), 0, expected, value);
        }

        @Override
        public String toString() {
            return Long.toString(get());
        }
    }

    /** A shared {@code double}; additions are compare-and-set loops on its bits. */
    public static final class OfDouble extends Shared {
        private OfDouble(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public double get() {
            return Double.longBitsToDouble((long) LONGS.getVolatile(buffer(), 0));
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(double value) {
            LONGS.setVolatile(buffer(), 0, Double.doubleToRawLongBits(value));
        }

        /**
         * Adds {@code delta} atomically (a compare-and-set loop on the bits).
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public double getAndAdd(double delta) {
            ByteBuffer view = buffer();
            while (true) {
                long bits = (long) LONGS.getVolatile(view, 0);
                double current = Double.longBitsToDouble(bits);
                if (LONGS.compareAndSet(view, 0, bits, Double.doubleToRawLongBits(current + delta))) {
                    return current;
                }
            }
        }

        /**
         * Adds {@code delta} atomically.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public double addAndGet(double delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * Writes {@code value} only if the current value is {@code expected} (compared by their bits: {@code -0.0} and
         * {@code 0.0} differ, and a NaN matches the same NaN), as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(double expected, double value) {
            return LONGS.compareAndSet(buffer(), 0, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
        }

        @Override
        public String toString() {
            return Double.toString(get());
        }
    }

    /** A shared {@code byte}, kept in a 32-bit slot so that it too updates atomically. */
    public static final class OfByte extends Shared {
        private OfByte(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public byte get() {
            return (byte) slot();
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(byte value) {
            setSlot(value);
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public byte getAndSet(byte value) {
            return (byte) (int) INTS.getAndSet(buffer(), 0, (int) value);
        }

        /**
         * Writes {@code value} only if the current value is {@code expected}, as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(byte expected, byte value) {
            return compareAndSetSlot(expected, value);
        }

        /**
         * Atomic addition that wraps around, as {@code byte} arithmetic does.
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public byte getAndAdd(byte delta) {
            while (true) {
                byte current = get();
                if (compareAndSet(current, (byte) (current + delta))) {
                    return current;
                }
            }
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow as {@code byte} arithmetic does.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public byte addAndGet(byte delta) {
            return (byte) (getAndAdd(delta) + delta);
        }

        @Override
        public String toString() {
            return Byte.toString(get());
        }
    }

    /** A shared {@code short}, kept in a 32-bit slot so that it updates atomically. */
    public static final class OfShort extends Shared {
        private OfShort(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public short get() {
            return (short) slot();
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(short value) {
            setSlot(value);
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public short getAndSet(short value) {
            return (short) (int) INTS.getAndSet(buffer(), 0, (int) value);
        }

        /**
         * Writes {@code value} only if the current value is {@code expected}, as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(short expected, short value) {
            return compareAndSetSlot(expected, value);
        }

        /**
         * Atomic addition that wraps around, as {@code short} arithmetic does.
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public short getAndAdd(short delta) {
            while (true) {
                short current = get();
                if (compareAndSet(current, (short) (current + delta))) {
                    return current;
                }
            }
        }

        /**
         * Adds {@code delta} atomically, wrapping around on overflow as {@code short} arithmetic does.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public short addAndGet(short delta) {
            return (short) (getAndAdd(delta) + delta);
        }

        @Override
        public String toString() {
            return Short.toString(get());
        }
    }

    /** A shared {@code float}; additions are compare-and-set loops on its bits. */
    public static final class OfFloat extends Shared {
        private OfFloat(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public float get() {
            return Float.intBitsToFloat(slot());
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(float value) {
            setSlot(Float.floatToRawIntBits(value));
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public float getAndSet(float value) {
            return Float.intBitsToFloat((int) INTS.getAndSet(buffer(), 0, Float.floatToRawIntBits(value)));
        }

        /**
         * Writes {@code value} only if the current value is {@code expected} (compared by their bits: {@code -0.0} and
         * {@code 0.0} differ, and a NaN matches the same NaN), as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(float expected, float value) {
            return compareAndSetSlot(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(value));
        }

        /**
         * Adds {@code delta} atomically (a compare-and-set loop on the bits).
         *
         * @param delta what to add; negative to subtract
         * @return the value before the addition
         */
        public float getAndAdd(float delta) {
            while (true) {
                int bits = slot();
                float current = Float.intBitsToFloat(bits);
                if (compareAndSetSlot(bits, Float.floatToRawIntBits(current + delta))) {
                    return current;
                }
            }
        }

        /**
         * Adds {@code delta} atomically.
         *
         * @param delta what to add; negative to subtract
         * @return the value after the addition
         */
        public float addAndGet(float delta) {
            return getAndAdd(delta) + delta;
        }

        @Override
        public String toString() {
            return Float.toString(get());
        }
    }

    /** A shared {@code char} (Python's {@code 'u'}), kept in a 32-bit slot so that it updates atomically. */
    public static final class OfChar extends Shared {
        private OfChar(SharedMemory block, boolean lock) {
            super(block, lock);
        }

        /**
         * Reads the value: the latest one any process wrote (a volatile read).
         *
         * @return the current value
         */
        public char get() {
            return (char) slot();
        }

        /**
         * Writes the value, seen at once by every process (a volatile write).
         *
         * @param value the new value
         */
        public void set(char value) {
            setSlot(value);
        }

        /**
         * Writes a value and returns the one it replaced, as one atomic step.
         *
         * @param value the new value
         * @return the value before
         */
        public char getAndSet(char value) {
            return (char) (int) INTS.getAndSet(buffer(), 0, (int) value);
        }

        /**
         * Writes {@code value} only if the current value is {@code expected}, as one atomic step.
         *
         * @param expected the value it must have now
         * @param value the new value
         * @return true if it was written; false if another process or thread changed it first
         */
        public boolean compareAndSet(char expected, char value) {
            return compareAndSetSlot(expected, value);
        }

        @Override
        public String toString() {
            return Character.toString(get());
        }
    }
}
