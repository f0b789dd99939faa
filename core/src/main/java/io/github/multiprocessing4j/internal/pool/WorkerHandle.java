package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;

/**
 * The pool's view of one worker JVM. All mutable fields are guarded by the owning {@link PoolCore}'s lock.
 */
final class WorkerHandle {
    final ChildProcess child;

    /** Set once the worker connected; null before. */
    Channel channel;
    /** The task it runs now, or null when idle, starting, or retiring. */
    PoolTask current;
    /** Tasks it finished, for {@code maxTasksPerChild}. */
    int tasksDone;
    /** Why it could not start, when its JVM failed before connecting. */
    ProcessStartException startFailure;
    /** The pool initializer's exception, when the initializer failed in this worker. */
    Throwable initializerFailure;

    WorkerHandle(ChildProcess child) {
        this.child = child;
    }

    /** Sends without throwing: a worker that cannot be reached is dying, and its exit is handled then. */
    static void send(Channel channel, Message message) {
        try {
            channel.send(message);
        } catch (IOException e) {
            // The exit callback reports the worker's death and fails its task.
        }
    }

    @Override
    public String toString() {
        return child.name() + " (pid " + child.pid() + ")";
    }
}
