package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.SerializableBiFunction;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.worker.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The jobs a pool sends to its workers. Each record is serialized whole: the function with its inputs. */
public final class PoolJobs {
    private PoolJobs() {}

    /** {@code apply(f)}, {@code submit(callable)}: call it, return its value. */
    public record Call<R>(Callable<R> callable) implements Job {
        @Override
        public Object run() throws Exception {
            return callable.call();
        }
    }

    /** {@code apply(f, x)}: one function, one argument. */
    public record Apply<T, R>(SerializableFunction<? super T, ? extends R> function, T argument) implements Job {
        @Override
        public Object run() throws Exception {
            return function.apply(argument);
        }
    }

    /** The pool's initializer, run once by each worker before its first task. */
    public record Initialize(SerializableRunnable initializer) implements Job {
        @Override
        public Object run() throws Exception {
            initializer.run();
            return null;
        }
    }

    /** A {@code Runnable} given to {@code ProcessPoolExecutor.execute} or {@code submit}. */
    public record RunRunnable(Runnable runnable) implements Job {
        @Override
        public Object run() {
            runnable.run();
            return null;
        }
    }

    /**
     * One chunk of a {@code map}: the function applied to each item, results in order. The items travel
     * pre-encoded by the codec, so a chunk of plain numbers or strings takes its compact list form rather
     * than a serialized {@code ArrayList} of boxed objects.
     */
    public record MapChunk<T, R>(SerializableFunction<? super T, ? extends R> function, byte[] items) implements Job {
        public static <T, R> MapChunk<T, R> of(SerializableFunction<? super T, ? extends R> function, List<T> items) {
            return new MapChunk<>(function, Codec.encode(new ArrayList<>(items), "map items"));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object run() throws Exception {
            List<T> decoded = (List<T>) Codec.decode(items);
            List<R> results = new ArrayList<>(decoded.size());
            for (T item : decoded) {
                results.add(function.apply(item));
            }
            return results;
        }
    }

    /** One chunk of a {@code starmap}: each item is a pair of arguments. */
    public record StarmapChunk<A, B, R>(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            List<Pair<A, B>> items) implements Job {
        @Override
        public Object run() throws Exception {
            List<R> results = new ArrayList<>(items.size());
            for (Pair<A, B> pair : items) {
                results.add(function.apply(pair.first(), pair.second()));
            }
            return results;
        }
    }

    /** The two arguments of one starmap call, in a form that always serializes. */
    public record Pair<A, B>(A first, B second) implements java.io.Serializable {}
}
