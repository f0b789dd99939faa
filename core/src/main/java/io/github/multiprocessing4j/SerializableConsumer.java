package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A task that takes one argument and can be sent to another process: Python's
 * {@code Process(target=f, args=(x,))}.
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {
    void accept(T argument) throws Exception;
}
