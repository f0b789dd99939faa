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
