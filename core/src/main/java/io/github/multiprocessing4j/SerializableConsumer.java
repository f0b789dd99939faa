package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A task that takes one argument and can be sent to another process: Python's
 * {@code Process(target=f, args=(x,))}.
 *
 * <h2>Comparison with Python</h2>
 * Python sends a target by pickling its qualified name, so only module-level functions qualify and a
 * lambda fails under the {@code spawn} and {@code forkserver} start methods; here a lambda or method
 * reference qualifies when its target type is this interface, and what it captures is serialized with it.
 *
 * @param <T> the type of the argument
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {
    /**
     * Runs the task in the child process.
     *
     * @param argument the argument given to the {@link Process}, deserialized in the child
     * @throws Exception any failure: the child then exits with code 1 and {@link Process#exception()} holds it
     */
    void accept(T argument) throws Exception;
}
