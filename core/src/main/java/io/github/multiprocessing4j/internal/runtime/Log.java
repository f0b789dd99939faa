package io.github.multiprocessing4j.internal.runtime;

/**
 * The library's loggers: {@link System.Logger}s, so the library needs no logging dependency and a user
 * routes its lines wherever the rest of the application's go (to {@code java.util.logging} by default, to
 * SLF4J or Log4j through their {@code System.LoggerFinder} bridges).
 *
 * <p>The names are stable, for configuration: {@value #POOL} (workers starting, dying and being replaced,
 * task timeouts, broken pools) and {@value #LAUNCH} (child JVMs and warm spares). Normal operation logs at
 * {@code DEBUG} and below; an abnormal event logs one line at {@code WARNING} or {@code ERROR}, so the
 * library is quiet at the usual {@code INFO} threshold until something goes wrong.
 *
 * <p>Loggers are looked up on first use, never while a child JVM starts: a child that logs nothing does
 * not pay for the logging framework's initialization.
 */
public final class Log {
    /** The pool's logger name. */
    public static final String POOL = "io.github.multiprocessing4j.pool";
    /** The launcher's logger name. */
    public static final String LAUNCH = "io.github.multiprocessing4j.launch";

    private Log() {}

    /** Workers and tasks of pools. */
    public static System.Logger pool() {
        return PoolHolder.LOGGER;
    }

    /** Child JVMs and spares. */
    public static System.Logger launch() {
        return LaunchHolder.LOGGER;
    }

    private static final class PoolHolder {
        static final System.Logger LOGGER = System.getLogger(POOL);
    }

    private static final class LaunchHolder {
        static final System.Logger LOGGER = System.getLogger(LAUNCH);
    }
}
