package io.github.multiprocessing4j.internal.runtime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The library's one shutdown hook, running the steps of a JVM's exit in a fixed order. The JDK runs
 * shutdown hooks concurrently and in no set order, so the library registers a single hook and orders the
 * steps here:
 * <ol>
 * <li>{@link Step#WARN_UNCLOSED}: pools never closed are reported, with the work their end drops;</li>
 * <li>{@link Step#HAND_OVER_PIPES}: pipe inboxes kept here go to processes that still use them (bounded in
 *     time);</li>
 * <li>{@link Step#DELIVER_SENDS}: puts and sends still on their way to other processes' shared objects are
 *     delivered, and those processes are told this one exits normally (bounded in time);</li>
 * <li>{@link Step#END_CHILDREN}: daemon children are killed, the others waited for, as Python does; nothing
 *     new is launched from here on;</li>
 * <li>{@link Step#RELEASE_SHARED_MEMORY}: shared-memory blocks created here are unlinked, once no child can
 *     still attach them;</li>
 * <li>{@link Step#CLOSE_HUB}: this JVM's shared-object hub stops listening and closes its connections, whose
 *     threads would otherwise sit in a socket read, which makes HotSpot's exit wait about 300 ms (measured on
 *     JDK 17 here).</li>
 * </ol>
 * A step that throws does not stop the steps after it. A JVM that dies without running hooks ({@code kill
 * -9}, a crash, {@code Runtime.halt}) runs none of this; each subsystem copes with that on its own (children
 * notice their parent's channel close; shared memory of dead creators is reaped on the next use).
 */
public final class ExitSequence {
    /** The steps, in the order they run. */
    public enum Step { WARN_UNCLOSED, HAND_OVER_PIPES, DELIVER_SENDS, END_CHILDREN, RELEASE_SHARED_MEMORY, CLOSE_HUB }

    /* Accessed only while holding ExitSequence.class. */
    private static final Map<Step, List<Runnable>> steps = new EnumMap<>(Step.class);
    private static boolean hookAdded;
    private static boolean running;
    /** The signal that started this exit ("SIGTERM"), or null; written before the steps run. */
    private static volatile String signal;

    private ExitSequence() {}

    /**
     * Adds {@code action} to {@code step}. Actions of one step run in the order they were added. An action
     * added once the exit has begun is ignored: it is too late for it.
     */
    public static synchronized void add(Step step, Runnable action) {
        if (running) {
            return;
        }
        if (!hookAdded) {
            hookAdded = true;
            Runtime.getRuntime().addShutdownHook(LibraryThreads.newThread(ExitSequence::run, "mp4j-exit"));
        }
        steps.computeIfAbsent(step, ignored -> new ArrayList<>()).add(action);
    }

    /**
     * The signal this JVM is exiting on, such as {@code "SIGTERM"} ({@code terminate()}, {@code kill}, a
     * Ctrl-C), or null for an exit of its own ({@code System.exit}, the last non-daemon thread ending).
     * Meaningful once the exit has begun. A process that is terminated has not exited normally: what it
     * held is taken back.
     */
    public static String exitSignal() {
        return signal;
    }

    /**
     * HotSpot runs a signal's handler on a new thread named after it ({@code "SIGTERM handler"}), which
     * waits in {@code Runtime.exit} while the hooks run: its presence tells a signalled exit from a normal one.
     */
    static String signalHandlerRunning() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (name.startsWith("SIG") && name.endsWith(" handler")) {
                return name.substring(0, name.length() - " handler".length());
            }
        }
        return null;
    }

    private static void run() {
        signal = signalHandlerRunning();
        Map<Step, List<Runnable>> toRun;
        synchronized (ExitSequence.class) {
            running = true;
            toRun = new EnumMap<>(steps);
        }
        for (List<Runnable> actions : toRun.values()) {
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    System.err.println("multiprocessing4j: a step of this JVM's exit failed: " + e);
                }
            }
        }
    }
}
