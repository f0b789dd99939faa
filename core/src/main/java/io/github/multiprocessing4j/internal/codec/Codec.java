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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Turns values into bytes for the wire and back: our pickle.
 *
 * <p>The first byte is a tag. Common leaf values (null, {@code byte[]} and the other primitive arrays,
 * {@code String}, boxed
 * {@code Integer}/{@code Long}/{@code Double}/{@code Boolean}) and {@link ArrayList}s made only of
 * {@code Integer}s, {@code Long}s, {@code Double}s or {@code String}s and nulls (the items and results of a
 * typical {@code map}) take a fast path with no object stream: a count, then the values back to back
 * ({@link CompactLists}). Such a list decodes as an {@link ArrayList} again; other lists (a proxy, a
 * subclass) keep their own serialization. A string with an unpaired surrogate, which UTF-8 cannot carry, goes through serialization
 * too, so that it comes back unchanged. Everything else goes through JDK serialization.
 *
 * <pre>
 * +-----------+--------------------------------------------------------------------+
 * | tag (u8)  | rest                                                               |
 * +-----------+--------------------------------------------------------------------+
 * | 0 NULL    | empty                                                              |
 * | 1 BYTES   | the bytes                                                          |
 * | 2 STRING  | UTF-8                                                              |
 * | 3 INT     | int32, big-endian                                                  |
 * | 4 LONG    | int64                                                              |
 * | 5 DOUBLE  | IEEE 754 binary64                                                  |
 * | 6 BOOLEAN | u8: 0 false, anything else true                                    |
 * | 8 .. 14   | a list of one plain type, see {@link CompactLists}                 |
 * | 16 .. 21  | an array of short, char, int, long, float or double, see           |
 * |           | {@link PrimitiveArrays}                                            |
 * | 0x7f      | a JDK serialization stream                                         |
 * +-----------+--------------------------------------------------------------------+
 * </pre>
 *
 * <p>Decoding trusts no count: a list count larger than its bytes can hold is refused before anything is
 * allocated, and an {@link ObjectInputFilter} refuses serialized graphs deeper than {@value #MAX_DEPTH} and
 * arrays whose lengths add up to more than the payload's size (an honest array spends at least a byte of
 * the stream on each element), so a malformed or hostile payload cannot make the reader allocate far beyond
 * the bytes it was given. A graph too deep for the decoding thread's stack fails with a
 * {@link SerializationException} like any other malformed payload. Classes are resolved with the usual serialization
 * loader first and then the thread's context class loader.
 */
public final class Codec {
    private static final byte NULL = 0;
    private static final byte BYTES = 1;
    private static final byte STRING = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte BOOLEAN = 6;
    private static final byte SERIALIZED = 0x7f;
    // No tag is 'M' (0x4d) or 'F' (0x46): JobCodec sends jobs of its own forms under those first bytes.

    /** The largest encoding that fits in a frame with room for the frame's own fields. */
    public static final int MAX_ENCODED_LENGTH = FrameCodec.MAX_FRAME_LENGTH - 1024;
    /**
     * The largest encoding of a queue item or pipe message ({@link #encodeItem}): the longest array the JVM
     * makes. Such items travel as parts of their own, outside the frame limit.
     */
    public static final int MAX_ITEM_LENGTH = Integer.MAX_VALUE - 8;

    /** The deepest object graph decoded. */
    static final int MAX_DEPTH = 5000;

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
        return encode(value, what, replacer, MAX_ENCODED_LENGTH);
    }

    /**
     * Encodes a queue item or pipe message, which may be up to {@link #MAX_ITEM_LENGTH} bytes long (such
     * items travel outside the frame limit).
     */
    public static Item encodeItem(Object value, String what) {
        return Item.of(encode(value, what, null, MAX_ITEM_LENGTH));
    }

    /**
     * Encodes {@code size} bytes of {@code buffer} from {@code offset} as the {@code byte[]} they make, copying
     * them once; for items, up to {@link #MAX_ITEM_LENGTH}.
     */
    public static byte[] encodeBytes(byte[] buffer, int offset, int size, String what) {
        Objects.checkFromIndexSize(offset, size, buffer.length);
        if (size > MAX_ITEM_LENGTH - 1) {
            throw tooLarge(what, size + 1L, MAX_ITEM_LENGTH);
        }
        byte[] encoded = new byte[1 + size];
        encoded[0] = BYTES;
        System.arraycopy(buffer, offset, encoded, 1, size);
        return encoded;
    }

    /**
     * The bytes that precede an array's bytes in its encoding (see {@link #encodeBytes}), for a sender that
     * writes the two without joining them.
     */
    public static byte[] bytesTag() {
        return new byte[] {BYTES};
    }

    private static byte[] encode(Object value, String what, UnaryOperator<Object> replacer, int limit) {
        if (replacer != null) {
            return serialize(value, what, replacer, 256, limit);
        }
        if (value == null) {
            return new byte[] {NULL};
        } else if (value instanceof byte[] bytes) {
            if (bytes.length > limit - 1) {
                throw tooLarge(what, bytes.length + 1L, limit);
            }
            return encodeBytes(bytes, 0, bytes.length, what);
        } else if (value instanceof String string && utf8CarriesExactly(string)) {
            byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > limit - 1) {
                throw tooLarge(what, utf8.length + 1L, limit);
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
        } else if (value.getClass().isArray() && value.getClass().getComponentType().isPrimitive()) {
            byte[] array = PrimitiveArrays.encode(value, what, limit);
            if (array != null) {
                return array;
            }
        } else if (value != null && value.getClass() == ArrayList.class && limit <= MAX_ENCODED_LENGTH) {
            // A list as a queue item may exceed one frame; it then takes the general form.
            byte[] fast = CompactLists.encode((List<?>) value, what);
            if (fast != null) {
                return fast;
            }
        }
        return serialize(value, what, null, 256, limit);
    }

    /**
     * Encodes {@code value} through JDK serialization into a buffer of about {@code expectedSize} bytes
     * from the start, so that a value carrying a large array is not copied again and again as the buffer
     * grows.
     */
    public static byte[] encodeSized(Object value, String what, long expectedSize) {
        return serialize(value, what, null, (int) Math.min(Math.max(256, expectedSize), MAX_ENCODED_LENGTH), MAX_ENCODED_LENGTH);
    }

    private static byte[] serialize(Object value, String what, UnaryOperator<Object> replacer, int initialSize, int limit) {
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
        if (bytes.size() > limit) {
            throw tooLarge(what, bytes.size(), limit);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes an item made by {@link #encodeItem}, or one whose head is {@link #bytesTag()} and whose body is a
     * byte array: that array is returned as it is, not copied (see {@link Item}).
     *
     * @throws SerializationException if the bytes are malformed or name a class that is not here
     */
    public static Object decodeItem(Item item) {
        byte[] head = item.head();
        byte[] body = item.body();
        if (body.length == 0) {
            return decode(head);
        }
        if (head.length == 1 && head[0] == BYTES) {
            return body;
        }
        byte[] whole = Arrays.copyOf(head, Math.toIntExact(item.length()));
        System.arraycopy(body, 0, whole, head.length, body.length);
        return decode(whole);
    }

    /**
     * Decodes bytes made by {@link #encode}.
     *
     * @throws SerializationException if the bytes are malformed or name a class that is not here
     */
    public static Object decode(byte[] data) {
        return decode(data, null);
    }

    /**
     * Decodes bytes made by {@link #encode}, accepting in a serialization stream only classes that
     * {@code allowed} accepts, besides the JDK's value types and this library's own classes (see
     * {@link #alwaysAllowed}); a class outside both is refused when its descriptor is read, before any of its
     * code (a static initializer, {@code readObject}, {@code readResolve}, {@code hashCode}) runs. The JVM-wide
     * {@code jdk.serialFilter}, when set, is still consulted and can refuse more, never allow more.
     *
     * @param allowed further classes to accept, or null to accept every class
     * @throws SerializationException if the bytes are malformed, name a class that is not here, or name a
     *         class that is not allowed
     */
    public static Object decode(byte[] data, Predicate<Class<?>> allowed) {
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
                case CompactLists.INT_LIST, CompactLists.LONG_LIST, CompactLists.DOUBLE_LIST, CompactLists.STRING_LIST,
                        CompactLists.NULLABLE_INT_LIST, CompactLists.NULLABLE_LONG_LIST, CompactLists.NULLABLE_DOUBLE_LIST:
                    return CompactLists.decode(data);
                case PrimitiveArrays.SHORTS, PrimitiveArrays.CHARS, PrimitiveArrays.INTS, PrimitiveArrays.LONGS,
                        PrimitiveArrays.FLOATS, PrimitiveArrays.DOUBLES:
                    return PrimitiveArrays.decode(data);
                case SERIALIZED:
                    return deserialize(data, allowed);
                default:
                    throw new SerializationException("unknown codec tag " + data[0]);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new SerializationException("payload too short for codec tag " + data[0] + ": " + data.length + " bytes");
        }
    }

    /** Whether UTF-8 carries {@code string} exactly: it holds no unpaired surrogate, which UTF-8 turns into '?'. */
    static boolean utf8CarriesExactly(String string) {
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < string.length() && Character.isLowSurrogate(string.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static SerializationException tooLarge(String what, long bytes) {
        return tooLarge(what, bytes, MAX_ENCODED_LENGTH);
    }

    static SerializationException tooLarge(String what, long bytes, int limit) {
        return new SerializationException(what + " encodes to " + bytes + " bytes, more than the " + limit
                + " one message can carry; pass large data through SharedMemory or an Array, or in parts");
    }

    private static Object deserialize(byte[] data, Predicate<Class<?>> allowed) {
        Limits limits = new Limits(data.length, allowed);
        FallbackLoaderObjectInputStream objects = null;
        try (FallbackLoaderObjectInputStream in = new FallbackLoaderObjectInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            objects = in;
            // Add our limits to the JVM-wide filter (jdk.serialFilter), if any, rather than replacing it.
            ObjectInputFilter configured = objects.getObjectInputFilter();
            objects.setObjectInputFilter(configured == null ? limits : ObjectInputFilter.merge(limits, configured));
            return objects.readObject();
        } catch (InvalidClassException e) {
            throw new SerializationException("cannot deserialize payload: " + (limits.refusal != null ? limits.refusal : e.toString()), e);
        } catch (ClassNotFoundException e) {
            throw classMissing(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // A class that could not be loaded surfaces late, and obscurely, when a record or a lambda that
            // needed it is built: "Cannot cast java.lang.invoke.SerializedLambda to …". Name the class instead.
            if (objects != null && objects.missing != null) {
                throw classMissing(objects.missing, e);
            }
            throw new SerializationException("cannot deserialize payload: " + e, e);
        } catch (StackOverflowError e) {
            // The depth limit cannot know how many frames each level costs; the stream is dropped with its partial graph.
            throw new SerializationException("cannot deserialize payload: its object graph is too deep for the stack of thread "
                    + Thread.currentThread().getName(), e);
        }
    }

    private static SerializationException classMissing(String className, Throwable cause) {
        return new SerializationException("class " + className + " is not available in this JVM (pid "
                + ProcessHandle.current().pid() + "), so what was sent here (an object of it, or a lambda or method"
                + " reference written in it) cannot be read; put it on the class path of every process that receives"
                + " it (JvmOptions.builder().classPath(...) for a child), or send something whose class they have"
                + " (a class that exists only in this program's parent, such as one compiled or loaded at run time,"
                + " is not reachable)", cause);
    }

    /**
     * The input filter of one decode: refuses a graph deeper than {@link #MAX_DEPTH} and arrays whose lengths
     * add up to more than the payload's bytes, before they are allocated. Used by the decoding thread only.
     */
    private static final class Limits implements ObjectInputFilter {
        private final long payloadLength;
        private long arrayElements;
        /** Why the filter refused the stream; null while it has not. */
        private String refusal;

        /** Classes accepted besides the always allowed ones; null to accept any class. */
        private final Predicate<Class<?>> allowed;

        Limits(long payloadLength, Predicate<Class<?>> allowed) {
            this.payloadLength = payloadLength;
            this.allowed = allowed;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> type = info.serialClass();
            if (allowed != null && type != null) {
                Class<?> element = type;
                while (element.isArray()) {
                    element = element.getComponentType();
                }
                if (!alwaysAllowed(element) && !allowed.test(element)) {
                    return refuse("class " + element.getName() + " is not in the allowlist of classes this "
                            + "entrance accepts");
                }
            }
            if (info.depth() > MAX_DEPTH) {
                return refuse("object graph deeper than " + MAX_DEPTH);
            }
            if (info.arrayLength() > 0) {
                arrayElements += info.arrayLength();
                if (arrayElements > payloadLength) {
                    return refuse("arrays of " + arrayElements + " elements in all announced in a payload of "
                            + payloadLength + " bytes");
                }
            }
            return Status.UNDECIDED;
        }

        private Status refuse(String why) {
            refusal = why;
            return Status.REJECTED;
        }
    }

    /** JDK packages whose serializable classes are plain values and collections, always accepted. */
    private static final Set<String> JDK_VALUE_PACKAGES = Set.of("java.lang", "java.util", "java.util.concurrent",
            "java.util.concurrent.atomic", "java.util.regex", "java.time", "java.time.chrono", "java.time.zone",
            "java.math", "java.net");

    /**
     * Whether {@code type} is accepted whatever the allowlist: primitives; the JDK's value types and
     * collections (the classes of {@link #JDK_VALUE_PACKAGES}, {@code SerializedLambda}, and proxy classes,
     * whose interfaces are checked on their own); and this library's own classes, loaded from the same code
     * source as this one (the hub protocol and the handles of shared objects). A test or user class in a
     * package named like the library's is not the library's.
     */
    static boolean alwaysAllowed(Class<?> type) {
        if (type.isPrimitive() || type == java.lang.invoke.SerializedLambda.class
                || java.lang.reflect.Proxy.isProxyClass(type)) {
            return true;
        }
        if (type.getClassLoader() == null && JDK_VALUE_PACKAGES.contains(type.getPackageName())) {
            return true;
        }
        return type.getName().startsWith("io.github.multiprocessing4j.") && sameCodeSource(type, Codec.class);
    }

    private static boolean sameCodeSource(Class<?> a, Class<?> b) {
        var sourceA = a.getProtectionDomain().getCodeSource();
        var sourceB = b.getProtectionDomain().getCodeSource();
        return a.getModule() == b.getModule() && (a.getModule().isNamed()
                || sourceA != null && sourceB != null && Objects.equals(sourceA.getLocation(), sourceB.getLocation()));
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
        /** The first class that could not be loaded, or null. */
        String missing;

        FallbackLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                try {
                    if (context == null) {
                        throw e;
                    }
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException notThereEither) {
                    if (missing == null) {
                        missing = desc.getName();
                    }
                    throw notThereEither;
                }
            }
        }
    }
}
