package io.github.multiprocessing4j.bench;

import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.cluster.Cluster;
import io.github.multiprocessing4j.cluster.LocalCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster figures of docs/benchmarks.md, medians as in {@link PoolBenchmark}, all in one run so the
 * local and cluster figures share the machine's state:
 *
 * <ol>
 * <li>{@code applyAsync(noop).get()} round trip on a local {@code Pool(2)} and on a cluster pool of 1, 2
 *     and 3 members of one worker each, started with {@link LocalCluster} on this machine.</li>
 * <li>{@code map(x -> x * 2)} items per second over {@value #ITEMS} ints, chunk size 1 (every item a round
 *     trip) and 100, on the same pools.</li>
 * </ol>
 *
 * <p>Members, their workers and this JVM share the machine's cores, so on a 2-core machine a second and
 * third member add JVMs competing for the same two cores, not capacity: the 1 → 2 → 3 figures there
 * measure the protocol's overhead, not scaling. Run with {@code -Dhazelcast.logging.type=none} for quiet
 * output. Usage: {@code ClusterBenchmark [runs]} (default 5).
 */
public final class ClusterBenchmark {
    private static final int ITEMS = 20_000;
    private static final int ROUND_TRIPS = 1000;

    private ClusterBenchmark() {}

    static int noop() {
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        List<Integer> items = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            items.add(i);
        }
        System.out.println("# cores: " + Runtime.getRuntime().availableProcessors()
                + " (members, their workers and this JVM all share them)");
        try (Pool local = new Pool(2)) {
            measure("local_pool2", local, items, runs);
        }
        for (int members = 1; members <= 3; members++) {
            try (LocalCluster cluster = LocalCluster.start(members);
                 Cluster client = cluster.connect();
                 Pool pool = client.poolBuilder().build()) {
                measure("cluster_" + members + "_members", pool, items, runs);
            }
        }
    }

    private static void measure(String name, Pool pool, List<Integer> items, int runs) throws Exception {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            pool.applyAsync(ClusterBenchmark::noop).get();
        }
        Medians.report(name + "_apply_round_trip",
                Medians.time(0, ROUND_TRIPS, () -> pool.applyAsync(ClusterBenchmark::noop).get()));
        for (int chunk : new int[] {1, 100}) {
            double[] map = Medians.time(1, runs, () -> pool.map(x -> x * 2, items, chunk));
            Medians.report(name + "_map_" + ITEMS + "_chunk" + chunk, map);
            System.out.printf("RESULT %s_map_chunk%d_items_per_s value=%.0f%n", name, chunk,
                    ITEMS / (Medians.median(map) / 1000));
        }
    }
}
