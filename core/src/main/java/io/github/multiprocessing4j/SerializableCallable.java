package io.github.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with no arguments that returns a value and can be sent to another process. It is a
 * {@link Callable}, so it can also be given to {@link ProcessPoolExecutor#submit(Callable)}.
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
