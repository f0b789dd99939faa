package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A function of one argument that can be sent to another process, as used by {@link Pool#map}.
 *
 * <h2>Comparison with Python</h2>
 * Python sends a function by pickling its qualified name, so only module-level functions qualify and a
 * lambda fails; here a lambda or method reference qualifies when its target type is this interface, and
 * what it captures is serialized with it (and must be serializable).
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {
    /**
     * Computes the result in a worker.
     *
     * @param argument the argument, deserialized in the worker
     * @return the result, sent back to the caller; it must be serializable
     * @throws Exception any failure, rethrown to the caller (a checked one wrapped in {@link TaskFailedException})
     */
    R apply(T argument) throws Exception;
}
