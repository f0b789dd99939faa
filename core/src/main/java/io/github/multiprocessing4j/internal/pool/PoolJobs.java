package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.internal.worker.Job;
import java.util.concurrent.Callable;

/**
 * The jobs a pool sends to its workers serialized whole, the function with its inputs: the initializer and
 * {@code ProcessPoolExecutor}'s tasks. {@code Pool}'s calls and chunks send their function apart, so that a
 * worker keeps it ({@link io.github.multiprocessing4j.internal.worker.FunctionJobs}).
 */
public final class PoolJobs {
    private PoolJobs() {}

    /** {@code apply(f)}, {@code submit(callable)}: call it, return its value. */
    public record Call<R>(Callable<R> callable) implements Job {
        @Override
        public Object run() throws Exception {
            return callable.call();
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
}
