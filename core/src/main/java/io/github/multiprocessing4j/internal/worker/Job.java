package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.internal.codec.Codec;
import java.io.Serializable;

/**
 * A unit of work as it travels to a child: the user's function together with its arguments. The child
 * decodes it, calls {@link #run()}, and sends back the value or the exception.
 */
public interface Job extends Serializable {
    Object run() throws Throwable;

    /** Runs the job and encodes its value; a job that builds its value already encoded says so here. */
    default byte[] runEncoded() throws Throwable {
        return Codec.encode(run(), "result");
    }
}
