package io.github.multiprocessing4j.cluster;

import io.github.multiprocessing4j.MultiprocessingException;

/**
 * A member refused a task because its signature did not match the cluster's key: this client was given a
 * different key than the members. Nothing of the task was deserialized or run.
 */
public final class ClusterTaskRefusedException extends MultiprocessingException {
    public ClusterTaskRefusedException(String message) {
        super(message);
    }
}
