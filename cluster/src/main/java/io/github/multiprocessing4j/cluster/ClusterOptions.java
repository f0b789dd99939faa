package io.github.multiprocessing4j.cluster;

import io.github.multiprocessing4j.cluster.internal.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a client reaches a cluster: the members' addresses, the cluster's name and key, and the bounds on
 * waiting for it. Immutable; made by {@link #builder()}, changed with {@link #toBuilder()}.
 *
 * <p>Defaults: cluster name {@code mp4j}, connect timeout 10 s (Hazelcast's own default waits forever), a
 * member that does not answer the client's heartbeat for 3 s is treated as lost. Addresses and the key have
 * no default.
 */
public final class ClusterOptions {
    private final List<String> addresses;
    private final String clusterName;
    private final byte[] key;
    private final Duration connectTimeout;
    private final Duration heartbeatTimeout;

    private ClusterOptions(Builder builder) {
        this.addresses = List.copyOf(builder.addresses);
        this.clusterName = builder.clusterName;
        this.key = builder.key.clone();
        this.connectTimeout = builder.connectTimeout;
        this.heartbeatTimeout = builder.heartbeatTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.addresses.addAll(addresses);
        builder.clusterName = clusterName;
        builder.key = key.clone();
        builder.connectTimeout = connectTimeout;
        builder.heartbeatTimeout = heartbeatTimeout;
        return builder;
    }

    public List<String> addresses() {
        return addresses;
    }

    public String clusterName() {
        return clusterName;
    }

    byte[] key() {
        return key.clone();
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    @Override
    public String toString() {
        return "ClusterOptions[cluster " + clusterName + " at " + addresses + ", connect timeout " + connectTimeout
                + ", heartbeat timeout " + heartbeatTimeout + "]";
    }

    /** Builds {@link ClusterOptions}; every setter rejects a bad value at once. */
    public static final class Builder {
        private final List<String> addresses = new ArrayList<>();
        private String clusterName = "mp4j";
        private byte[] key;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration heartbeatTimeout = Duration.ofSeconds(3);

        private Builder() {}

        /** Members to connect to first, as {@code host:port}; the client learns the others from them. */
        public Builder addresses(String... hostPorts) {
            for (String hostPort : hostPorts) {
                Objects.requireNonNull(hostPort, "hostPort");
                int colon = hostPort.lastIndexOf(':');
                if (colon <= 0 || colon == hostPort.length() - 1) {
                    throw new IllegalArgumentException("address must be host:port but was " + hostPort);
                }
                addresses.add(hostPort);
            }
            return this;
        }

        public Builder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cluster name must not be blank but was '" + name + "'");
            }
            this.clusterName = name;
            return this;
        }

        /** The cluster's secret key, the same bytes every member was started with (at least 16). */
        public Builder key(byte[] key) {
            Objects.requireNonNull(key, "key");
            if (key.length < Signatures.MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("key must have at least " + Signatures.MIN_KEY_LENGTH
                        + " bytes but had " + key.length);
            }
            this.key = key.clone();
            return this;
        }

        /** Reads the key from a file, as members do with {@code --key-file}. */
        public Builder keyFile(Path file) {
            try {
                return key(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster key from " + file, e);
            }
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout, "connectTimeout");
            return this;
        }

        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = requirePositive(timeout, "heartbeatTimeout");
            return this;
        }

        public ClusterOptions build() {
            if (addresses.isEmpty()) {
                throw new IllegalStateException("addresses were not set: give at least one member's host:port");
            }
            if (key == null) {
                throw new IllegalStateException("key was not set: give the cluster's key or key file");
            }
            return new ClusterOptions(this);
        }

        private static Duration requirePositive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + timeout);
            }
            return timeout;
        }
    }
}
