package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.runtime.Identity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Module-level functions of Python's {@code multiprocessing}: who am I, who is my parent, which children are
 * running, how many CPUs there are.
 */
public final class Multiprocessing {
    private static final Set<Process> children = ConcurrentHashMap.newKeySet();

    private Multiprocessing() {}

    /** This JVM: {@code MainProcess} in the root, otherwise the name its parent gave it, and its pid. */
    public static ProcessInfo currentProcess() {
        return Identity.current();
    }

    /** The JVM that started this one, or empty in the root JVM. */
    public static Optional<ProcessInfo> parentProcess() {
        return Identity.parent();
    }

    /**
     * The {@link Process} children of this JVM that are still running. Pool workers are owned by their pool
     * and not listed here.
     */
    public static List<Process> activeChildren() {
        return children.stream().filter(Process::isAlive).toList();
    }

    /** The number of processors available to this JVM. */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    static void register(Process process) {
        children.add(process);
    }

    static void unregister(Process process) {
        children.remove(process);
    }
}
