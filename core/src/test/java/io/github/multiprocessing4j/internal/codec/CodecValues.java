package io.github.multiprocessing4j.internal.codec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of the values {@link Codec} supports, for the codec's and the frames' properties. */
public final class CodecValues {

    /** A serializable value of our own, to nest other values in. */
    public record Node(String name, Object child) implements Serializable {}

    private CodecValues() {}

    /** Strings from all of UTF-16, including unpaired surrogates, which UTF-8 cannot carry. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20),
                Arbitraries.of("", "héllo", "日本語", "🙂 emoji", "\uD800", "a\uDC00b"));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.doubles().withStandardSpecialValues().withSpecialValue(-0.0);
    }

    /** Null, booleans, ints, longs, doubles (NaN, infinities and -0.0 among them) and strings. */
    public static Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.longs(), doubles(), strings(),
                Arbitraries.of(true, false), Arbitraries.just(null));
    }

    /** ArrayLists of one fast type: the compact typed-list forms. */
    public static Arbitrary<ArrayList<?>> uniformLists() {
        return Arbitraries.oneOf(Arbitraries.integers().list().ofMaxSize(30).map(ArrayList::new),
                Arbitraries.longs().list().ofMaxSize(30).map(ArrayList::new),
                doubles().list().ofMaxSize(30).map(ArrayList::new),
                strings().list().ofMaxSize(10).map(ArrayList::new));
    }

    /** Leaves, and lists (uniform, mixed, with nulls), maps and records of values, nested a few levels deep. */
    public static Arbitrary<Object> values() {
        return Arbitraries.recursive(CodecValues::leaves, element -> Arbitraries.oneOf(
                element.list().ofMaxSize(5).map(ArrayList::new),
                element.list().ofMaxSize(5).map(items -> (Object) Arrays.asList(items.toArray())),
                Arbitraries.maps(strings(), element).ofMaxSize(4).map(HashMap::new),
                Combinators.combine(strings(), element).as(Node::new),
                uniformLists().map(list -> list)), 0, 4);
    }
}
