package io.github.multiprocessing4j;

import java.io.Serializable;

/** A function of two arguments that can be sent to another process, as used by {@link Pool#starmap}. */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends Serializable {
    R apply(A first, B second) throws Exception;
}
