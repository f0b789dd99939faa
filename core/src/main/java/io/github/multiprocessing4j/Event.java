package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.EventRequest;
import io.github.multiprocessing4j.internal.hub.EventState;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;

/**
 * A flag shared between processes that others can wait for: Python's {@code multiprocessing.Event}.
 * Python's {@code wait} is {@link #waitFor} here, since {@code wait} is final on every Java object.
 *
 * <h2>Comparison with Python</h2>
 * {@code is_set()} is {@link #isSet()} and {@code wait(timeout)} is {@link #waitFor(Duration)} (returning the
 * flag, as Python does); {@code set()} and {@code clear()} are the same. The timeout is a {@link Duration},
 * not seconds as a float.
 */
public final class Event implements Serializable {
    /** The event in the hub of the process that made it, through which every copy talks. */
    final Handle handle;

    /** A new event, not set, hosted by this process. */
    public Event() {
        this.handle = HubServer.local().register(new EventState(Scheduler.system()));
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        handle.call(new EventRequest.Set());
    }

    /** Clears the flag: later waits wait again until the next {@link #set()}. */
    public void clear() {
        handle.call(new EventRequest.Clear());
    }

    /**
     * Whether the flag is set now (Python's {@code is_set()}).
     *
     * @return true if it is set
     */
    public boolean isSet() {
        return handle.call(new EventRequest.IsSet());
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void waitFor() throws InterruptedException {
        Waits.until(null, this::waitSlice);
    }

    /**
     * Waits at most {@code timeout}; returns whether the flag is set.
     *
     * @param timeout how long to wait at most; zero or negative to only check
     * @return true if the flag is set; false if the time ran out first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return Waits.until(Waits.requireTimeout(timeout), this::waitSlice) != null;
    }

    private Boolean waitSlice(long sliceNanos) {
        return handle.call(new EventRequest.WaitFor(sliceNanos)) ? Boolean.TRUE : null;
    }
}
