package io.github.multiprocessing4j.internal.codec;

import java.io.Serializable;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The results of a {@code map} that are all ints, longs or doubles: kept in one primitive array, or read in
 * place from the bytes of the one chunk they arrived in (an {@code imap} chunk), and boxed only as they are
 * read. A million results are then one array to the garbage collector instead of a
 * million objects: a young collection during a {@code map} of 1 M ints copied them all and took 70-130 ms
 * on this project's benchmark machine, as long as the rest of the map.
 *
 * <p>To its user it is an ordinary mutable list, as Python's {@code map} result is: the first change
 * ({@code set}, {@code add}, {@code remove}, {@code sort}, {@code clear}...) copies the values into an
 * {@link ArrayList} of boxes, which serves every call from then on. It serializes as such an
 * {@code ArrayList}. Not thread-safe, like {@code ArrayList}.
 *
 * @param <E> {@code Integer}, {@code Long} or {@code Double}, as the values are
 */
final class UnboxedList<E> extends AbstractList<E> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The values, one of these three buffers, until the first change; then null. A buffer wraps an array of
     * its own, or reads in place the bytes a list arrived in (see {@link CompactLists#concat}).
     */
    private transient IntBuffer ints;
    private transient LongBuffer longs;
    private transient DoubleBuffer doubles;
    private final int unboxedSize;
    /** The list after its first change; null until then. */
    private transient ArrayList<E> boxed;

    private UnboxedList(IntBuffer ints, LongBuffer longs, DoubleBuffer doubles, int size) {
        this.ints = ints;
        this.longs = longs;
        this.doubles = doubles;
        this.unboxedSize = size;
    }

    static <E> UnboxedList<E> ofInts(IntBuffer values) {
        return new UnboxedList<>(values, null, null, values.remaining());
    }

    static <E> UnboxedList<E> ofLongs(LongBuffer values) {
        return new UnboxedList<>(null, values, null, values.remaining());
    }

    static <E> UnboxedList<E> ofDoubles(DoubleBuffer values) {
        return new UnboxedList<>(null, null, values, values.remaining());
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        if (boxed != null) {
            return boxed.get(index);
        }
        Objects.checkIndex(index, unboxedSize);
        Object value;
        if (ints != null) {
            value = Integer.valueOf(ints.get(index));
        } else if (longs != null) {
            value = Long.valueOf(longs.get(index));
        } else {
            value = Double.valueOf(doubles.get(index));
        }
        return (E) value;
    }

    @Override
    public int size() {
        return boxed != null ? boxed.size() : unboxedSize;
    }

    @Override
    public E set(int index, E element) {
        return boxed().set(index, element);
    }

    @Override
    public void add(int index, E element) {
        boxed().add(index, element);
        modCount++;
    }

    @Override
    public E remove(int index) {
        E removed = boxed().remove(index);
        modCount++;
        return removed;
    }

    @Override
    public void clear() {
        boxed().clear();
        modCount++;
    }

    /** The values as an {@code ArrayList} of boxes, made at the first change. */
    private ArrayList<E> boxed() {
        if (boxed == null) {
            ArrayList<E> copy = new ArrayList<>(Math.max(10, unboxedSize + unboxedSize / 8));
            for (int i = 0; i < unboxedSize; i++) {
                copy.add(get(i));
            }
            boxed = copy;
            ints = null;
            longs = null;
            doubles = null;
        }
        return boxed;
    }

    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
