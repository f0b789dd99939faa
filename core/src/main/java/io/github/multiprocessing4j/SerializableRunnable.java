package io.github.multiprocessing4j;

import java.io.Serializable;

/**
 * A task with no arguments that can be sent to another process: Python's {@code Process(target=f)}.
 * Method references to static methods and lambdas that capture only serializable values qualify.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    void run() throws Exception;
}
