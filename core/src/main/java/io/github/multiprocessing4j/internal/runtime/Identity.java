package io.github.multiprocessing4j.internal.runtime;

import io.github.multiprocessing4j.ProcessInfo;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who this JVM is in the process tree: {@code MainProcess} with no parent in the root; in a child, the name
 * its parent gave it and the parent's name and pid, set once by the child's main before any user code runs.
 * The root's pid is looked up on first use only, so a child never pays for the JDK's process handle at
 * start-up (its parent tells it its pid).
 */
public final class Identity {
    private static volatile ProcessInfo current;
    private static volatile ProcessInfo parent;
    private static volatile boolean child;
    private static final AtomicInteger processCounter = new AtomicInteger();
    private static final AtomicInteger workerCounter = new AtomicInteger();

    private Identity() {}

    public static void becomeChild(String name, long pid, ProcessInfo parentInfo) {
        current = new ProcessInfo(name, pid);
        parent = parentInfo;
        child = true;
    }

    public static ProcessInfo current() {
        ProcessInfo self = current;
        if (self == null) {
            synchronized (Identity.class) {
                if (current == null) {
                    current = new ProcessInfo("MainProcess", ProcessHandle.current().pid());
                }
                self = current;
            }
        }
        return self;
    }

    public static Optional<ProcessInfo> parent() {
        return Optional.ofNullable(parent);
    }

    /**
     * The next default name for a child of this JVM: {@code Process-1}, {@code Process-2}, … in the root,
     * and {@code Process-1:1}, {@code Process-1:2}, … in a child named {@code Process-1}, as Python does.
     */
    public static String nextProcessName() {
        int n = processCounter.incrementAndGet();
        return child ? current().name() + ":" + n : "Process-" + n;
    }

    /** The next default name for a pool worker of this JVM: {@code PoolWorker-1}, … */
    public static String nextWorkerName() {
        return (child ? current().name() + ":" : "") + "PoolWorker-" + workerCounter.incrementAndGet();
    }
}
