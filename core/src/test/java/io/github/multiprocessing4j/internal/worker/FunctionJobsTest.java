package io.github.multiprocessing4j.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.SerializableBiFunction;
import io.github.multiprocessing4j.SerializableCallable;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.internal.codec.Codec;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Jobs whose function travels apart and is kept by the worker, decoded here as a worker would. In memory. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FunctionJobsTest {
    /** Counts how often an instance is deserialized in this JVM. */
    static final class Counted implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger DECODED = new AtomicInteger();
        private final int add;

        Counted(int add) {
            this.add = add;
        }

        @Override
        public Integer apply(Integer x) {
            return x + add;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DECODED.incrementAndGet();
        }
    }

    /** Fails to deserialize, as a function whose class is missing would. */
    static final class Unreadable implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer apply(Integer x) {
            return x;
        }

        private void readObject(ObjectInputStream in) throws IOException {
            throw new IOException("cannot be read here");
        }
    }

    @Test
    void aFunctionSentOnce_isKept_andLaterTasksNamingItUseIt() throws Throwable {
        FunctionCache<Object> worker = new FunctionCache<>();
        FunctionJobs.EncodedFunction function = FunctionJobs.function(new Counted(10), "function");
        int before = Counted.DECODED.get();
        byte[] first = FunctionJobs.payload(FunctionJobs.map(function, List.of(1, 2), "items"), false);
        byte[] second = FunctionJobs.payload(FunctionJobs.map(function, List.of(3), "items"), true);
        assertThat(second.length).isLessThan(first.length - function.bytes().length + 1);
        assertThat(Codec.decode(JobCodec.decode(first, worker).runEncoded())).isEqualTo(List.of(11, 12));
        assertThat(Codec.decode(JobCodec.decode(second, worker).runEncoded())).isEqualTo(List.of(13));
        assertThat(Counted.DECODED.get() - before).isEqualTo(1);
    }

    @Test
    void aJobForAWorkerThatKeepsItsFunction_goesWithoutACopy_andCanStillGoToAnyWorker() throws Throwable {
        FunctionJobs.EncodedFunction function = FunctionJobs.function(new Counted(100), "function");
        FunctionJobs.Encoded job = FunctionJobs.map(function, List.of(1, 2, 3), "items");
        FunctionCache<Object> keeper = new FunctionCache<>();
        JobCodec.decode(FunctionJobs.payload(FunctionJobs.map(function, List.of(0), "items"), false), keeper).runEncoded();

        byte[] named = FunctionJobs.payload(job, true);
        assertThat(named).isSameAs(job.body());
        byte[] namedBytes = named.clone();
        // Sent again, as when its first worker died: to a worker that does not keep the function, then to one that does.
        byte[] carrying = FunctionJobs.payload(job, false);
        assertThat(FunctionJobs.payload(job, true)).isEqualTo(namedBytes);

        assertThat(Codec.decode(JobCodec.decode(carrying, new FunctionCache<>()).runEncoded())).isEqualTo(List.of(101, 102, 103));
        assertThat(Codec.decode(JobCodec.decode(named, keeper).runEncoded())).isEqualTo(List.of(101, 102, 103));
    }

    @Test
    void theSameFunctionSentAgainWithItsBytes_isNotDecodedAgain() throws Throwable {
        FunctionCache<Object> worker = new FunctionCache<>();
        FunctionJobs.EncodedFunction function = FunctionJobs.function(new Counted(1), "function");
        int before = Counted.DECODED.get();
        for (int i = 0; i < 3; i++) {
            JobCodec.decode(FunctionJobs.payload(FunctionJobs.map(function, List.of(i), "items"), false), worker).runEncoded();
        }
        assertThat(Counted.DECODED.get() - before).isEqualTo(1);
        assertThat(FunctionJobs.function(new Counted(1), "function").id()).isEqualTo(function.id());
        assertThat(FunctionJobs.function(new Counted(2), "function").id()).isNotEqualTo(function.id());
    }

    @Test
    void aFunctionThatCannotBeDecoded_failsEveryTaskThatNamesIt() {
        FunctionCache<Object> worker = new FunctionCache<>();
        FunctionJobs.EncodedFunction function = FunctionJobs.function(new Unreadable(), "function");
        byte[] first = FunctionJobs.payload(FunctionJobs.map(function, List.of(1), "items"), false);
        byte[] second = FunctionJobs.payload(FunctionJobs.map(function, List.of(2), "items"), true);
        assertThatThrownBy(() -> JobCodec.decode(first, worker)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read here");
        assertThatThrownBy(() -> JobCodec.decode(second, worker)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read here");
    }

    @Test
    void aTaskNamingAFunctionTheWorkerDoesNotKeep_isRefused() {
        FunctionJobs.EncodedFunction function = FunctionJobs.function(new Counted(3), "function");
        byte[] naming = FunctionJobs.payload(FunctionJobs.map(function, List.of(1), "items"), true);
        assertThatThrownBy(() -> JobCodec.decode(naming, new FunctionCache<>())).isInstanceOf(SerializationException.class)
                .hasMessageContaining("does not keep it");
    }

    @Test
    void aLambdaThatCapturesNothing_isEncodedOncePerClass() {
        SerializableCallable<String> hello = () -> "hello";
        assertThat(FunctionJobs.function(hello, "function")).isSameAs(FunctionJobs.function(hello, "function"));
        int captured = 5;
        SerializableFunction<Integer, Integer> capturing = x -> x + captured;
        assertThat(FunctionJobs.function(capturing, "function")).isNotSameAs(FunctionJobs.function(capturing, "function"));
    }

    @Test
    void callApplyAndStarmap_runAsTheirKindSays() throws Throwable {
        FunctionCache<Object> worker = new FunctionCache<>();
        SerializableCallable<String> hello = () -> "hello";
        assertThat(JobCodec.decode(FunctionJobs.payload(FunctionJobs.call(hello, "f"), false), worker).run()).isEqualTo("hello");
        SerializableFunction<String, Integer> length = String::length;
        assertThat(JobCodec.decode(FunctionJobs.payload(FunctionJobs.apply(length, "four", "f"), false), worker).run())
                .isEqualTo(4);
        SerializableBiFunction<Integer, String, String> repeat = (n, s) -> s.repeat(n);
        FunctionJobs.Encoded starmap = FunctionJobs.starmap(FunctionJobs.function(repeat, "f"), List.of(2, 0, 1),
                new ArrayList<>(Arrays.asList("ab", "x", null)), "starmap");
        assertThatThrownBy(() -> JobCodec.decode(FunctionJobs.payload(starmap, false), worker).run())
                .isInstanceOf(NullPointerException.class);
        FunctionJobs.Encoded fine = FunctionJobs.starmap(FunctionJobs.function(repeat, "f"), List.of(2, 0), List.of("ab", "x"),
                "starmap");
        assertThat(JobCodec.decode(FunctionJobs.payload(fine, true), worker).run()).isEqualTo(List.of("abab", ""));
    }

    @Test
    void theCache_evictsTheLeastRecentlyUsed_andNeverKeepsAFunctionLargerThanItsLimit() {
        FunctionCache<String> cache = new FunctionCache<>();
        for (long id = 0; id < FunctionCache.MAX_ENTRIES; id++) {
            cache.keep(id, "f" + id, 10);
        }
        assertThat(cache.lookUp(0)).isEqualTo("f0");
        cache.keep(100, "new", 10);
        assertThat(cache.lookUp(1)).as("the least recently used").isNull();
        assertThat(cache.lookUp(0)).isEqualTo("f0");
        assertThat(cache.size()).isEqualTo(FunctionCache.MAX_ENTRIES);
        cache.keep(200, "huge", (int) FunctionCache.MAX_BYTES + 1);
        assertThat(cache.lookUp(200)).isNull();
        cache.keep(300, "big", (int) FunctionCache.MAX_BYTES - 5);
        assertThat(cache.lookUp(300)).isEqualTo("big");
        assertThat(cache.size()).as("the others were evicted to make room").isEqualTo(1);
    }
}
