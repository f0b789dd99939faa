package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.PipeState;
import io.github.multiprocessing4j.internal.runtime.Scheduler;

/**
 * Two connected {@link Connection} ends: Python's {@code multiprocessing.Pipe()}.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * Connection parentEnd = pipe.first();
 * var p = new Process(end -> end.send("hi"), pipe.second());
 * p.start();
 * System.out.println(parentEnd.recv());   // hi
 * }</pre>
 *
 * <p>What one end sends, the other receives, in order. With {@code duplex = false}, {@link #first()} can
 * only receive and {@link #second()} can only send, as in Python. Messages pass through the process that
 * opened the pipe, which holds them until received.
 *
 * <h2>Comparison with Python</h2>
 * An end counts as closed when every process that used it has closed it or exited, so a receiver whose
 * peer died gets {@link java.io.EOFException} instead of waiting forever. Unlike Python, the opening
 * process need not close its copy of an end it handed to a child: copies never used do not hold it open.
 */
public final class Pipe {
    private final Connection first;
    private final Connection second;

    private Pipe(Connection first, Connection second) {
        this.first = first;
        this.second = second;
    }

    /**
     * A duplex pipe: both ends send and receive.
     *
     * @return the pipe, held by this process
     */
    public static Pipe open() {
        return open(true);
    }

    /**
     * A pipe, duplex or one-way (Python's {@code Pipe(duplex)}).
     *
     * @param duplex true for two ends that both send and receive; false for {@link #first()} receiving what
     *     {@link #second()} sends
     * @return the pipe, held by this process
     */
    public static Pipe open(boolean duplex) {
        Handle handle = HubServer.local().register(new PipeState(Scheduler.system()));
        return new Pipe(new Connection(handle, 0, true, duplex), new Connection(handle, 1, duplex, true));
    }

    /**
     * The first end; receive-only when not duplex.
     *
     * @return the first end
     */
    public Connection first() {
        return first;
    }

    /**
     * The second end; send-only when not duplex.
     *
     * @return the second end
     */
    public Connection second() {
        return second;
    }
}
