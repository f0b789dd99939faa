package io.github.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.SerializationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link Codec} over generated values and bytes: every supported value comes back equal and of
 * the same class, and any bytes at all either decode or fail with the documented
 * {@link SerializationException}, without allocating for counts the bytes cannot hold.
 */
class CodecProperties {

    @Provide
    static Arbitrary<Object> values() {
        return CodecValues.values();
    }

    @Provide
    static Arbitrary<ArrayList<?>> uniformLists() {
        return CodecValues.uniformLists();
    }

    @Property
    void anySupportedValue_comesBackEqualAndOfTheSameClass(@ForAll("values") Object value) {
        Object back = Codec.decode(Codec.encode(value, "value"));
        assertEquals(value, back);
        if (value != null) {
            assertEquals(value.getClass(), back.getClass());
        }
    }

    @Property
    void uniformArrayList_comesBackAsAnArrayListOfTheSameElements(@ForAll("uniformLists") ArrayList<?> list) {
        assertEquals(list, assertInstanceOf(ArrayList.class, Codec.decode(Codec.encode(list, "items"))));
    }

    @Property
    void byteArray_comesBackWithTheSameBytes(@ForAll @Size(max = 300) byte[] bytes) {
        assertArrayEquals(bytes, (byte[]) Codec.decode(Codec.encode(bytes, "value")));
    }

    @Property
    void anyBytes_decodeOrFailWithSerializationException(@ForAll @Size(max = 64) byte[] bytes) {
        decodeOrRefuse(bytes);
    }

    /** Valid encodings with a few bytes changed, cut short or extended: the inputs most likely to reach deep. */
    @Property
    void damagedEncoding_decodesOrFailsWithSerializationException(@ForAll("values") Object value,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000) Integer> positions,
            @ForAll byte replacement, @ForAll @IntRange(min = -8, max = 8) int lengthChange) {
        byte[] bytes = Codec.encode(value, "value");
        for (int position : positions) {
            bytes[position % bytes.length] ^= replacement;
        }
        decodeOrRefuse(Arrays.copyOf(bytes, Math.max(0, bytes.length + lengthChange)));
    }

    private static void decodeOrRefuse(byte[] bytes) {
        try {
            Codec.decode(bytes);
        } catch (SerializationException documented) {
            // the one failure decode promises
        }
    }

    /** A compact list whose count asks for more elements than its bytes can hold is refused before allocating. */
    @Property
    void compactListCountBeyondTheBytesPresent_isRefused(@ForAll @IntRange(min = 8, max = 11) int tag,
            @ForAll @IntRange(min = 0, max = 5) int elementsPresent, @ForAll int count) {
        int width = tag == 8 || tag == 11 ? 4 : 8;
        byte[] bytes = ByteBuffer.allocate(5 + elementsPresent * width).put((byte) tag).putInt(count).array();
        if (count >= 0 && (long) count * width <= (long) elementsPresent * width) {
            return;
        }
        SerializationException e = assertThrows(SerializationException.class, () -> Codec.decode(bytes));
        assertTrue(e.getMessage().contains("count " + count), e.getMessage());
    }

    /**
     * A serialized array announcing 2^28 elements in a few dozen bytes is refused by the input filter before
     * the array is allocated, whatever the heap size.
     */
    @Property(tries = 20)
    void serializedArrayLongerThanThePayload_isRefusedBeforeAllocation(
            @ForAll @IntRange(min = 1 << 28, max = Integer.MAX_VALUE) int announced) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(0x7f);
        try (ObjectOutputStream out = new ObjectOutputStream(stream)) {
            out.writeObject(new long[] {42});
        }
        byte[] bytes = stream.toByteArray();
        // The stream ends with the array's length (int32) and its one element (int64).
        ByteBuffer.wrap(bytes).putInt(bytes.length - 12, announced);
        SerializationException e = assertThrows(SerializationException.class, () -> Codec.decode(bytes));
        assertInstanceOf(InvalidClassException.class, e.getCause(), "refused by the filter, not by running out of bytes");
    }

    /**
     * A chain of records nested to any depth decodes, or fails with {@link SerializationException} when it is
     * deeper than the filter allows or than the decoding thread's stack can hold.
     */
    @Property(tries = 15)
    void deeplyNestedValue_decodesOrFailsWithSerializationException_onASmallStack(
            @ForAll @IntRange(min = 1, max = 8000) int depth) throws InterruptedException {
        byte[][] encoded = new byte[1][];
        onThreadWithStack(1 << 28, () -> {
            Object value = null;
            for (int i = 0; i < depth; i++) {
                value = new CodecValues.Node("level", value);
            }
            encoded[0] = Codec.encode(value, "value");
        });
        onThreadWithStack(1 << 18, () -> decodeOrRefuse(encoded[0]));
    }

    /** Runs {@code body} on a thread with a stack of {@code stackBytes}, passing on whatever it throws. */
    static void onThreadWithStack(long stackBytes, Runnable body) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(null, body, "stack-" + stackBytes, stackBytes);
        thread.setUncaughtExceptionHandler((t, e) -> thrown[0] = e);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(thread.isAlive(), "still running after 30 s");
        if (thrown[0] instanceof Error error) {
            throw error;
        } else if (thrown[0] != null) {
            throw new AssertionError(thrown[0]);
        }
    }
}
