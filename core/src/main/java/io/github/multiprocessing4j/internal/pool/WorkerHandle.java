package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
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
    /** Set once it connected and ran the initializer: it has started, whatever happens later. */
    boolean ready;
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

    /**
     * Sends on a library thread, never the caller's: socket I/O on a thread whose interrupt flag is set
     * would close the worker's channel. Sends to one worker cannot overtake each other, since a worker is
     * sent one task at a time and STOP only when idle. A worker that cannot be reached is dying; its exit
     * is handled then.
     */
    static void send(Channel channel, Message message) {
        LibraryThreads.events().execute(() -> {
            try {
                channel.send(message);
            } catch (IOException e) {
                // The exit callback reports the worker's death and fails its task.
            }
        });
    }

    @Override
    public String toString() {
        return child.name() + " (pid " + child.pid() + ")";
    }
}
