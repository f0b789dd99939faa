package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.SerializableBiFunction;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.CompactLists;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Pool jobs whose function travels apart from its inputs, so that a worker decodes a function once and
 * keeps it ({@link FunctionCache}) for the next tasks that use it: every chunk of a {@code map}, every
 * {@code applyAsync} of the same lambda. A function is named by a hash of its encoding, so the same function
 * with the same captured values has the same id in every JVM, and a worker that is sent it again (through a
 * cluster member, which cannot know what its worker keeps) finds it kept and does not decode it again.
 *
 * <pre>
 * +----------+---------------+--------------------+--------------------+---------+--------------------+
 * | 'F' (u8) | id (int64)    | length (int32)     | function           | kind    | input (rest)       |
 * |          |               | -1: the worker     | (Codec value,      | (u8)    |                    |
 * |          |               | keeps it already   |  length bytes)     |         |                    |
 * +----------+---------------+--------------------+--------------------+---------+--------------------+
 *
 * kind 1 CALL     a Callable; no input
 * kind 2 RUN      a SerializableRunnable; no input
 * kind 3 APPLY    a function of one argument; input = the argument (Codec value)
 * kind 4 MAP      a function applied to each item; input = the items (a Codec list, compact when it can be)
 * kind 5 STARMAP  a function of two arguments; input = length of the firsts (int32) | firsts | seconds
 * </pre>
 *
 * A map chunk's items are read one at a time from the payload and its results collected as primitives when
 * they are plain numbers or strings ({@link CompactLists}), so a chunk of ints is never a
 * {@code List<Integer>} in the worker. The encoding of a function that captures nothing (a lambda or method
 * reference without captured values) is made once per class and reused.
 */
public final class FunctionJobs {
    static final byte FORM = 'F';
    private static final byte CALL = 1;
    private static final byte RUN = 2;
    private static final byte APPLY = 3;
    private static final byte MAP = 4;
    private static final byte STARMAP = 5;
    private static final int HEADER = 1 + 8 + 4;
    /** The length field of a task that names a function its worker keeps. */
    private static final int KEPT = -1;

    /** A function, encoded, and the id its worker keeps it by. */
    public record EncodedFunction(long id, byte[] bytes) {}

    /**
     * A job in two parts: its function, and the rest (kind and input), joined by {@link #payload}. The rest
     * starts at index 13 of {@code body} (the header's length); the bytes before it are room for the header,
     * so that a job sent to a worker that keeps its function goes without a copy of its input.
     */
    public record Encoded(EncodedFunction function, byte[] body) {}

    /** Encodings of functions that capture nothing, by class: their encoding never changes. */
    private static final ClassValue<Stateless> STATELESS = new ClassValue<>() {
        @Override
        protected Stateless computeValue(Class<?> type) {
            return new Stateless(type.isHidden() && type.getDeclaredFields().length == 0);
        }
    };

    private static final class Stateless {
        final boolean stateless;
        volatile EncodedFunction encoded;

        Stateless(boolean stateless) {
            this.stateless = stateless;
        }
    }

    private FunctionJobs() {}

    /** {@code callable.call()}. */
    public static Encoded call(Callable<?> callable, String what) {
        return new Encoded(function(callable, what), withKind(CALL, new byte[0]));
    }

    /** {@code runnable.run()}; the value is null. */
    public static Encoded run(SerializableRunnable runnable, String what) {
        return new Encoded(function(runnable, what), withKind(RUN, new byte[0]));
    }

    /** {@code function.apply(argument)}. */
    public static Encoded apply(SerializableFunction<?, ?> function, Object argument, String what) {
        return new Encoded(function(function, what), withKind(APPLY, Codec.encode(argument, "argument")));
    }

    /**
     * {@code function} (encoded once for all chunks by {@link #function}) applied to each of {@code items};
     * the value is the list of results.
     */
    public static Encoded map(EncodedFunction function, List<?> items, String what) {
        byte[] compact = CompactLists.encode(items, what, HEADER + 1);
        if (compact == null) {
            return new Encoded(function, withKind(MAP, Codec.encode(new ArrayList<>(items), what)));
        }
        compact[HEADER] = MAP;
        return new Encoded(function, compact);
    }

    /** {@code function(firsts[i], seconds[i])} for each i; the value is the list of results. */
    public static Encoded starmap(EncodedFunction function, List<?> firsts, List<?> seconds, String what) {
        byte[] a = listBytes(firsts, "first arguments of " + what);
        byte[] b = listBytes(seconds, "second arguments of " + what);
        long length = 1L + 4 + a.length + b.length;
        if (length > Codec.MAX_ENCODED_LENGTH) {
            throw new SerializationException("the arguments of " + what + " encode to " + length
                    + " bytes, more than one message can carry; use smaller chunks");
        }
        return new Encoded(function, ByteBuffer.allocate(HEADER + (int) length).position(HEADER)
                .put(STARMAP).putInt(a.length).put(a).put(b).array());
    }

    private static byte[] listBytes(List<?> list, String what) {
        byte[] compact = CompactLists.encode(list, what);
        return compact != null ? compact : Codec.encode(new ArrayList<>(list), what);
    }

    /** A job's body: room for the payload's header, then {@code kind} and {@code input}. */
    private static byte[] withKind(byte kind, byte[] input) {
        byte[] body = new byte[HEADER + 1 + input.length];
        body[HEADER] = kind;
        System.arraycopy(input, 0, body, HEADER + 1, input.length);
        return body;
    }

    /**
     * The encoding and id of {@code function}; made once for a function that captures nothing.
     *
     * @throws SerializationException if it cannot be serialized, naming {@code what} and the path to the culprit
     */
    public static EncodedFunction function(Object function, String what) {
        Stateless known = STATELESS.get(function.getClass());
        if (known.stateless) {
            EncodedFunction encoded = known.encoded;
            if (encoded == null) {
                encoded = encode(function, what);
                known.encoded = encoded;
            }
            return encoded;
        }
        return encode(function, what);
    }

    private static EncodedFunction encode(Object function, String what) {
        byte[] bytes = Codec.encode(function, what);
        return new EncodedFunction(idOf(bytes), bytes);
    }

    /** The first 64 bits of the SHA-256 of a function's encoding. */
    static long idOf(byte[] encoded) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(encoded)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The payload of {@code job} for a worker: with its function, or naming the function only when
     * {@code workerKeepsIt}.
     */
    public static byte[] payload(Encoded job, boolean workerKeepsIt) {
        byte[] body = job.body();
        if (workerKeepsIt) {
            // Written into the body's own room. Each task has a body of its own, and these are the same bytes
            // whenever it goes to such a worker, so a send of this body still in progress never sees them change.
            ByteBuffer.wrap(body, 0, HEADER).put(FORM).putLong(job.function().id()).putInt(KEPT);
            return body;
        }
        byte[] function = job.function().bytes();
        return ByteBuffer.allocate(function.length + body.length).put(FORM).putLong(job.function().id())
                .putInt(function.length).put(function).put(body, HEADER, body.length - HEADER).array();
    }

    /**
     * Decodes a payload made by {@link #payload}, taking the function from {@code kept} when the payload
     * names it only, and keeping a function it carries there.
     *
     * @throws SerializationException if the payload is malformed, names a function that is not kept, or its
     *         function cannot be decoded here (also when a later task names that function)
     */
    static Job decode(byte[] payload, FunctionCache<Object> kept) {
        if (payload.length < HEADER + 1) {
            throw new SerializationException("a function job payload is too short: " + payload.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long id = in.getLong();
        int length = in.getInt();
        if (length != KEPT && (length < 0 || length > in.remaining() - 1)) {
            throw new SerializationException("a function job's function length is out of range: " + length);
        }
        Object function = kept.lookUp(id);
        if (function == null && length == KEPT) {
            throw new SerializationException("a task names function " + Long.toHexString(id)
                    + " as kept by this worker, which does not keep it: the parent's ledger and this worker disagree");
        }
        if (function == null) {
            try {
                function = Codec.decode(Arrays.copyOfRange(payload, HEADER, HEADER + length));
            } catch (SerializationException e) {
                function = new Undecodable(e);
            }
            kept.keep(id, function, length);
        }
        if (function instanceof Undecodable failed) {
            throw new SerializationException(failed.cause.getMessage(), failed.cause);
        }
        int body = HEADER + Math.max(0, length);
        return job(payload[body], function, payload, body + 1);
    }

    /** A function that could not be decoded, kept as such so that the two ledgers stay equal. */
    private record Undecodable(SerializationException cause) {}

    private static Job job(byte kind, Object function, byte[] payload, int input) {
        try {
            return switch (kind) {
                case CALL -> new Call((Callable<?>) function);
                case RUN -> new Run((SerializableRunnable) function);
                case APPLY -> new Apply((SerializableFunction<?, ?>) function, Arrays.copyOfRange(payload, input, payload.length));
                case MAP -> new MapItems((SerializableFunction<?, ?>) function, payload, input);
                case STARMAP -> new Starmap((SerializableBiFunction<?, ?, ?>) function, payload, input);
                default -> throw new SerializationException("unknown function job kind " + kind);
            };
        } catch (ClassCastException e) {
            throw new SerializationException("a function job of kind " + kind + " carries a " + function.getClass().getName(), e);
        }
    }

    private record Call(Callable<?> callable) implements Job {
        @Override
        public Object run() throws Exception {
            return callable.call();
        }
    }

    private record Run(SerializableRunnable runnable) implements Job {
        @Override
        public Object run() throws Exception {
            runnable.run();
            return null;
        }
    }

    private record Apply(SerializableFunction<?, ?> function, byte[] argument) implements Job {
        @Override
        @SuppressWarnings("unchecked")
        public Object run() throws Exception {
            return ((SerializableFunction<Object, ?>) function).apply(Codec.decode(argument));
        }
    }

    /** A map chunk: items read from the payload one at a time, results collected by a {@link CompactLists.Builder}. */
    private record MapItems(SerializableFunction<?, ?> function, byte[] payload, int items) implements Job {
        @Override
        public Object run() throws Exception {
            return Codec.decode(runEncoded());
        }

        @Override
        @SuppressWarnings("unchecked")
        public byte[] runEncoded() throws Exception {
            SerializableFunction<Object, ?> f = (SerializableFunction<Object, ?>) function;
            CompactLists.Reader reader = new CompactLists.Reader(payload, items, payload.length - items);
            CompactLists.Builder results = new CompactLists.Builder(reader.size());
            while (reader.hasNext()) {
                results.add(f.apply(reader.next()));
            }
            return results.toBytes("results of a map chunk");
        }
    }

    private record Starmap(SerializableBiFunction<?, ?, ?> function, byte[] payload, int input) implements Job {
        @Override
        public Object run() throws Exception {
            return Codec.decode(runEncoded());
        }

        @Override
        @SuppressWarnings("unchecked")
        public byte[] runEncoded() throws Exception {
            SerializableBiFunction<Object, Object, ?> f = (SerializableBiFunction<Object, Object, ?>) function;
            int firstsLength = ByteBuffer.wrap(payload, input, 4).getInt();
            if (firstsLength < 0 || firstsLength > payload.length - input - 4) {
                throw new SerializationException("a starmap chunk's first arguments length is out of range: " + firstsLength);
            }
            CompactLists.Reader firsts = new CompactLists.Reader(payload, input + 4, firstsLength);
            int seconds = input + 4 + firstsLength;
            CompactLists.Reader secondsReader = new CompactLists.Reader(payload, seconds, payload.length - seconds);
            if (firsts.size() != secondsReader.size()) {
                throw new SerializationException("a starmap chunk has " + firsts.size() + " first and "
                        + secondsReader.size() + " second arguments");
            }
            CompactLists.Builder results = new CompactLists.Builder(firsts.size());
            while (firsts.hasNext()) {
                results.add(f.apply(firsts.next(), secondsReader.next()));
            }
            return results.toBytes("results of a starmap chunk");
        }
    }
}
