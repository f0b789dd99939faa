package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.pool.PoolCore;
import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Warns, when this JVM exits, about pools that were never closed: their workers are killed at exit, so
 * queued and running tasks are dropped without a result. Python warns likewise ({@code ResourceWarning}).
 * Pools are held weakly; each remembers the line of the caller that created it.
 */
final class UnclosedPools {
    private static final System.Logger LOG = System.getLogger("io.github.multiprocessing4j");
    /* Accessed only while holding UnclosedPools.class. */
    private static final Map<Pool, Entry> OPEN = new WeakHashMap<>();
    private static boolean stepAdded;

    private record Entry(PoolCore core, String createdAt) {}

    private UnclosedPools() {}

    static synchronized void register(Pool pool, PoolCore core) {
        if (!stepAdded) {
            stepAdded = true;
            ExitSequence.add(ExitSequence.Step.WARN_UNCLOSED, UnclosedPools::warn);
        }
        OPEN.put(pool, new Entry(core, callerFrame()));
        core.terminated().thenRun(() -> forget(pool));
    }

    private static synchronized void forget(Pool pool) {
        OPEN.remove(pool);
    }

    private static void warn() {
        List<Entry> open;
        synchronized (UnclosedPools.class) {
            open = new ArrayList<>(OPEN.values());
        }
        for (Entry entry : open) {
            int dropped = entry.core().unfinished();
            if (entry.core().isShutdown() && dropped == 0) {
                continue;
            }
            log("a Pool of " + entry.core().size() + " processes created at " + entry.createdAt()
                    + " was " + (entry.core().isShutdown() ? "shut down but not joined" : "never closed")
                    + " when this JVM exited: its workers are killed" + (dropped == 0 ? " (no task was pending)"
                    : " and its " + dropped + " unfinished task" + (dropped == 1 ? " is" : "s are")
                    + " dropped without a result") + ". Close the pool "
                    + "(try-with-resources, or shutdown() and join()) before main returns.");
        }
    }

    /**
     * Through the {@code io.github.multiprocessing4j} logger; but the JDK's default backend,
     * {@code java.util.logging}, resets its handlers in a shutdown hook of its own that runs at the same time
     * as this one, so with it the warning is written to {@code System.err} as it would have printed it.
     */
    private static void log(String message) {
        if (System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("sun.util.logging.")) {
            System.err.println("WARNING: multiprocessing4j: " + message);
        } else {
            LOG.log(Level.WARNING, message);
        }
    }

    /** The first frame outside the library: where the user created the pool. */
    private static String callerFrame() {
        var library = Pool.class.getProtectionDomain().getCodeSource();
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> library == null
                        ? !f.getClassName().startsWith("io.github.multiprocessing4j.")
                        : !library.equals(f.getDeclaringClass().getProtectionDomain().getCodeSource()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("an unknown place"));
    }
}
