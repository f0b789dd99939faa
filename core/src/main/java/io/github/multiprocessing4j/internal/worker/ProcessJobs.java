package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.SerializableConsumer;
import io.github.multiprocessing4j.SerializableRunnable;

/** The jobs behind {@code Process}: a target with no argument, or with one. */
public final class ProcessJobs {
    private ProcessJobs() {}

    public record RunTarget(SerializableRunnable target) implements Job {
        @Override
        public Object run() throws Exception {
            target.run();
            return null;
        }
    }

    public record RunWithArgument<T>(SerializableConsumer<? super T> target, T argument) implements Job {
        @Override
        public Object run() throws Exception {
            target.accept(argument);
            return null;
        }
    }
}
