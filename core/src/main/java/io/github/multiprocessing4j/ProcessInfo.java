package io.github.multiprocessing4j;

import java.util.Objects;

/**
 * The name and operating-system pid of a process, as returned by {@link Multiprocessing#currentProcess()}
 * and {@link Multiprocessing#parentProcess()}.
 *
 * @param name the process name: {@code MainProcess} in the root JVM, otherwise the name its parent gave it
 * @param pid the operating-system process id
 */
public record ProcessInfo(String name, long pid) implements java.io.Serializable {
    public ProcessInfo {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
