package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a shared object lives: the address and key of the hub that hosts it, and its id there (random, so
 * only a process that was handed the handle can reach the object). This is what
 * a {@code Queue}, {@code Lock} or manager proxy becomes when it is sent to another process; the receiver
 * calls the same object through it.
 */
public record Handle(String address, byte[] key, ObjectId objectId) implements Serializable {
    /** Two handles are equal when they reach the same object through the same hub with the same key. */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Handle that && address.equals(that.address) && Arrays.equals(key, that.key)
                && objectId.equals(that.objectId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, Arrays.hashCode(key), objectId);
    }

    @Override
    public String toString() {
        return "Handle[" + address + ", " + objectId + "]";
    }

    /** Runs {@code request} on the object and returns its answer, after this process's pending sends. */
    public <R> R call(Request<R> request) {
        return answer(HubClients.of(address, key).call(new HubFrame.Call(objectId, Thread.currentThread().getId(), request)));
    }

    /** A request whose answer is not needed: it may be delivered later, in order (see {@link SendFeeder}). */
    public void send(Request<?> request) {
        HubClients.of(address, key).send(new HubFrame.Call(objectId, Thread.currentThread().getId(), request));
    }

    /** Runs {@code request} on the registry of the manager that listens at {@code address} with {@code key}. */
    public static <R> R callRoot(String address, byte[] key, RegistryRequest<R> request) {
        return answer(HubClients.of(address, key).call(new HubFrame.RootCall(Thread.currentThread().getId(), request)));
    }

    /** The answer to a request of type {@code Request<R>}, which the hub computed as an {@code R}. */
    @SuppressWarnings("unchecked")
    private static <R> R answer(Object answer) {
        return (R) answer;
    }

    /**
     * This process is about to exit because its work failed: the hubs it used will release what it held,
     * as for a process that died (see {@code SemaphoreState}).
     */
    public static void exitingAfterFailure() {
        ExitFarewell.exitingAfterFailure();
    }

    /** Delivers every pending {@link #send} of this process, to every hub. */
    public static void flushAll() {
        HubClients.flushAll();
    }
}
