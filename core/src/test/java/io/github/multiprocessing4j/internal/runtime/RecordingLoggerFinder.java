package io.github.multiprocessing4j.internal.runtime;

import java.util.ArrayDeque;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Predicate;

/**
 * The {@link System.LoggerFinder} of the core tests (registered in {@code META-INF/services}): it keeps
 * every record the library logs, at every level, in memory, where a test reads what a user's logging
 * framework would have received. Records at WARNING and above are also printed to {@code System.err}, as the
 * JDK's default backend would, so a test that reads a child program's stderr sees them too. Other loggers
 * (the JDK's own) log nothing, so they cannot fill the bounded store.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
    /** One logged line. */
    public record LogRecord(String logger, System.Logger.Level level, String message) {}

    /** The newest records are kept: a test reads those of its own workload. */
    private static final int MAX_RECORDS = 50_000;
    /* Accessed only while holding RECORDS. */
    private static final ArrayDeque<LogRecord> RECORDS = new ArrayDeque<>();

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Recording(name, name.startsWith("io.github.multiprocessing4j"));
    }

    /** The records kept so far that match, oldest first. */
    public static List<LogRecord> records(Predicate<LogRecord> filter) {
        synchronized (RECORDS) {
            return RECORDS.stream().filter(filter).toList();
        }
    }

    private record Recording(String name, boolean ours) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return ours;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (!ours) {
                return;
            }
            synchronized (RECORDS) {
                if (RECORDS.size() == MAX_RECORDS) {
                    RECORDS.removeFirst();
                }
                RECORDS.addLast(new LogRecord(name, level, message));
            }
            if (level.getSeverity() >= Level.WARNING.getSeverity()) {
                System.err.println(level + ": " + message);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!ours) {
                return;
            }
            log(level, bundle, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params), (Throwable) null);
        }
    }
}
