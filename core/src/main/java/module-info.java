/**
 * multiprocessing4j: Python's {@code multiprocessing} for the JVM. Only the public package is exported;
 * everything under {@code internal} is implementation.
 */
module io.github.multiprocessing4j.core {
    // Flight Recorder events for pools (in every JDK build that has JFR; see internal.pool.PoolEvents).
    requires jdk.jfr;

    exports io.github.multiprocessing4j;
}
