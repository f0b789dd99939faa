package io.github.multiprocessing4j.cluster;

import io.github.multiprocessing4j.MultiprocessingException;

/**
 * A member refused a task because its signature did not match the cluster's key: this client was given a
 * different key than the members. Nothing of the task was deserialized or run.
 *
 * <h2>Comparison with Python</h2>
 * The nearest Python counterpart is {@code multiprocessing.AuthenticationError}, raised when a client of a
 * manager has the wrong {@code authkey}. Python checks the key once per connection; here each task carries
 * a signature that the member checks before it deserializes anything.
 */
public final class ClusterTaskRefusedException extends MultiprocessingException {
    /**
     * Makes one; the cluster pool fails the refused task with it.
     *
     * @param message which member refused the task, and why
     */
    public ClusterTaskRefusedException(String message) {
        super(message);
    }
}
