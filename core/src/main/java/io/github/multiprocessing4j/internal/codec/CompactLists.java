package io.github.multiprocessing4j.internal.codec;

import io.github.multiprocessing4j.SerializationException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The codec's compact forms for lists of one plain type (the items and results of a typical {@code map}):
 * {@code Integer}, {@code Long}, {@code Double} or {@code String}, nulls allowed. Such a list travels as a
 * count and the raw values back to back, written from and read into the list without a
 * {@code List<Integer>} in between where the caller does not need one: {@link Reader} yields the items one
 * at a time, {@link Builder} collects results as primitives, {@link #addAll} decodes straight into the
 * caller's list.
 *
 * <pre>
 * +------------------+-----------------------------------------------------------------------------+
 * | tag (u8)         | rest                                                                        |
 * +------------------+-----------------------------------------------------------------------------+
 * | 8 / 9 / 10       | count (int32) | count int32s / int64s / binary64s (raw bits), no nulls      |
 * | 11               | count (int32) | count times: length (int32) | UTF-8; length -1 is a null    |
 * | 12 / 13 / 14     | count (int32) | null bitmap ((count + 7) / 8 bytes, bit set: null)           |
 * |                  | | count int32s / int64s / binary64s (0 where null)                          |
 * +------------------+-----------------------------------------------------------------------------+
 * </pre>
 *
 * Doubles keep their raw bits, so NaN payloads and negative zero come back exactly. A string with an unpaired
 * surrogate, which UTF-8 cannot carry, makes the list take another form (see {@link Codec}). Decoding trusts
 * no count: one larger than its bytes can hold is refused before anything is allocated.
 */
public final class CompactLists {
    static final byte INT_LIST = 8;
    static final byte LONG_LIST = 9;
    static final byte DOUBLE_LIST = 10;
    static final byte STRING_LIST = 11;
    static final byte NULLABLE_INT_LIST = 12;
    static final byte NULLABLE_LONG_LIST = 13;
    static final byte NULLABLE_DOUBLE_LIST = 14;

    private enum Kind {
        INT(INT_LIST, 4), LONG(LONG_LIST, 8), DOUBLE(DOUBLE_LIST, 8), STRING(STRING_LIST, 4);

        final byte tag;
        final int width;

        Kind(byte tag, int width) {
            this.tag = tag;
            this.width = width;
        }

        static Kind of(Object value) {
            Class<?> type = value.getClass();
            return type == Integer.class ? INT : type == Long.class ? LONG : type == Double.class ? DOUBLE
                    : type == String.class ? STRING : null;
        }
    }

    private CompactLists() {}

    /** Whether {@code tag} is one of the compact list forms. */
    static boolean isCompact(byte tag) {
        return tag >= INT_LIST && tag <= NULLABLE_DOUBLE_LIST;
    }

    /**
     * The compact form of {@code list} (any {@link List}, a sublist too), or null when it has none: an
     * element of another type, two types mixed, a string UTF-8 cannot carry. A list of nulls only, and an
     * empty list, take the int form.
     *
     * @throws SerializationException if the form is longer than one message can carry
     */
    public static byte[] encode(List<?> list, String what) {
        return encode(list, what, 0);
    }

    /**
     * As {@link #encode(List, String)}, into an array whose first {@code headroom} bytes are left free (for a
     * header the caller writes there). A list of {@code Integer}s only, the items of a typical {@code map}, is
     * written straight into that array; any other list goes through a {@link Builder}.
     */
    public static byte[] encode(List<?> list, String what, int headroom) {
        if (!list.isEmpty() && list.get(0) instanceof Integer) {
            byte[] ints = encodeInts(list, what, headroom);
            if (ints != null) {
                return ints;
            }
        }
        Builder builder = new Builder(list.size());
        for (Object element : list) {
            if (!builder.add(element)) {
                return null;
            }
        }
        byte[] compact = builder.compact(what);
        if (headroom == 0) {
            return compact;
        }
        byte[] withRoom = new byte[headroom + compact.length];
        System.arraycopy(compact, 0, withRoom, headroom, compact.length);
        return withRoom;
    }

    /** The int form of {@code list} after {@code headroom} free bytes; null if an element is not an {@code Integer}. */
    private static byte[] encodeInts(List<?> list, String what, int headroom) {
        long total = headroom + 5L + 4L * list.size();
        if (total > Codec.MAX_ENCODED_LENGTH) {
            throw Codec.tooLarge(what, total - headroom);
        }
        byte[] encoded = new byte[(int) total];
        ByteBuffer out = ByteBuffer.wrap(encoded, headroom, encoded.length - headroom);
        out.put(INT_LIST).putInt(list.size());
        for (Object element : list) {
            if (!(element instanceof Integer value)) {
                return null;
            }
            out.putInt(value);
        }
        return encoded;
    }

    /**
     * Decodes the compact list in {@code data}, appending its elements to {@code into}; decodes any other
     * codec value that is a list with {@link Codec#decode} and appends it.
     *
     * @throws SerializationException if the bytes are malformed or are not a list
     */
    @SuppressWarnings("unchecked")
    public static <T> void addAll(byte[] data, List<? super T> into) {
        if (data.length > 0 && isCompact(data[0])) {
            Reader reader = new Reader(data);
            while (reader.hasNext()) {
                into.add((T) reader.next());
            }
            return;
        }
        if (!(Codec.decode(data) instanceof List<?> list)) {
            throw new SerializationException("a payload expected to hold a list holds something else");
        }
        into.addAll((List<? extends T>) list);
    }

    /**
     * The list that the encoded lists in {@code chunks} make one after another (a {@code map}'s results, chunk
     * by chunk). When every chunk is the compact form of ints, longs or doubles without nulls, the values are
     * read in bulk into one array and stay unboxed ({@link UnboxedList}); otherwise they go into an
     * {@link ArrayList}, as {@link #addAll} would put them.
     *
     * @param size how many elements the chunks hold in all, if known; a hint for the list's capacity
     * @throws SerializationException if a chunk is malformed or is not a list
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> concat(List<byte[]> chunks, int size) {
        Kind common = chunks.isEmpty() ? null : primitiveKind(chunks.get(0));
        if (common == null || !chunks.stream().allMatch(chunk -> primitiveKind(chunk) == common)) {
            List<T> all = new ArrayList<>(size);
            chunks.forEach(each -> addAll(each, all));
            return all;
        }
        int[] counts = new int[chunks.size()];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new Reader(chunks.get(i)).size();
            total += counts[i];
        }
        int length = Math.toIntExact(total);
        if (chunks.size() == 1) {
            // One chunk, such as the results of one imap chunk: its values are read where they arrived.
            ByteBuffer values = valuesOf(chunks.get(0), length, common.width);
            return (List<T>) switch (common) {
                case INT -> UnboxedList.ofInts(values.asIntBuffer());
                case LONG -> UnboxedList.ofLongs(values.asLongBuffer());
                default -> UnboxedList.ofDoubles(values.asDoubleBuffer());
            };
        }
        switch (common) {
            case INT: {
                int[] values = new int[length];
                copyValues(chunks, counts, Integer.BYTES, (from, count, at) -> from.asIntBuffer().get(values, at, count));
                return (List<T>) UnboxedList.ofInts(IntBuffer.wrap(values));
            }
            case LONG: {
                long[] values = new long[length];
                copyValues(chunks, counts, Long.BYTES, (from, count, at) -> from.asLongBuffer().get(values, at, count));
                return (List<T>) UnboxedList.ofLongs(LongBuffer.wrap(values));
            }
            default: {
                double[] values = new double[length];
                copyValues(chunks, counts, Double.BYTES, (from, count, at) -> from.asDoubleBuffer().get(values, at, count));
                return (List<T>) UnboxedList.ofDoubles(DoubleBuffer.wrap(values));
            }
        }
    }

    /** The {@code count} values of a primitive chunk, after its tag and count, {@code width} bytes each. */
    private static ByteBuffer valuesOf(byte[] chunk, int count, int width) {
        return ByteBuffer.wrap(chunk, 5, count * width).slice();
    }

    /** Copies {@code count} values from {@code from} into one array, from index {@code at}. */
    private interface ValueCopy {
        void copy(ByteBuffer from, int count, int at);
    }

    /** Hands each chunk's values (after its tag and count) to {@code copy}, placed one chunk after another. */
    private static void copyValues(List<byte[]> chunks, int[] counts, int width, ValueCopy copy) {
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            copy.copy(valuesOf(chunks.get(i), counts[i], width), counts[i], at);
            at += counts[i];
        }
    }

    /** The kind of a chunk in the compact int, long or double form without nulls; null for any other. */
    private static Kind primitiveKind(byte[] chunk) {
        if (chunk.length == 0) {
            return null;
        }
        return switch (chunk[0]) {
            case INT_LIST -> Kind.INT;
            case LONG_LIST -> Kind.LONG;
            case DOUBLE_LIST -> Kind.DOUBLE;
            default -> null;
        };
    }

    /** Decodes a compact list into a new {@link ArrayList}; called by {@link Codec#decode}. */
    static List<Object> decode(byte[] data) {
        Reader reader = new Reader(data);
        List<Object> list = new ArrayList<>(reader.count);
        while (reader.hasNext()) {
            list.add(reader.next());
        }
        return list;
    }

    /**
     * The elements of an encoded list, one at a time, boxed only as they are taken: a compact list is read
     * straight from its bytes; any other codec value that is a list is decoded whole first.
     */
    public static final class Reader implements Iterator<Object> {
        private final byte[] data;
        private final ByteBuffer in;
        private final Kind kind;
        /** The null bitmap's offset in {@link #data}, or -1 when the form has none. */
        private final int bitmap;
        private final int count;
        /** The decoded list, when the value was not compact; else null. */
        private final List<?> decoded;
        private int index;

        /** @throws SerializationException if the bytes are malformed or are not a list */
        public Reader(byte[] data) {
            this(data, 0, data.length);
        }

        /**
         * Reads the list encoded in {@code length} bytes of {@code data} from {@code offset}.
         *
         * @throws SerializationException if the bytes are malformed or are not a list
         */
        public Reader(byte[] data, int offset, int length) {
            this.data = data;
            if (length == 0 || !isCompact(data[offset])) {
                byte[] own = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
                if (!(Codec.decode(own) instanceof List<?> list)) {
                    throw new SerializationException("a payload expected to hold a list holds something else");
                }
                decoded = list;
                in = null;
                kind = null;
                bitmap = -1;
                count = list.size();
                return;
            }
            decoded = null;
            byte tag = data[offset];
            boolean nullable = tag >= NULLABLE_INT_LIST;
            kind = Kind.values()[(nullable ? tag - NULLABLE_INT_LIST : tag - INT_LIST)];
            if (length < 5) {
                throw new SerializationException("payload too short for codec tag " + tag + ": " + length + " bytes");
            }
            in = ByteBuffer.wrap(data, offset + 1, length - 1);
            count = in.getInt();
            long bitmapBytes = nullable ? (Math.max(0, count) + 7L) / 8 : 0;
            long room = (in.remaining() - bitmapBytes) / kind.width;
            if (count < 0 || count > room) {
                throw new SerializationException((nullable ? "NULLABLE_" : "") + kind + "_LIST count " + count + " is out of range: the payload has room for "
                        + Math.max(0, room) + " elements");
            }
            bitmap = nullable ? in.position() : -1;
            in.position(in.position() + (int) bitmapBytes);
        }

        /** How many elements the list has. */
        public int size() {
            return count;
        }

        @Override
        public boolean hasNext() {
            return index < count;
        }

        @Override
        public Object next() {
            if (index >= count) {
                throw new NoSuchElementException();
            }
            int i = index++;
            if (decoded != null) {
                return decoded.get(i);
            }
            boolean isNull = bitmap >= 0 && (data[bitmap + (i >>> 3)] & (1 << (i & 7))) != 0;
            try {
                switch (kind) {
                    case INT: {
                        int value = in.getInt();
                        return isNull ? null : Integer.valueOf(value);
                    }
                    case LONG: {
                        long value = in.getLong();
                        return isNull ? null : Long.valueOf(value);
                    }
                    case DOUBLE: {
                        double value = in.getDouble();
                        return isNull ? null : Double.valueOf(value);
                    }
                    default: {
                        int length = in.getInt();
                        if (length == -1) {
                            return null;
                        }
                        if (length < 0 || length > in.remaining()) {
                            throw new SerializationException("string length out of range in list payload: " + length);
                        }
                        String value = new String(data, in.position(), length, StandardCharsets.UTF_8);
                        in.position(in.position() + length);
                        return value;
                    }
                }
            } catch (java.nio.BufferUnderflowException e) {
                throw new SerializationException("list payload too short for its " + count + " elements");
            }
        }
    }

    /**
     * Collects the elements of a list to encode, keeping numbers as primitives while every element is of one
     * plain type (or null); once one is not, it keeps them as objects and encodes the list with {@link Codec}.
     * One thread uses it.
     */
    public static final class Builder {
        private Kind kind;
        private long[] numbers;
        private String[] strings;
        private byte[][] utf8;
        private long utf8Bytes;
        private long[] nulls;
        /** Every element as an object, once they are not all of one plain type; else null. */
        private List<Object> objects;
        private int size;

        /** A builder for about {@code expected} elements. */
        public Builder(int expected) {
            numbers = new long[Math.max(expected, 1)];
        }

        /**
         * Adds the next element.
         *
         * @return whether the list still has a compact form
         */
        public boolean add(Object element) {
            if (objects != null) {
                objects.add(element);
                return false;
            }
            Kind elementKind = element == null ? null : Kind.of(element);
            if (element != null && (elementKind == null || kind != null && elementKind != kind
                    || elementKind == Kind.STRING && !Codec.utf8CarriesExactly((String) element))) {
                toObjects();
                objects.add(element);
                return false;
            }
            if (kind == null && elementKind != null) {
                kind = elementKind;
                if (kind == Kind.STRING) {
                    strings = new String[numbers.length];
                    utf8 = new byte[numbers.length][];
                }
            }
            if (size == numbers.length) {
                grow();
            }
            if (element == null) {
                if (nulls == null) {
                    nulls = new long[(numbers.length + 63) >>> 6];
                }
                nulls[size >>> 6] |= 1L << (size & 63);
            } else if (kind == Kind.INT) {
                numbers[size] = (Integer) element;
            } else if (kind == Kind.LONG) {
                numbers[size] = (Long) element;
            } else if (kind == Kind.DOUBLE) {
                numbers[size] = Double.doubleToRawLongBits((Double) element);
            } else {
                strings[size] = (String) element;
                utf8[size] = ((String) element).getBytes(StandardCharsets.UTF_8);
                utf8Bytes += utf8[size].length;
            }
            size++;
            return true;
        }

        private void grow() {
            int capacity = Math.max(8, numbers.length * 2);
            numbers = Arrays.copyOf(numbers, capacity);
            if (strings != null) {
                strings = Arrays.copyOf(strings, capacity);
                utf8 = Arrays.copyOf(utf8, capacity);
            }
            if (nulls != null) {
                nulls = Arrays.copyOf(nulls, (capacity + 63) >>> 6);
            }
        }

        private boolean isNull(int i) {
            return nulls != null && (nulls[i >>> 6] & (1L << (i & 63))) != 0;
        }

        private void toObjects() {
            objects = new ArrayList<>(Math.max(size * 2, 16));
            for (int i = 0; i < size; i++) {
                objects.add(isNull(i) ? null : kind == Kind.INT ? (Object) (int) numbers[i] : kind == Kind.LONG ? (Object) numbers[i]
                        : kind == Kind.DOUBLE ? (Object) Double.longBitsToDouble(numbers[i]) : strings[i]);
            }
            numbers = null;
            strings = null;
            utf8 = null;
            nulls = null;
        }

        /** The list's encoding: its compact form when it has one, else the codec's encoding of an {@link ArrayList}. */
        public byte[] toBytes(String what) {
            return objects != null ? Codec.encode(objects, what) : compact(what);
        }

        private byte[] compact(String what) {
            Kind form = kind == null ? Kind.INT : kind;
            boolean nullable = nulls != null && form != Kind.STRING;
            int bitmapBytes = nullable ? (size + 7) / 8 : 0;
            long total = 5L + bitmapBytes + (long) size * form.width + (form == Kind.STRING ? utf8Bytes : 0);
            if (total > Codec.MAX_ENCODED_LENGTH) {
                throw Codec.tooLarge(what, total);
            }
            ByteBuffer out = ByteBuffer.allocate((int) total);
            out.put(nullable ? (byte) (form.tag - INT_LIST + NULLABLE_INT_LIST) : form.tag).putInt(size);
            if (nullable) {
                for (int i = 0; i < bitmapBytes; i++) {
                    out.put((byte) (nulls[i >>> 3] >>> ((i & 7) * 8)));
                }
            }
            switch (form) {
                case INT -> {
                    for (int i = 0; i < size; i++) {
                        out.putInt((int) numbers[i]);
                    }
                }
                case LONG, DOUBLE -> out.asLongBuffer().put(numbers, 0, size);
                default -> {
                    for (int i = 0; i < size; i++) {
                        if (utf8[i] == null) {
                            out.putInt(-1);
                        } else {
                            out.putInt(utf8[i].length).put(utf8[i]);
                        }
                    }
                }
            }
            return out.array();
        }
    }
}
