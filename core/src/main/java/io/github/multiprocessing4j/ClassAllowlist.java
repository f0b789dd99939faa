package io.github.multiprocessing4j;

import java.util.List;
import java.util.Objects;

/**
 * The classes a {@link Manager}'s TCP entrance accepts in what clients send (arguments of proxy calls,
 * items, requests), besides those always accepted: the JDK's value types and collections (the serializable
 * classes of {@code java.lang}, {@code java.util}, {@code java.util.concurrent}, {@code java.time},
 * {@code java.math}, {@code java.net}, and serializable lambdas, whose capturing class is checked) and
 * this library's own classes. A class outside the list is refused as its descriptor is read, before any
 * of its code runs (no static initializer, {@code readObject}, {@code readResolve} or {@code hashCode}); the
 * call fails with a {@link SerializationException} naming the class and the connection stays open.
 *
 * <p>Patterns use the syntax of the JDK's {@code jdk.serialFilter}: {@code com.example.Point} (one class),
 * {@code com.example.model.*} (the classes of one package), {@code com.example.**} (a package and its
 * subpackages). Arrays are accepted when their element class is.
 *
 * <p><b>With {@code jdk.serialFilter}.</b> A JVM-wide filter, when set, is consulted as well: it can refuse a
 * class this list accepts, but cannot accept a class this list refuses.
 *
 * <p>{@link Manager#listen(java.net.InetAddress, int, byte[])} uses {@link #jdkAndLibraryOnly()} on any
 * address but loopback, and {@link #any()} on loopback.
 *
 * <h2>Comparison with Python</h2>
 * Python has no counterpart: a {@code multiprocessing.managers} server unpickles whatever an authenticated
 * client sends, and unpickling can run any code, so the {@code authkey} is the whole of the protection.
 * Python programs that need more wrap the connection themselves (a restricted {@code Unpickler} subclass
 * whose {@code find_class} refuses classes), which is what this list does for a {@link Manager}.
 */
public final class ClassAllowlist {
    private static final ClassAllowlist ANY = new ClassAllowlist(null);

    /** Null for any class. */
    private final List<String> patterns;

    private ClassAllowlist(List<String> patterns) {
        this.patterns = patterns;
    }

    /**
     * The always accepted classes and those matching {@code patterns}.
     *
     * @param patterns class names, {@code package.*} or {@code package.**}, as in {@code jdk.serialFilter}
     * @return the allowlist
     * @throws IllegalArgumentException if a pattern is empty, contains {@code /}, {@code ;} or {@code !}, or
     *         has a {@code *} anywhere but at its end after a dot
     */
    public static ClassAllowlist of(String... patterns) {
        Objects.requireNonNull(patterns, "patterns");
        for (String pattern : patterns) {
            Objects.requireNonNull(pattern, "pattern");
            String body = pattern.endsWith(".**") ? pattern.substring(0, pattern.length() - 3)
                    : pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            if (body.isEmpty() || body.contains("*") || body.contains("/") || body.contains(";") || body.contains("!")) {
                throw new IllegalArgumentException("a pattern must be a class name, package.* or package.** but was '"
                        + pattern + "'");
            }
        }
        return new ClassAllowlist(List.of(patterns));
    }

    /**
     * Only the always accepted classes: the JDK's value types and collections, and this library's.
     *
     * @return the allowlist that accepts nothing beyond the always accepted classes
     */
    public static ClassAllowlist jdkAndLibraryOnly() {
        return of();
    }

    /**
     * Every class: no allowlist (the JVM-wide {@code jdk.serialFilter} still applies).
     *
     * @return the allowlist that accepts every class
     */
    public static ClassAllowlist any() {
        return ANY;
    }

    /** Whether the list names {@code type} (the always accepted classes aside); true for {@link #any()}. */
    boolean permits(Class<?> type) {
        if (patterns == null) {
            return true;
        }
        String name = type.getName();
        String packageName = type.getPackageName();
        for (String pattern : patterns) {
            if (pattern.endsWith(".**")) {
                String prefix = pattern.substring(0, pattern.length() - 3);
                if (packageName.equals(prefix) || packageName.startsWith(prefix + ".")) {
                    return true;
                }
            } else if (pattern.endsWith(".*")) {
                if (packageName.equals(pattern.substring(0, pattern.length() - 2))) {
                    return true;
                }
            } else if (name.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    boolean isAny() {
        return patterns == null;
    }

    @Override
    public String toString() {
        return patterns == null ? "ClassAllowlist.any()" : "ClassAllowlist.of(" + String.join(", ", patterns) + ")";
    }
}
