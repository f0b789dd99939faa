package io.github.multiprocessing4j;

import java.io.Serializable;

/** A function of one argument that can be sent to another process, as used by {@link Pool#map}. */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {
    R apply(T argument) throws Exception;
}
