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
 * <li>{@link Step#DELIVER_SENDS}: puts and sends still on their way to other processes' shared objects are
 *     delivered, and those processes are told this one exits normally (bounded in time);</li>
 * <li>{@link Step#END_CHILDREN}: daemon children are killed, the others waited for, as Python does; nothing
 *     new is launched from here on;</li>
 * <li>{@link Step#RELEASE_SHARED_MEMORY}: shared-memory blocks created here are unlinked, once no child can
 *     still attach them.</li>
 * </ol>
 * A step that throws does not stop the steps after it. A JVM that dies without running hooks ({@code kill
 * -9}, a crash, {@code Runtime.halt}) runs none of this; each subsystem copes with that on its own (children
 * notice their parent's channel close; shared memory of dead creators is reaped on the next use).
 */
public final class ExitSequence {
    /** The steps, in the order they run. */
    public enum Step { WARN_UNCLOSED, DELIVER_SENDS, END_CHILDREN, RELEASE_SHARED_MEMORY }

    /* Accessed only while holding ExitSequence.class. */
    private static final Map<Step, List<Runnable>> steps = new EnumMap<>(Step.class);
    private static boolean hookAdded;
    private static boolean running;

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

    private static void run() {
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
