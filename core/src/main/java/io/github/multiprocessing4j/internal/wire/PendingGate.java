package io.github.multiprocessing4j.internal.wire;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connections of one entrance that have not authenticated yet, at most {@link #limit} at a time. When
 * the entrance is full, the connection that has waited longest is dropped to make room, provided it has
 * waited at least {@link #graceNanos} (a peer that knows the key answers the challenge in milliseconds);
 * otherwise the new connection is refused. So idle connections cannot hold an entrance for long, and a flood
 * on one entrance costs the others nothing: each entrance has its own gate.
 */
final class PendingGate {
    /*
     * Time is passed in (now), so tests drive it. Accessed by the accept thread (admit) and the connection
     * threads (leave); every field is accessed only while holding this.
     */
    private final int limit;
    private final long graceNanos;
    /** Pending connections, oldest first, with the time each was admitted. */
    private final Map<Channel, Long> pending = new LinkedHashMap<>();

    PendingGate(int limit, long graceNanos) {
        this.limit = limit;
        this.graceNanos = graceNanos;
    }

    /**
     * Admits {@code channel}, dropping (closing) the oldest pending connection if the gate is full and that
     * one has waited at least the grace period.
     *
     * @return whether {@code channel} was admitted; if not, the caller closes it
     */
    boolean admit(Channel channel, long now) {
        Channel dropped = null;
        synchronized (this) {
            if (pending.size() >= limit) {
                Iterator<Map.Entry<Channel, Long>> oldest = pending.entrySet().iterator();
                Map.Entry<Channel, Long> first = oldest.next();
                if (now - first.getValue() < graceNanos) {
                    return false;
                }
                dropped = first.getKey();
                oldest.remove();
            }
            pending.put(channel, now);
        }
        if (dropped != null) {
            dropped.close();
        }
        return true;
    }

    /** {@code channel} authenticated, failed, or closed: it no longer counts. Harmless when repeated. */
    synchronized void leave(Channel channel) {
        pending.remove(channel);
    }

    synchronized int size() {
        return pending.size();
    }
}
