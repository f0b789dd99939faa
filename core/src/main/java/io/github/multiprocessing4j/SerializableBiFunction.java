package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A function of two arguments that can be sent to another process, as used by {@link Pool#starmap}.
 *
 * <h2>Comparison with Python</h2>
 * Python sends a function by pickling its qualified name, so only module-level functions qualify and a
 * lambda fails; here a lambda or method reference qualifies when its target type is this interface, and
 * what it captures is serialized with it (and must be serializable). Python's {@code starmap} unpacks a
 * tuple; here each pair of arguments is passed as two.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends Serializable {
    /**
     * Computes the result in a worker.
     *
     * @param first the first argument
     * @param second the second argument
     * @return the result, sent back to the caller; it must be serializable
     * @throws Exception any failure, rethrown to the caller (a checked one wrapped in {@link TaskFailedException})
     */
    R apply(A first, B second) throws Exception;
}
