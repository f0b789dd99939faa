package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.EventState;
import io.github.multiprocessing4j.internal.hub.HubServer;
import java.io.Serializable;
import java.time.Duration;

/**
 * A flag shared between processes that others can wait for: Python's {@code multiprocessing.Event}.
 * Python's {@code wait} is {@link #waitFor} here, since {@code wait} is final on every Java object.
 */
public final class Event implements Serializable {
    final Handle handle;

    public Event() {
        this.handle = HubServer.local().register(new EventState());
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        handle.call("set");
    }

    public void clear() {
        handle.call("clear");
    }

    public boolean isSet() {
        return (Boolean) handle.call("isSet");
    }

    /** Waits until the flag is set. */
    public void waitFor() throws InterruptedException {
        Waits.until(null, slice -> (Boolean) handle.call("wait", slice) ? Boolean.TRUE : null);
    }

    /** Waits at most {@code timeout}; returns whether the flag is set. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return Waits.until(Waits.requireTimeout(timeout), slice -> (Boolean) handle.call("wait", slice) ? Boolean.TRUE : null) != null;
    }
}
