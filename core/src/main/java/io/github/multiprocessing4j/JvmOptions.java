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
 * exactly when they are enabled here; the JVM's default heap, in transparent huge pages
 * ({@code -XX:+UseTransparentHugePages}) where the Linux kernel gives them on request (its mode
 * {@code madvise}) and neither the JVM arguments nor {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or
 * {@code _JAVA_OPTIONS} make a choice of their own about huge or large pages (pass
 * {@code -XX:-UseTransparentHugePages} to decline: a child then needs about 10 MiB less memory, and touches
 * fresh heap more slowly); this JVM's environment and working
 * directory; child output copied line by line to this JVM's {@code System.out} / {@code System.err}
 * (so test runners capture it); a start timeout of 60 seconds.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's nearest knobs are {@code multiprocessing.set_executable()} (which interpreter starts the
 *     children) and the start method; a spawned child gets the parent's {@code sys.path}, environment and
 *     working directory, as a child JVM gets this JVM's class path, environment and directory here.</li>
 * <li>Python has no per-child heap limit, flags, environment or working directory: users set
 *     {@code os.environ} before {@code start()}, or call {@code resource.setrlimit} and {@code os.chdir} in
 *     the target or initializer. Here each is an option, applied before the child runs any code.</li>
 * <li>Python's children write straight to the inherited stdout and stderr ({@link Builder#inheritIO}
 *     {@code (true)} here); by default this library copies their lines through this JVM, so test runners and
 *     logs capture them.</li>
 * <li>Python has no start timeout: {@code start()} does not wait for the child to boot, and a child that hangs
 *     while booting is noticed only by whoever joins it or waits for its results.</li>
 * </ul>
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

    /**
     * The options every process and pool uses unless given others: see the class description.
     *
     * @return the shared default options
     */
    public static JvmOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a set of options from the defaults.
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

    /**
     * The {@code -Xmx} value, such as {@code 256m}, or null for the JVM's default.
     *
     * @return the maximum heap, or null
     */
    public String maxHeap() {
        return maxHeap;
    }

    /**
     * The extra JVM flags, in the order given, passed before the main class.
     *
     * @return the flags, such as {@code -XX:+UseSerialGC}; empty by default
     */
    public List<String> jvmArgs() {
        return jvmArgs;
    }

    /**
     * The system properties set in the child with {@code -D}, on top of those the library sets.
     *
     * @return the properties by key; empty by default
     */
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    /**
     * Variables added to (or replacing those of) this JVM's environment.
     *
     * @return the variables by name; empty by default
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The child's working directory, or null for this JVM's.
     *
     * @return the directory, or null
     */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /**
     * Whether the child writes straight to this JVM's stdout and stderr instead of through it.
     *
     * @return true if the child's output is inherited; false (the default) to copy it line by line
     */
    public boolean inheritIO() {
        return inheritIO;
    }

    /**
     * How long a child may take from launch to connecting back before it is killed and reported.
     *
     * @return the timeout, 60 seconds by default
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The child's class path when given explicitly; empty to mirror this JVM's (the default).
     *
     * @return the entries, absolute; empty by default
     */
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

        /**
         * Maximum heap, as for {@code -Xmx}: a number with an optional k, m, g or t suffix.
         *
         * @param size the heap size, such as {@code 512m} or {@code 2g}; a bare number counts bytes, as {@code -Xmx}
         *     does
         * @return this builder
         * @throws IllegalArgumentException if {@code size} is not such a number or is below 3m, the least a JVM starts
         *     with
         */
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

        /**
         * Adds JVM flags such as {@code -XX:+UseSerialGC}, passed before the main class.
         *
         * @param args the flags, each starting with {@code -}; added after those given before
         * @return this builder
         * @throws IllegalArgumentException if an argument does not start with {@code -}
         */
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

        /**
         * Sets a system property in the child, as {@code -Dkey=value}; a second call with the same key replaces the
         * value.
         *
         * @param key the property's name; not empty, without {@code =}
         * @param value its value; may be empty
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is empty or contains {@code =}
         */
        public Builder systemProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty() || key.contains("=")) {
                throw new IllegalArgumentException("system property key must be non-empty and without '=' but was '" + key + "'");
            }
            systemProperties.put(key, value);
            return this;
        }

        /**
         * Sets an environment variable of the child, added to (or replacing one of) this JVM's environment.
         *
         * @param name the variable's name
         * @param value its value; may be empty
         * @return this builder
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            environment.put(name, value);
            return this;
        }

        /**
         * Sets the child's working directory (by default this JVM's), against which its relative paths resolve.
         *
         * @param directory the directory; it must exist when the child starts
         * @return this builder
         */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Let the child write straight to this JVM's stdout and stderr (not captured by test runners).
         *
         * @param inherit true to inherit the output; false (the default) to copy it line by line through this JVM
         * @return this builder
         */
        public Builder inheritIO(boolean inherit) {
            this.inheritIO = inherit;
            return this;
        }

        /**
         * Sets how long a child may take from launch to connecting back before it is killed and
         * {@link ProcessStartException} is thrown.
         *
         * @param timeout the time allowed; positive (60 seconds by default)
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
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
         *
         * @param entries the class path entries, in order; at least one
         * @return this builder
         * @throws IllegalArgumentException if {@code entries} is empty
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

        /**
         * Makes the options; the builder can go on being used for others.
         *
         * @return immutable options
         */
        public JvmOptions build() {
            return new JvmOptions(this);
        }
    }
}
