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
 * <p>Defaults: the same {@code java} binary and class path as this JVM (also when this JVM was started from a
 * Spring Boot executable jar, by {@code mvn exec:java} or by Surefire with {@code forkCount=0}: the child
 * then gets the class path of the loader that loaded the library, and a module path with the same patches,
 * reads and opens as this JVM's); assertions enabled in the child
 * exactly when they are enabled here; the JVM's default heap; this JVM's environment and working
 * directory; child output copied line by line to this JVM's {@code System.out} / {@code System.err}
 * (so test runners capture it); a start timeout of 60 seconds.
 */
public final class JvmOptions {
    private static final JvmOptions DEFAULTS = builder().build();
    private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgGtT]?");
    /** HotSpot refuses a smaller maximum heap ("Too small maximum heap", or a GC before it is up at 2m). */
    private static final long MIN_HEAP_BYTES = 3L << 20;

    private final String maxHeap;
    private final List<String> jvmArgs;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final boolean inheritIO;
    private final Duration startTimeout;
    private final List<Path> classPath;

    private JvmOptions(Builder builder) {
        this.maxHeap = builder.maxHeap;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.systemProperties = Map.copyOf(builder.systemProperties);
        this.environment = Map.copyOf(builder.environment);
        this.workingDirectory = builder.workingDirectory;
        this.inheritIO = builder.inheritIO;
        this.startTimeout = builder.startTimeout;
        this.classPath = List.copyOf(builder.classPath);
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
        builder.classPath.addAll(classPath);
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

    /** The child's class path when given explicitly; empty to mirror this JVM's (the default). */
    public List<Path> classPath() {
        return classPath;
    }

    private static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        int shift = "kmgt".indexOf(unit) < 0 ? 0 : 10 * ("kmgt".indexOf(unit) + 1);
        String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
        if (digits.length() > 15) {
            return Long.MAX_VALUE;
        }
        long value = Long.parseLong(digits);
        return value > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : value << shift;
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
        private final List<Path> classPath = new ArrayList<>();

        private Builder() {}

        /** Maximum heap, as for {@code -Xmx}: a number with an optional k, m, g or t suffix. */
        public Builder maxHeap(String size) {
            Objects.requireNonNull(size, "size");
            if (!HEAP_SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("maxHeap must look like 512m or 2g but was '" + size + "'");
            }
            if (bytes(size) < MIN_HEAP_BYTES) {
                throw new IllegalArgumentException("maxHeap must be at least 3m (a JVM does not start with less) but was '"
                        + size + "'" + (size.matches("[0-9]+") ? ", which is in bytes as for -Xmx; say 512m for megabytes" : ""));
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

        /**
         * The child's class path, replacing the one mirrored from this JVM: for launchers whose class path
         * cannot be read (a warning at {@code start()} says so). Entries are made absolute. The library and
         * every class sent to the child must be on it.
         */
        public Builder classPath(List<Path> entries) {
            Objects.requireNonNull(entries, "entries");
            List<Path> checked = new ArrayList<>();
            for (Path entry : entries) {
                checked.add(Objects.requireNonNull(entry, "class path entry").toAbsolutePath());
            }
            if (checked.isEmpty()) {
                throw new IllegalArgumentException("classPath needs at least one entry but was empty");
            }
            classPath.clear();
            classPath.addAll(checked);
            return this;
        }

        public JvmOptions build() {
            return new JvmOptions(this);
        }
    }
}
