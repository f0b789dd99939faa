package io.github.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with no arguments that returns a value and can be sent to another process. It is a
 * {@link Callable}, so it can also be given to {@link ProcessPoolExecutor#submit(Callable)}.
 *
 * <h2>Comparison with Python</h2>
 * Python sends a function by pickling its qualified name, so only module-level functions qualify and a
 * lambda fails; here a lambda or method reference qualifies when its target type is this interface, and
 * what it captures is serialized with it. It is what Python's {@code executor.submit(fn)} takes.
 *
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
