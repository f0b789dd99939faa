package io.github.multiprocessing4j.examples;

import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.cluster.Cluster;
import io.github.multiprocessing4j.cluster.LocalCluster;
import java.util.List;

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
                AsyncResult<Void> r = p.applyAsync(PoolExample::getIdPrint);
                r.get();

                AsyncResult<List<Long>> r2 = p.applyAsync(PoolExample::getIdReturn);
                List<Long> vals = r2.get();
                System.out.println("List of ids: " + vals);
                System.out.println("Parent id: " + vals.get(0));
                System.out.println("Current id: " + vals.get(1));

                AsyncResult<Integer> r3 = p.applyAsync(PoolExample::f, 3);
                System.out.println("f(3) = " + r3.get());

                List<Integer> r4 = p.map(PoolExample::f, List.of(1, 2, 3));
                System.out.println("map(f, [1, 2, 3]) = " + r4);

                List<List<Long>> r5 = p.map(PoolExample::id, List.of(1, 1, 1));
                for (List<Long> ran : r5) {
                    System.out.println("id(" + ran.get(0) + ") ran in " + ran.get(2) + ", child of " + ran.get(1));
                }
            }
        }
    }
}
