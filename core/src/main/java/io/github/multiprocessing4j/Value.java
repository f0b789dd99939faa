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
 * for {@code getAndAdd} or {@code compareAndSet}; Python's {@code get_lock()} has no counterpart. The
 * memory is a {@link SharedMemory} block owned by the creating process.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code Value('i', 0)} names the type by a type code; here it is the class:
 *     {@link #ofInt}, {@link #ofLong}, {@link #ofDouble}.</li>
 * <li>{@code v.value} and {@code v.value = x} are {@code get()} and {@code set(x)}.</li>
 * <li>Python's {@code with v.get_lock(): v.value += 1} is {@code incrementAndGet()} or {@code addAndGet}:
 *     atomic, with no lock to take.</li>
 * </ul>
 */
public final class Value {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Value() {}

    public static OfInt ofInt(int initial) {
        OfInt value = new OfInt(SharedMemory.create(Integer.BYTES));
        value.set(initial);
        return value;
    }

    public static OfLong ofLong(long initial) {
        OfLong value = new OfLong(SharedMemory.create(Long.BYTES));
        value.set(initial);
        return value;
    }

    public static OfDouble ofDouble(double initial) {
        OfDouble value = new OfDouble(SharedMemory.create(Long.BYTES));
        value.set(initial);
        return value;
    }

    /** The shared block and this process's view of it; the view is re-made after crossing to a process. */
    private abstract static class Shared implements Serializable {
        final SharedMemory block;
        transient ByteBuffer buffer;

        Shared(SharedMemory block) {
            this.block = block;
            this.buffer = block.buffer();
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
        private OfInt(SharedMemory block) {
            super(block);
        }

        public int get() {
            return (int) INTS.getVolatile(buffer(), 0);
        }

        public void set(int value) {
            INTS.setVolatile(buffer(), 0, value);
        }

        public int getAndAdd(int delta) {
            return (int) INTS.getAndAdd(buffer(), 0, delta);
        }

        public int addAndGet(int delta) {
            return getAndAdd(delta) + delta;
        }

        public int incrementAndGet() {
            return addAndGet(1);
        }

        public int getAndSet(int value) {
            return (int) INTS.getAndSet(buffer(), 0, value);
        }

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
        private OfLong(SharedMemory block) {
            super(block);
        }

        public long get() {
            return (long) LONGS.getVolatile(buffer(), 0);
        }

        public void set(long value) {
            LONGS.setVolatile(buffer(), 0, value);
        }

        public long getAndAdd(long delta) {
            return (long) LONGS.getAndAdd(buffer(), 0, delta);
        }

        public long addAndGet(long delta) {
            return getAndAdd(delta) + delta;
        }

        public long incrementAndGet() {
            return addAndGet(1);
        }

        public long getAndSet(long value) {
            return (long) LONGS.getAndSet(buffer(), 0, value);
        }

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
        private OfDouble(SharedMemory block) {
            super(block);
        }

        public double get() {
            return Double.longBitsToDouble((long) LONGS.getVolatile(buffer(), 0));
        }

        public void set(double value) {
            LONGS.setVolatile(buffer(), 0, Double.doubleToRawLongBits(value));
        }

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

        public double addAndGet(double delta) {
            return getAndAdd(delta) + delta;
        }

        public boolean compareAndSet(double expected, double value) {
            return LONGS.compareAndSet(buffer(), 0, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
        }

        @Override
        public String toString() {
            return Double.toString(get());
        }
    }
}
