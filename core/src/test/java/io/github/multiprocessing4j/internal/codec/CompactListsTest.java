package io.github.multiprocessing4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.SerializationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compact list forms: exact round trips with nulls and edge values, the fallbacks, malformed input. In memory. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CompactListsTest {
    private static final double NAN_WITH_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

    static List<Object> listOf(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    /** Encodes through the compact form, asserting there is one, and decodes three ways. */
    private static void assertRoundTrip(List<Object> list) {
        byte[] encoded = CompactLists.encode(list, "list");
        assertThat(encoded).as("a compact form for %s", list).isNotNull();
        assertThat(CompactLists.isCompact(encoded[0])).isTrue();
        assertThat(Codec.decode(encoded)).isInstanceOf(ArrayList.class).isEqualTo(list);
        List<Object> into = new ArrayList<>(List.of("before"));
        CompactLists.addAll(encoded, into);
        assertThat(into.subList(1, into.size())).isEqualTo(list);
        CompactLists.Builder builder = new CompactLists.Builder(0);
        list.forEach(builder::add);
        assertThat(builder.toBytes("list")).isEqualTo(encoded);
    }

    @Test
    void ints_withNullsAndEdgeValues_comeBackExactly() {
        assertRoundTrip(listOf(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 42));
        assertRoundTrip(listOf(null, 1, null, null, Integer.MIN_VALUE, null, 7, 8, 9, null));
    }

    @Test
    void longs_withNullsAndEdgeValues_comeBackExactly() {
        assertRoundTrip(listOf(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
        assertRoundTrip(listOf(1L, null, Long.MIN_VALUE));
    }

    @Test
    void doubles_keepTheirBits_nanPayloadAndNegativeZeroIncluded() {
        List<Object> doubles = listOf(-0.0, 0.0, Double.NaN, NAN_WITH_PAYLOAD, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null);
        assertRoundTrip(doubles);
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) Codec.decode(CompactLists.encode(doubles, "list"));
        assertThat(Double.doubleToRawLongBits((Double) back.get(0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits((Double) back.get(3))).isEqualTo(0x7ff8_0000_dead_beefL);
    }

    @Test
    void strings_withNullsEmptyAndNonBmp_comeBackExactly() {
        assertRoundTrip(listOf("", null, "héllo", "\uD83D\uDE00 smile", "x".repeat(10_000), null));
    }

    @Test
    void emptyListsAndListsOfNullsOnly_haveACompactFormToo() {
        assertRoundTrip(listOf());
        assertRoundTrip(listOf(null, null, null));
    }

    @Test
    void manyElements_growTheBuilderAndKeepNullsInPlace() {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(i % 7 == 0 ? null : i);
        }
        assertRoundTrip(list);
    }

    @Test
    void mixedTypesOtherTypesAndUnpairedSurrogates_haveNoCompactForm_butTheBuilderStillEncodesThem() {
        for (List<Object> list : List.of(listOf(1, 2L), listOf(1, "one"), listOf(true), listOf("a", "\uD800"),
                listOf(null, 1.5, 2))) {
            assertThat(CompactLists.encode(list, "list")).as("%s", list).isNull();
            CompactLists.Builder builder = new CompactLists.Builder(list.size());
            list.forEach(builder::add);
            assertThat(Codec.decode(builder.toBytes("list"))).isEqualTo(list);
        }
    }

    @Test
    void reader_readsAListInsideALargerArray() {
        byte[] encoded = CompactLists.encode(listOf(3, null, 5), "list");
        byte[] framed = new byte[encoded.length + 7];
        System.arraycopy(encoded, 0, framed, 4, encoded.length);
        CompactLists.Reader reader = new CompactLists.Reader(framed, 4, encoded.length);
        assertThat(reader.size()).isEqualTo(3);
        List<Object> read = new ArrayList<>();
        reader.forEachRemaining(read::add);
        assertThat(read).isEqualTo(listOf(3, null, 5));
    }

    @Test
    void reader_decodesAnyOtherListWhole() {
        byte[] serialized = Codec.encode(new ArrayList<>(List.of(1, "two")), "list");
        List<Object> read = new ArrayList<>();
        new CompactLists.Reader(serialized).forEachRemaining(read::add);
        assertThat(read).containsExactly(1, "two");
        assertThatThrownBy(() -> new CompactLists.Reader(Codec.encode("not a list", "x")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("holds something else");
    }

    @Test
    void countsTheBytesCannotHold_areRefusedBeforeAllocating() {
        byte[] nullableInts = ByteBuffer.allocate(1 + 4 + 1).put(CompactLists.NULLABLE_INT_LIST).putInt(5).array();
        assertThatThrownBy(() -> Codec.decode(nullableInts)).isInstanceOf(SerializationException.class)
                .hasMessage("NULLABLE_INT_LIST count 5 is out of range: the payload has room for 0 elements");
        byte[] strings = ByteBuffer.allocate(1 + 4 + 4).put(CompactLists.STRING_LIST).putInt(1).putInt(-2).array();
        assertThatThrownBy(() -> Codec.decode(strings)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("string length out of range");
    }

    private static byte[] compact(List<?> list) {
        byte[] encoded = CompactLists.encode(list, "chunk");
        assertThat(encoded).isNotNull();
        return encoded;
    }

    @Test
    void chunksOfIntsLongsOrDoubles_concatenateIntoAnUnboxedList_equalToTheBoxedOne() {
        List<Integer> ints = CompactLists.concat(List.of(compact(List.of(1, -2)), compact(List.of()), compact(List.of(Integer.MAX_VALUE))), 3);
        assertThat(ints).isInstanceOf(UnboxedList.class).isEqualTo(List.of(1, -2, Integer.MAX_VALUE));
        assertThat(ints.hashCode()).isEqualTo(List.of(1, -2, Integer.MAX_VALUE).hashCode());
        List<Long> longs = CompactLists.concat(List.of(compact(List.of(Long.MIN_VALUE)), compact(List.of(5L))), 2);
        assertThat(longs).isInstanceOf(UnboxedList.class).containsExactly(Long.MIN_VALUE, 5L);
        List<Double> doubles = CompactLists.concat(List.of(compact(List.of(-0.0, NAN_WITH_PAYLOAD))), 2);
        assertThat(doubles).isInstanceOf(UnboxedList.class).hasSize(2);
        assertThat(Double.doubleToRawLongBits(doubles.get(0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(doubles.get(1))).isEqualTo(0x7ff8_0000_dead_beefL);
        assertThatThrownBy(() -> ints.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void oneChunk_isReadWhereItArrived_withoutACopy() {
        byte[] chunk = compact(List.of(1, 2, 3));
        List<Integer> list = CompactLists.concat(List.of(chunk), 3);
        ByteBuffer.wrap(chunk).putInt(5 + Integer.BYTES, 20); // the second value, after the tag and the count
        assertThat(list).containsExactly(1, 20, 3);
        assertThat(CompactLists.<Long>concat(List.of(compact(List.of(Long.MIN_VALUE, 7L))), 2)).containsExactly(Long.MIN_VALUE, 7L);
        assertThat(CompactLists.<Double>concat(List.of(compact(List.of(2.5, -1e300))), 2)).containsExactly(2.5, -1e300);
        assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void mixedNullableOrOtherChunks_concatenateIntoAnArrayList() {
        assertThat(CompactLists.<Object>concat(List.of(compact(List.of(1)), compact(List.of(2L))), 2))
                .isInstanceOf(ArrayList.class).containsExactly(1, 2L);
        assertThat(CompactLists.<Object>concat(List.of(compact(listOf(1, null)), compact(List.of(3))), 3))
                .isInstanceOf(ArrayList.class).containsExactly(1, null, 3);
        assertThat(CompactLists.<Object>concat(List.of(compact(List.of("a")), Codec.encode(listOf(1, "b"), "chunk")), 3))
                .isInstanceOf(ArrayList.class).containsExactly("a", 1, "b");
        assertThat(CompactLists.<Object>concat(List.of(), 0)).isInstanceOf(ArrayList.class).isEmpty();
    }

    @Test
    void anUnboxedList_isAnOrdinaryMutableList_afterItsFirstChange() throws Exception {
        List<Integer> list = CompactLists.concat(List.of(compact(List.of(3, 1, 2))), 3);
        java.util.Iterator<Integer> before = list.iterator();
        before.next();
        list.add(0);
        assertThatThrownBy(before::next).isInstanceOf(java.util.ConcurrentModificationException.class);
        assertThat(list).containsExactly(3, 1, 2, 0);
        list.sort(null);
        assertThat(list).containsExactly(0, 1, 2, 3);
        list.set(0, 10);
        list.remove(1);
        list.removeIf(x -> x == 3);
        assertThat(list).containsExactly(10, 2);
        list.clear();
        assertThat(list).isEmpty();

        List<Integer> fresh = CompactLists.concat(List.of(compact(List.of(7, 8))), 2);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(fresh);
        }
        Object back = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(back).isInstanceOf(ArrayList.class).isEqualTo(List.of(7, 8));
        assertThat(Codec.decode(Codec.encode(fresh, "value"))).isEqualTo(List.of(7, 8));
    }

    @Test
    void aChunkWhoseCountExceedsItsBytes_isRefused() {
        byte[] lying = ByteBuffer.allocate(9).put(CompactLists.INT_LIST).putInt(1000).putInt(1).array();
        assertThatThrownBy(() -> CompactLists.concat(List.of(lying), 1)).isInstanceOf(SerializationException.class);
    }

    @Test
    void encodingWithHeadroom_leavesThatManyBytesFree_beforeTheSameForm() {
        for (List<Object> list : List.of(listOf(1, -2, 3), listOf(1, null, 3), listOf(1L, 2L), listOf("a", "b"), listOf())) {
            byte[] plain = CompactLists.encode(list, "list");
            byte[] roomy = CompactLists.encode(list, "list", 3);
            assertThat(roomy).as("%s", list).startsWith(0, 0, 0);
            assertThat(Arrays.copyOfRange(roomy, 3, roomy.length)).as("%s", list).isEqualTo(plain);
        }
        assertThat(CompactLists.encode(listOf(1, "two"), "list", 1)).isNull();
        assertThat(CompactLists.encode(listOf(1, 2.5), "list", 1)).isNull();
    }
}
