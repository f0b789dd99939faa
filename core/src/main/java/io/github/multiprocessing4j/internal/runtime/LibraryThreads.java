package io.github.multiprocessing4j.internal.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Every thread the library starts comes from here: daemon threads (they never keep a JVM alive) that
 * inherit nothing from the thread that happened to create them, so no inheritable thread local (such as a
 * test's {@code FailureWatch}) leaks into work done on behalf of everyone.
 *
 * <p>Two shared executors serve the whole library: {@link #events()} for short callbacks that must not run
 * on a caller's thread or on the JDK's process-reaper thread (exit callbacks, socket sends that an
 * interrupt must not close), and {@link #timer()} for deadlines (task timeouts, start timeouts). Threads
 * with a long life of their own (an accept loop, a connection's reader, an output pump) are made with
 * {@link #start}.
 *
 * <p>The threads belong to a thread group of the library's own, under the JVM's root group, not to the
 * group of whoever made the first one: a launcher that ends "its" threads by interrupting its group and
 * waiting for them ({@code mvn exec:java} waits 15 s per thread) leaves them alone. They are daemons and
 * end with the JVM.
 */
public final class LibraryThreads {
    private static final ThreadGroup GROUP = new ThreadGroup(rootGroup(), "multiprocessing4j");
    private static final ExecutorService EVENTS = Executors.newCachedThreadPool(factory("mp4j-events"));
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(factory("mp4j-timer"));

    private LibraryThreads() {}

    /** A daemon thread, not started, that inherits no inheritable thread locals from its creator. */
    public static Thread newThread(Runnable body, String name) {
        Thread thread = new Thread(GROUP, body, name, 0, false);
        thread.setDaemon(true);
        return thread;
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    /** Starts {@code body} on a new library thread and returns that thread. */
    public static Thread start(Runnable body, String name) {
        Thread thread = newThread(body, name);
        thread.start();
        return thread;
    }

    /** A factory of library threads, all named {@code name}. */
    public static ThreadFactory factory(String name) {
        return body -> newThread(body, name);
    }

    /** The shared executor for short callbacks. */
    public static ExecutorService events() {
        return EVENTS;
    }

    /** The shared timer for deadlines. */
    public static ScheduledExecutorService timer() {
        return TIMER;
    }
}
