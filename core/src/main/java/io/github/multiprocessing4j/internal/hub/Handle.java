package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;

/**
 * Where a shared object lives: the address and key of the hub that hosts it, and its id there. This is what
 * a {@code Queue}, {@code Lock} or manager proxy becomes when it is sent to another process; the receiver
 * calls the same object through it.
 */
public record Handle(String address, byte[] key, long objectId) implements Serializable {
    public Object call(String method, Object... args) {
        return HubClient.of(address, key).call(objectId, method, args);
    }

    /** A call whose answer is not needed: it may be delivered later, in order (see HubClient). */
    public void send(String method, Object... args) {
        HubClient.of(address, key).send(objectId, method, args);
    }

    /**
     * This process is about to exit because its work failed: the hubs it used will release what it held,
     * as for a process that died (see {@code SemaphoreState}).
     */
    public static void exitingAfterFailure() {
        HubClient.exitingAfterFailure();
    }

    /** Delivers every pending {@link #send} of this process, to every hub. */
    public static void flushAll() {
        HubClient.flushAll();
    }
}
