package io.github.multiprocessing4j.internal.codec;

import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.internal.wire.FrameCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns values into bytes for the wire and back: our pickle.
 *
 * <p>The first byte is a tag. Common leaf values (null, {@code byte[]}, {@code String}, boxed
 * {@code Integer}/{@code Long}/{@code Double}/{@code Boolean}) and {@link ArrayList}s made only of
 * non-null {@code Integer}s, {@code Long}s, {@code Double}s or {@code String}s (the items and results of a
 * typical {@code map}) take a fast path with no object stream: a count, then the values back to back. Such
 * a list decodes as an {@link ArrayList} again; other lists (a proxy, a subclass) keep their own
 * serialization. Everything else goes through JDK serialization. Decoding applies an {@link ObjectInputFilter} that bounds
 * graph depth, so a malformed or hostile frame cannot exhaust the stack. Classes are resolved with the
 * usual serialization loader first and then the thread's context class loader.
 */
public final class Codec {
    private static final byte NULL = 0;
    private static final byte BYTES = 1;
    private static final byte STRING = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte BOOLEAN = 6;
    private static final byte INT_LIST = 8;
    private static final byte LONG_LIST = 9;
    private static final byte DOUBLE_LIST = 10;
    private static final byte STRING_LIST = 11;
    private static final byte SERIALIZED = 0x7f;

    /** The largest encoding that fits in a frame with room for the frame's own fields. */
    public static final int MAX_ENCODED_LENGTH = FrameCodec.MAX_FRAME_LENGTH - 1024;

    private static final ObjectInputFilter LIMITS = ObjectInputFilter.Config.createFilter("maxdepth=5000");

    private Codec() {}

    /**
     * Encodes {@code value}.
     *
     * @param what how to name the value in an error, e.g. {@code "target"} or {@code "argument 2"}
     * @throws SerializationException naming the class and the path to it when part of the value is not
     *         serializable
     */
    public static byte[] encode(Object value, String what) {
        return encode(value, what, null);
    }

    /**
     * Encodes {@code value}, letting {@code replacer} swap objects inside it as they are written (JDK
     * serialization's {@code replaceObject}); fast paths apply only when {@code replacer} is null.
     */
    public static byte[] encode(Object value, String what, UnaryOperator<Object> replacer) {
        if (replacer != null) {
            return serialize(value, what, replacer, 256);
        }
        if (value == null) {
            return new byte[] {NULL};
        } else if (value instanceof byte[] bytes) {
            if (bytes.length > MAX_ENCODED_LENGTH - 1) {
                throw tooLarge(what, bytes.length + 1L);
            }
            return ByteBuffer.allocate(1 + bytes.length).put(BYTES).put(bytes).array();
        } else if (value instanceof String string) {
            byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_ENCODED_LENGTH - 1) {
                throw tooLarge(what, utf8.length + 1L);
            }
            return ByteBuffer.allocate(1 + utf8.length).put(STRING).put(utf8).array();
        } else if (value instanceof Integer i) {
            return ByteBuffer.allocate(5).put(INT).putInt(i).array();
        } else if (value instanceof Long l) {
            return ByteBuffer.allocate(9).put(LONG).putLong(l).array();
        } else if (value instanceof Double d) {
            return ByteBuffer.allocate(9).put(DOUBLE).putDouble(d).array();
        } else if (value instanceof Boolean b) {
            return new byte[] {BOOLEAN, (byte) (b ? 1 : 0)};
        } else if (value != null && value.getClass() == ArrayList.class && !((List<?>) value).isEmpty()) {
            byte[] fast = encodeUniformList((List<?>) value, what);
            if (fast != null) {
                return fast;
            }
        }
        return serialize(value, what, null, 256);
    }

    /**
     * Encodes {@code value} through JDK serialization into a buffer of about {@code expectedSize} bytes
     * from the start, so that a value carrying a large array is not copied again and again as the buffer
     * grows.
     */
    public static byte[] encodeSized(Object value, String what, long expectedSize) {
        return serialize(value, what, null, (int) Math.min(Math.max(256, expectedSize), MAX_ENCODED_LENGTH));
    }

    private static byte[] serialize(Object value, String what, UnaryOperator<Object> replacer, int initialSize) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(initialSize);
        bytes.write(SERIALIZED);
        try (ObjectOutputStream out = replacer == null ? new ObjectOutputStream(bytes) : new ReplacingObjectOutputStream(bytes, replacer)) {
            out.writeObject(value);
        } catch (NotSerializableException | InvalidClassException e) {
            String problem = SerializableCheck.describe(value, what)
                    .orElse(what + " could not be serialized: " + e);
            throw new SerializationException(problem, e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(what + " of type " + value.getClass().getName()
                    + " could not be serialized: " + e, e);
        }
        if (bytes.size() > MAX_ENCODED_LENGTH) {
            throw tooLarge(what, bytes.size());
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes bytes made by {@link #encode}.
     *
     * @throws SerializationException if the bytes are malformed or name a class that is not here
     */
    public static Object decode(byte[] data) {
        if (data.length == 0) {
            throw new SerializationException("cannot decode an empty payload");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, 1, data.length - 1);
        try {
            switch (data[0]) {
                case NULL:
                    return null;
                case BYTES: {
                    byte[] bytes = new byte[data.length - 1];
                    buffer.get(bytes);
                    return bytes;
                }
                case STRING:
                    return new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
                case INT:
                    return buffer.getInt();
                case LONG:
                    return buffer.getLong();
                case DOUBLE:
                    return buffer.getDouble();
                case BOOLEAN:
                    return buffer.get() != 0;
                case INT_LIST: {
                    int count = buffer.getInt();
                    List<Integer> list = new ArrayList<>(Math.min(count, buffer.remaining() / 4));
                    for (int i = 0; i < count; i++) {
                        list.add(buffer.getInt());
                    }
                    return list;
                }
                case LONG_LIST: {
                    int count = buffer.getInt();
                    List<Long> list = new ArrayList<>(Math.min(count, buffer.remaining() / 8));
                    for (int i = 0; i < count; i++) {
                        list.add(buffer.getLong());
                    }
                    return list;
                }
                case DOUBLE_LIST: {
                    int count = buffer.getInt();
                    List<Double> list = new ArrayList<>(Math.min(count, buffer.remaining() / 8));
                    for (int i = 0; i < count; i++) {
                        list.add(buffer.getDouble());
                    }
                    return list;
                }
                case STRING_LIST: {
                    int count = buffer.getInt();
                    List<String> list = new ArrayList<>(Math.min(count, buffer.remaining() / 4));
                    for (int i = 0; i < count; i++) {
                        int length = buffer.getInt();
                        if (length < 0 || length > buffer.remaining()) {
                            throw new SerializationException("string length out of range in list payload: " + length);
                        }
                        list.add(new String(data, buffer.position(), length, StandardCharsets.UTF_8));
                        buffer.position(buffer.position() + length);
                    }
                    return list;
                }
                case SERIALIZED:
                    return deserialize(new ByteArrayInputStream(data, 1, data.length - 1));
                default:
                    throw new SerializationException("unknown codec tag " + data[0]);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new SerializationException("payload too short for codec tag " + data[0] + ": " + data.length + " bytes");
        }
    }

    private static SerializationException tooLarge(String what, long bytes) {
        return new SerializationException(what + " encodes to " + bytes + " bytes, more than the " + MAX_ENCODED_LENGTH
                + " one message can carry; pass large data through SharedMemory or an Array, or in parts");
    }

    /** The compact form of a list whose elements are all of one fast type, or null if it has no such form. */
    private static byte[] encodeUniformList(List<?> list, String what) {
        Class<?> type = list.get(0) == null ? null : list.get(0).getClass();
        if (type != Integer.class && type != Long.class && type != Double.class && type != String.class) {
            return null;
        }
        for (Object element : list) {
            if (element == null || element.getClass() != type) {
                return null;
            }
        }
        int n = list.size();
        if (type == String.class) {
            List<byte[]> utf8 = new ArrayList<>(n);
            long total = 5;
            for (Object element : list) {
                byte[] bytes = ((String) element).getBytes(StandardCharsets.UTF_8);
                utf8.add(bytes);
                total += 4 + bytes.length;
            }
            if (total > MAX_ENCODED_LENGTH) {
                throw tooLarge(what, total);
            }
            ByteBuffer out = ByteBuffer.allocate((int) total).put(STRING_LIST).putInt(n);
            utf8.forEach(bytes -> out.putInt(bytes.length).put(bytes));
            return out.array();
        }
        int width = type == Integer.class ? 4 : 8;
        long total = 5L + (long) n * width;
        if (total > MAX_ENCODED_LENGTH) {
            throw tooLarge(what, total);
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        if (type == Integer.class) {
            out.put(INT_LIST).putInt(n);
            list.forEach(element -> out.putInt((Integer) element));
        } else if (type == Long.class) {
            out.put(LONG_LIST).putInt(n);
            list.forEach(element -> out.putLong((Long) element));
        } else {
            out.put(DOUBLE_LIST).putInt(n);
            list.forEach(element -> out.putDouble((Double) element));
        }
        return out.array();
    }

    private static Object deserialize(InputStream in) {
        try (ObjectInputStream objects = new FallbackLoaderObjectInputStream(in)) {
            // Add our limits to the JVM-wide filter (jdk.serialFilter), if any, rather than replacing it.
            ObjectInputFilter configured = objects.getObjectInputFilter();
            objects.setObjectInputFilter(configured == null ? LIMITS : ObjectInputFilter.merge(LIMITS, configured));
            return objects.readObject();
        } catch (ClassNotFoundException e) {
            throw new SerializationException("class " + e.getMessage() + " is not available in this JVM (pid "
                    + ProcessHandle.current().pid() + "); put it on the class path of every process that receives it", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot deserialize payload: " + e, e);
        }
    }

    private static final class ReplacingObjectOutputStream extends ObjectOutputStream {
        private final UnaryOperator<Object> replacer;

        ReplacingObjectOutputStream(java.io.OutputStream out, UnaryOperator<Object> replacer) throws IOException {
            super(out);
            this.replacer = replacer;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            return replacer.apply(obj);
        }
    }

    private static final class FallbackLoaderObjectInputStream extends ObjectInputStream {
        FallbackLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                return Class.forName(desc.getName(), false, context);
            }
        }
    }
}
