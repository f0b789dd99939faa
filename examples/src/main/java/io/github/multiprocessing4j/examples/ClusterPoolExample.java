package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.cluster.Cluster;
import io.github.multiprocessing4j.cluster.LocalCluster;

/**
 * The talk's {@code pool_example.py} ({@link PoolExample}) on a cluster of two Hazelcast members started on
 * this machine: the code that uses the pool is the same; only the line that builds it differs. Each task
 * runs in a worker JVM of a member, so a worker's parent is a member, not this program.
 */
public final class ClusterPoolExample {
    private ClusterPoolExample() {}

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        System.out.println("Main process: " + ProcessHandle.current().pid());
        try (LocalCluster local = LocalCluster.start(2);
             Cluster cluster = local.connect()) {
            for (ProcessInfo member : local.members()) {
                System.out.println("Cluster " + member.name() + " pid " + member.pid());
            }
            try (Pool p = cluster.poolBuilder().build()) { // the one line that differs from PoolExample
                PoolExample.useThePool(p);
            }
        }
    }
}
