package io.github.multiprocessing4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to launch a child JVM: heap, extra JVM flags, system properties, environment, working directory and
 * output handling. Immutable; build one with {@link #builder()} or derive one with {@link #toBuilder()}.
 *
 * <p>Defaults: the same {@code java} binary and class path as this JVM; assertions enabled in the child
 * exactly when they are enabled here; the JVM's default heap; this JVM's environment and working
 * directory; child output copied line by line to this JVM's {@code System.out} / {@code System.err}
 * (so test runners capture it); a start timeout of 60 seconds.
 */
public final class JvmOptions {
    private static final JvmOptions DEFAULTS = builder().build();
    private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgGtT]?");

    private final String maxHeap;
    private final List<String> jvmArgs;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final boolean inheritIO;
    private final Duration startTimeout;

    private JvmOptions(Builder builder) {
        this.maxHeap = builder.maxHeap;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.systemProperties = Map.copyOf(builder.systemProperties);
        this.environment = Map.copyOf(builder.environment);
        this.workingDirectory = builder.workingDirectory;
        this.inheritIO = builder.inheritIO;
        this.startTimeout = builder.startTimeout;
    }

    public static JvmOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.maxHeap = maxHeap;
        builder.jvmArgs.addAll(jvmArgs);
        builder.systemProperties.putAll(systemProperties);
        builder.environment.putAll(environment);
        builder.workingDirectory = workingDirectory;
        builder.inheritIO = inheritIO;
        builder.startTimeout = startTimeout;
        return builder;
    }

    /** The {@code -Xmx} value, such as {@code 256m}, or null for the JVM's default. */
    public String maxHeap() {
        return maxHeap;
    }

    public List<String> jvmArgs() {
        return jvmArgs;
    }

    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    /** Variables added to (or replacing those of) this JVM's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The child's working directory, or null for this JVM's. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** Whether the child writes straight to this JVM's stdout and stderr instead of through it. */
    public boolean inheritIO() {
        return inheritIO;
    }

    /** How long a child may take from launch to connecting back before it is killed and reported. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** Validating builder; every setter rejects bad values with the value it was given. */
    public static final class Builder {
        private String maxHeap;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private boolean inheritIO;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** Maximum heap, as for {@code -Xmx}: a number with an optional k, m, g or t suffix. */
        public Builder maxHeap(String size) {
            Objects.requireNonNull(size, "size");
            if (!HEAP_SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("maxHeap must look like 512m or 2g but was '" + size + "'");
            }
            this.maxHeap = size;
            return this;
        }

        /** Adds JVM flags such as {@code -XX:+UseSerialGC}, passed before the main class. */
        public Builder jvmArgs(String... args) {
            for (String arg : args) {
                Objects.requireNonNull(arg, "jvm argument");
                if (!arg.startsWith("-")) {
                    throw new IllegalArgumentException("JVM arguments must start with '-' but got '" + arg + "'");
                }
                jvmArgs.add(arg);
            }
            return this;
        }

        public Builder systemProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty() || key.contains("=")) {
                throw new IllegalArgumentException("system property key must be non-empty and without '=' but was '" + key + "'");
            }
            systemProperties.put(key, value);
            return this;
        }

        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            environment.put(name, value);
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Let the child write straight to this JVM's stdout and stderr (not captured by test runners). */
        public Builder inheritIO(boolean inherit) {
            this.inheritIO = inherit;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive but was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        public JvmOptions build() {
            return new JvmOptions(this);
        }
    }
}
