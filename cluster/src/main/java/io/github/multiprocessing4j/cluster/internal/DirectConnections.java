package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.impl.connection.ClientConnection;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/**
 * Whether a Hazelcast client has a connection of its own to a member.
 *
 * <p>Why it matters: the client learns of a member that joins before it connects to it (it connects in the
 * background, within a second or so). A task submitted to that member meanwhile travels over the connection
 * to some other member, which forwards it. If that other member dies, the task's future fails with
 * {@code TargetDisconnectedException} although the member running the task lives on: the pool would then
 * blame the wrong member, and stop sending it tasks. {@link MemberSlots} therefore prefers members this
 * client is connected to.
 *
 * <p>Hazelcast offers no public API for this; the client's connection manager is internal. Any instance
 * that is not a client proxy (an embedded member has connections to every member) or any failure to reach
 * the connection manager (a shut-down client, a Hazelcast version that moved it) counts as connected, which
 * is how {@link MemberSlots} behaved before this check.
 */
public final class DirectConnections {
    private final HazelcastInstance instance;

    public DirectConnections(HazelcastInstance instance) {
        this.instance = instance;
    }

    public boolean connectedTo(UUID member) {
        try {
            if (!(instance instanceof HazelcastClientProxy proxy)) {
                return true;
            }
            ClientConnection connection = proxy.client.getConnectionManager().getActiveConnection(member);
            return connection != null && connection.isAlive();
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }
}
