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
 *
 * <h2>Comparison with Python</h2>
 * The nearest Python counterpart is the {@code address} and {@code authkey} given to a
 * {@code multiprocessing.managers.BaseManager} to reach a remote manager. Python has no connect or heartbeat
 * timeout there: a connection attempt to a dead host waits for the operating system's TCP timeout, and a
 * manager that stops answering is noticed only when a call fails.
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

    /**
     * Starts a set of options with the defaults above; addresses and a key must still be given.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive a changed copy; this object stays as it is.
     *
     * @return a new builder with every option of this one
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.addresses.addAll(addresses);
        builder.clusterName = clusterName;
        builder.key = key.clone();
        builder.connectTimeout = connectTimeout;
        builder.heartbeatTimeout = heartbeatTimeout;
        return builder;
    }

    /**
     * The members the client connects to first.
     *
     * @return the addresses, as {@code host:port}
     */
    public List<String> addresses() {
        return addresses;
    }

    /**
     * The cluster's name; a client joins only members started with the same one.
     *
     * @return the name, {@code mp4j} by default
     */
    public String clusterName() {
        return clusterName;
    }

    byte[] key() {
        return key.clone();
    }

    /**
     * How long {@link Cluster#connect} waits for a member and then for the cluster's partition table.
     *
     * @return the timeout, 10 s by default
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a member may leave the client's heartbeat unanswered before it counts as lost and its tasks fail
     * (or are retried).
     *
     * @return the timeout, 3 s by default
     */
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

        /**
         * Members to connect to first, as {@code host:port}; the client learns the others from them.
         *
         * @param hostPorts the members' addresses, as {@code host:port}; added to those given before
         * @return this builder
         * @throws IllegalArgumentException if an address is not of the form {@code host:port}
         */
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

        /**
         * Sets the cluster's name, as members get it with {@code --cluster-name}.
         *
         * @param name the name; not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cluster name must not be blank but was '" + name + "'");
            }
            this.clusterName = name;
            return this;
        }

        /**
         * The cluster's secret key, the same bytes every member was started with (at least 16).
         *
         * @param key the key's bytes, at least 16; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code key} has fewer than 16 bytes
         */
        public Builder key(byte[] key) {
            Objects.requireNonNull(key, "key");
            if (key.length < Signatures.MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("key must have at least " + Signatures.MIN_KEY_LENGTH
                        + " bytes but had " + key.length);
            }
            this.key = key.clone();
            return this;
        }

        /**
         * Reads the key from a file, as members do with {@code --key-file}.
         *
         * @param file the file holding the key's bytes, at least 16
         * @return this builder
         * @throws java.io.UncheckedIOException if the file cannot be read
         * @throws IllegalArgumentException if the file holds fewer than 16 bytes
         */
        public Builder keyFile(Path file) {
            try {
                return key(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster key from " + file, e);
            }
        }

        /**
         * Sets how long {@link Cluster#connect} waits for a member and then for the cluster's partition table.
         *
         * @param timeout the time allowed; positive (10 s by default)
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long a member may leave the client's heartbeat unanswered before it counts as lost.
         *
         * @param timeout the time allowed; positive (3 s by default)
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = requirePositive(timeout, "heartbeatTimeout");
            return this;
        }

        /**
         * Makes the options.
         *
         * @return immutable options
         * @throws IllegalStateException if no address or no key was given
         */
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
