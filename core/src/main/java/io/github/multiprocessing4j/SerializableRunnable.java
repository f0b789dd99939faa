package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A task with no arguments that can be sent to another process: Python's {@code Process(target=f)}.
 * Method references to static methods and lambdas that capture only serializable values qualify.
 *
 * <h2>Comparison with Python</h2>
 * Python sends a target by pickling its qualified name, so only module-level functions qualify and a
 * lambda fails under the {@code spawn} and {@code forkserver} start methods; here a lambda or method
 * reference qualifies when its target type is this interface, and what it captures is serialized with it.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    /**
     * Runs the task in the other process.
     *
     * @throws Exception any failure: a {@link Process} then exits with code 1 and {@link Process#exception()} holds it;
     *     a pool task's caller gets it back
     */
    void run() throws Exception;
}
