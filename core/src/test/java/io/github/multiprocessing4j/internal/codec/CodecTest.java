package io.github.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.RemoteException;
import io.github.multiprocessing4j.RemoteOrigin;
import io.github.multiprocessing4j.SerializationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void anItemKeepingAByteArrayAsItsBody_decodesToThatVeryArray_otherItemsToTheirValues() {
        byte[] large = {9, 8, 7};
        assertTrue(Codec.decodeItem(new Item(Codec.bytesTag(), large)) == large, "handed over, not copied");
        assertEquals("text", Codec.decodeItem(Codec.encodeItem("text", "item")));
        byte[] whole = Codec.encode(List.of(1, 2, 3), "value");
        Item split = new Item(java.util.Arrays.copyOf(whole, 2), java.util.Arrays.copyOfRange(whole, 2, whole.length));
        assertEquals(List.of(1, 2, 3), Codec.decodeItem(split));
        assertArrayEquals(new byte[0], (byte[]) Codec.decodeItem(Codec.encodeItem(new byte[0], "item")));
    }

    @Test
    void fastPathValues_roundTripWithTheirTypes() {
        for (Object value : new Object[] {"héllo", 42, 42L, 4.5, true, Integer.MIN_VALUE}) {
            assertEquals(value, Codec.decode(Codec.encode(value, "value")));
        }
        assertNull(Codec.decode(Codec.encode(null, "value")));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) Codec.decode(Codec.encode(new byte[] {1, 2, 3}, "value")));
        assertEquals(5, Codec.encode(7, "value").length, "an int takes a tag and four bytes");
    }

    @Test
    void uniformListsOfNumbersAndStrings_takeTheCompactForm() {
        List<Integer> ints = new ArrayList<>(List.of(1, -2, Integer.MAX_VALUE));
        assertEquals(ints, Codec.decode(Codec.encode(ints, "value")));
        assertEquals(1 + 4 + 3 * 4, Codec.encode(ints, "value").length, "tag, count, then four bytes an int");
        List<Long> longs = new ArrayList<>(List.of(1L, Long.MIN_VALUE));
        assertEquals(longs, Codec.decode(Codec.encode(longs, "value")));
        List<Double> doubles = new ArrayList<>(List.of(0.5, -1e300));
        assertEquals(doubles, Codec.decode(Codec.encode(doubles, "value")));
        List<String> strings = new ArrayList<>(List.of("a", "", "ünï"));
        assertEquals(strings, Codec.decode(Codec.encode(strings, "value")));
        List<Integer> immutable = List.of(1, 2, 3);
        Object back = Codec.decode(Codec.encode(immutable, "value"));
        assertEquals(immutable, back);
        assertEquals(immutable.getClass(), back.getClass(), "other lists keep their own class");
        List<Object> mixed = java.util.Arrays.asList(1, 2L, null);
        assertEquals(mixed, Codec.decode(Codec.encode(mixed, "value")), "mixed lists fall back to serialization");
    }

    @Test
    void primitiveArrays_takeTheCompactForm_andComeBackExactly() {
        double[] doubles = {0.5, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff0_0000_0000_0001L), Double.MAX_VALUE};
        byte[] encoded = Codec.encode(doubles, "value");
        assertEquals(1 + doubles.length * 8, encoded.length, "a tag, then eight bytes a double");
        double[] back = (double[]) Codec.decode(encoded);
        for (int i = 0; i < doubles.length; i++) {
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(back[i]), "raw bits of element " + i);
        }
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, (int[]) Codec.decode(Codec.encode(new int[] {1, -2, Integer.MAX_VALUE}, "v")));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 3}, (long[]) Codec.decode(Codec.encode(new long[] {Long.MIN_VALUE, 3}, "v")));
        assertArrayEquals(new short[] {-1, 300}, (short[]) Codec.decode(Codec.encode(new short[] {-1, 300}, "v")));
        assertArrayEquals(new char[] {'a', '\uffff'}, (char[]) Codec.decode(Codec.encode(new char[] {'a', '\uffff'}, "v")));
        assertArrayEquals(new float[] {1.5f, -0f}, (float[]) Codec.decode(Codec.encode(new float[] {1.5f, -0f}, "v")));
        assertArrayEquals(new int[0], (int[]) Codec.decode(Codec.encode(new int[0], "v")));
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) Codec.decode(Codec.encode(new boolean[] {true, false}, "v")),
                "boolean[] goes through serialization and still comes back");
        assertEquals(5, Codec.encode(new int[] {0x01020304}, "v").length);
        assertEquals(4, Codec.encode(new int[] {0x01020304}, "v")[1], "little-endian: the low byte first");
    }

    @Test
    void primitiveArrayWhoseBytesAreNotWholeElements_isRefused() {
        byte[] encoded = Codec.encode(new long[] {1, 2}, "value");
        byte[] cut = java.util.Arrays.copyOf(encoded, encoded.length - 3);
        SerializationException e = assertThrows(SerializationException.class, () -> Codec.decode(cut));
        assertTrue(e.getMessage().contains("8-byte elements"), e.getMessage());
    }

    @Test
    void truncatedCompactList_isReportedNotThrownAsRawError() {
        byte[] bytes = Codec.encode(new ArrayList<>(List.of(1, 2, 3)), "value");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        assertThrows(SerializationException.class, () -> Codec.decode(truncated));
    }

    /** PoolCore catches only SerializationException: an IllegalArgumentException here killed its reader. */
    @Test
    void negativeCompactListCount_isASerializationExceptionNotIllegalCapacity() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> Codec.decode(new byte[] {8, -1, -1, -1, -1}));
        assertEquals("INT_LIST count -1 is out of range: the payload has room for 0 elements", e.getMessage());
    }

    @Test
    void stringsWithAnUnpairedSurrogate_comeBackUnchanged() {
        String lone = "a\uD800b";
        assertEquals(lone, Codec.decode(Codec.encode(lone, "value")));
        List<String> strings = new ArrayList<>(List.of("fine", lone));
        assertEquals(strings, Codec.decode(Codec.encode(strings, "value")));
    }

    @Test
    void otherSerializableValues_useJdkSerialization() {
        Object value = Map.of("k", List.of(1, 2, 3));
        assertEquals(value, Codec.decode(Codec.encode(value, "value")));
    }

    static final class Socketish {
    }

    static final class Wrapper implements Serializable {
        final List<Object> items = new ArrayList<>(List.of("fine", new Socketish()));
    }

    @Test
    void nonSerializableInsideACollection_isFoundWithItsPath() {
        SerializationException e = assertThrows(SerializationException.class, () -> Codec.encode(new Wrapper(), "argument"));
        assertTrue(e.getMessage().startsWith("argument field 'items' (java.util.ArrayList) → contains an element of type "
                + Socketish.class.getName() + ", which is not Serializable"), e.getMessage());
    }

    @Test
    void malformedPayloads_areReportedNotThrownAsRawErrors() {
        assertThrows(SerializationException.class, () -> Codec.decode(new byte[0]));
        assertEquals("unknown codec tag 99", assertThrows(SerializationException.class,
                () -> Codec.decode(new byte[] {99})).getMessage());
        assertThrows(SerializationException.class, () -> Codec.decode(new byte[] {3, 1}), "int needs four bytes");
        assertThrows(SerializationException.class, () -> Codec.decode(new byte[] {0x7f, 1, 2, 3}));
    }

    @Test
    void throwable_roundTripsAsItselfWithOrigin() {
        AssertionError original = new AssertionError("expected: <1> but was: <2>");
        Throwable back = ThrowableTransport.decode(ThrowableTransport.encode(original, "Process-9", 1234));
        assertInstanceOf(AssertionError.class, back);
        assertEquals(original.getMessage(), back.getMessage());
        assertArrayEquals(original.getStackTrace(), back.getStackTrace());
        assertEquals(1234, RemoteOrigin.of(back).orElseThrow().pid());
    }

    static final class Unserializable extends RuntimeException {
        @SuppressWarnings("unused")
        private final Object lock = new Object();

        Unserializable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void throwableThatCannotBeSerialized_becomesRemoteExceptionKeepingCauses() {
        Unserializable original = new Unserializable("outer", new IllegalStateException("inner"));
        Throwable back = ThrowableTransport.decode(ThrowableTransport.encode(original, "Process-9", 1234));
        RemoteException remote = assertInstanceOf(RemoteException.class, back);
        assertEquals(Unserializable.class.getName(), remote.remoteClassName());
        assertEquals(Unserializable.class.getName() + ": outer", remote.getMessage());
        assertArrayEquals(original.getStackTrace(), remote.getStackTrace());
        RemoteException cause = assertInstanceOf(RemoteException.class, remote.getCause());
        assertEquals("java.lang.IllegalStateException", cause.remoteClassName());
        assertEquals("Process-9", RemoteOrigin.of(back).orElseThrow().processName());
    }
}
