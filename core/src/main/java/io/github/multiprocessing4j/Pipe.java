package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.PipeState;

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
 * only receive and {@link #second()} can only send, as in Python.
 *
 * <p>Messages sent to an end wait in a process that receives on it. The process that opened the pipe keeps
 * both ends' messages while it keeps one end for itself (a parent talking to its child): the two talk
 * directly. When it has handed out both ends, each end's messages move to the process that receives that
 * end when it gets its copy (unless another process already uses that end), so the two processes holding
 * the ends talk directly, and keep working after the opener exits or is killed. A process keeping an end's messages hands them back when it exits normally; if it is killed, they
 * are lost and that end reads as closed, as an operating-system pipe does when the only process holding
 * that end dies.
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
        Handle handle = PipeState.open();
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
