/**
 * multiprocessing4j: Python's {@code multiprocessing} for the JVM. Only the public package is exported;
 * everything under {@code internal} is implementation, exported only to our own cluster module, which runs
 * the same pool on members of a Hazelcast cluster.
 */
@SuppressWarnings("module") // the cluster module is built after this one
module io.github.multiprocessing4j.core {
    // Flight Recorder events for pools (in every JDK build that has JFR; see internal.pool.PoolEvents).
    requires jdk.jfr;

    exports io.github.multiprocessing4j;
    exports io.github.multiprocessing4j.internal.pool to io.github.multiprocessing4j.cluster;
    exports io.github.multiprocessing4j.internal.worker to io.github.multiprocessing4j.cluster;
    exports io.github.multiprocessing4j.internal.wire to io.github.multiprocessing4j.cluster;
    exports io.github.multiprocessing4j.internal.codec to io.github.multiprocessing4j.cluster;
    exports io.github.multiprocessing4j.internal.runtime to io.github.multiprocessing4j.cluster;
}
