package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Hazelcast configuration for members and clients, with the facts measured for this library: no binding to
 * every interface, no phone-home, no multicast or auto-detection, a TCP/IP member list without port
 * ranges, failure detection in seconds rather than Hazelcast's minute, a bounded first connection, and the
 * Java deserialization filter closed to everything but the library's own classes.
 */
public final class Configs {
    /** Member attribute: the member JVM's pid, so a failure can name it. */
    public static final String PID = "mp4j.pid";
    /** Member attribute: how many worker JVMs the member runs tasks in. */
    public static final String WORKERS = "mp4j.workers";
    /** Member attribute: the address the member was told to bind, as a user would name it. */
    public static final String LABEL = "mp4j.label";
    /** Executors of cluster pools are named with this prefix, one name per pool. */
    public static final String EXECUTOR_PREFIX = "mp4j-pool-";

    /** The start of the executor names of every pool of one client: the prefix, then the client's UUID. */
    public static String executorPrefixOf(UUID client) {
        return EXECUTOR_PREFIX + client + ".";
    }

    private Configs() {}

    public static Config member(String clusterName, String bind, int port, List<String> join, int workers,
            String label) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        // Members only: clients detect a lost member by its closed connection or their own 3 s heartbeat. A
        // killed member leaves sooner, on refused reconnects; 15 s keeps a starved member in the cluster.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig joinConfig = network.getJoin();
        joinConfig.getMulticastConfig().setEnabled(false);
        joinConfig.getAutoDetectionConfig().setEnabled(false);
        joinConfig.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(join));
        config.getMemberAttributeConfig().setAttribute(PID, Long.toString(ProcessHandle.current().pid()));
        config.getMemberAttributeConfig().setAttribute(WORKERS, Integer.toString(workers));
        config.getMemberAttributeConfig().setAttribute(LABEL, label);
        config.addExecutorConfig(new ExecutorConfig(EXECUTOR_PREFIX + "*")
                .setPoolSize(Math.max(16, 4 * workers)).setQueueCapacity(0).setStatisticsEnabled(false));
        closeSerialization(config.getSerializationConfig());
        return config;
    }

    public static ClientConfig client(String clusterName, List<String> addresses, Duration connectTimeout,
            Duration heartbeatTimeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(heartbeatTimeout.toMillis()));
        // How long an invocation keeps retrying a member it cannot reach (default 120 s): a member still in
        // the view but dead fails the submission in this time. A task running longer is not affected.
        config.setProperty("hazelcast.client.invocation.timeout.seconds",
                Long.toString(Math.max(1, (heartbeatTimeout.toMillis() + 999) / 1000)));
        config.getNetworkConfig().setAddresses(List.copyOf(addresses))
                .setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis())
                .setInitialBackoffMillis(100).setMaxBackoffMillis(1000);
        closeSerialization(config.getSerializationConfig());
        return config;
    }

    /** Registers the envelope factory; Java deserialization admits the library's classes only. */
    private static void closeSerialization(SerializationConfig serialization) {
        serialization.addDataSerializableFactory(EnvelopeFactory.FACTORY_ID, new EnvelopeFactory());
        ClassFilter ours = new ClassFilter().addPrefixes("io.github.multiprocessing4j.cluster.internal.");
        serialization.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                .setDefaultsDisabled(true).setWhitelist(ours));
    }
}
