package io.github.multiprocessing4j.internal.hub;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's {@link HubClient}s, one per hub address (and key): the lookup every {@link Handle} call
 * starts with, and the operations that span every hub (flush all pending sends; the list the exit
 * farewell walks). Clients of hubs whose process has exited are dropped as new hubs appear.
 */
final class HubClients {
    /*
     * The hot path is one map lookup by address and a key comparison. A second key for the same address
     * (a wrong key, or a manager restarted on the same port) gets an entry of its own under address#key,
     * so a refused client never replaces a working one.
     */
    private static final Map<String, HubClient> CLIENTS = new ConcurrentHashMap<>();

    private HubClients() {}

    /** The client for the hub at {@code address} with {@code key}, made on first use. */
    static HubClient of(String address, byte[] key) {
        HubClient client = CLIENTS.get(address);
        if (client != null && Arrays.equals(client.key(), key)) {
            return client;
        }
        if (client == null) {
            forgetExitedHubs();
            client = CLIENTS.computeIfAbsent(address, ignored -> HubClient.open(address, key));
            if (Arrays.equals(client.key(), key)) {
                return client;
            }
        }
        String withKey = address + "#" + Base64.getEncoder().encodeToString(key);
        return CLIENTS.computeIfAbsent(withKey, ignored -> HubClient.open(address, key));
    }

    /**
     * Drops the clients of hubs whose process has exited, releasing their feeder threads and connections:
     * a parent that uses queues made by one short-lived child after another would otherwise keep two file
     * descriptors and a thread for each. Run whenever a client for a new hub is made, so what is kept stays
     * bounded by the hubs that live. A client whose sends are not all settled stays until they are: a failed
     * send is still reported by the next flush, as for any hub.
     */
    private static void forgetExitedHubs() {
        for (Map.Entry<String, HubClient> entry : CLIENTS.entrySet()) {
            HubClient client = entry.getValue();
            if (client.hubProcessExited() && client.releaseIfSettled()) {
                CLIENTS.remove(entry.getKey(), client);
            }
        }
    }

    /**
     * Waits until every send made so far by this process, to any hub, has been delivered.
     *
     * @throws io.github.multiprocessing4j.MultiprocessingException if one of them failed
     */
    static void flushAll() {
        if (!SendFeeder.anyStarted()) {
            return;
        }
        for (HubClient client : CLIENTS.values()) {
            client.flush();
        }
    }

    /** The clients of other processes' hubs, for the exit farewell. */
    static List<HubClient> remote() {
        return CLIENTS.values().stream().filter(client -> !client.isLocal()).toList();
    }
}
