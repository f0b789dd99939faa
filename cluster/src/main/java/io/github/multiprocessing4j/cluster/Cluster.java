package io.github.multiprocessing4j.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.cluster.internal.Configs;
import io.github.multiprocessing4j.cluster.internal.MemberSlots;
import io.github.multiprocessing4j.internal.pool.Pools;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection to a cluster of multiprocessing4j members (Hazelcast Platform Community Edition members
 * started with {@link ClusterMember}), from which pools are built. A pool built here is an ordinary
 * {@link Pool}: code written against {@code Pool}, {@code AsyncResult} or {@code ProcessPoolExecutor} runs
 * unchanged; only the line that builds the pool differs.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect(options);
 *      Pool pool = cluster.poolBuilder().build()) {
 *     List<Integer> doubled = pool.map(x -> x * 2, List.of(1, 2, 3), 100);
 * }
 * }</pre>
 *
 * <h2>What differs from a local pool</h2>
 * <ul>
 * <li>Tasks run in worker JVMs of the members, never in a member's own JVM: a task that calls
 *     {@code System.exit} or runs out of memory fails with a {@code WorkerDiedException} naming the member
 *     and the worker's pid, and the member keeps serving.</li>
 * <li>A member that dies or stops answering (see {@link ClusterOptions#heartbeatTimeout()}) fails the tasks
 *     it was running with a {@code WorkerDiedException} naming the member, or, with
 *     {@link #poolBuilder(int) retries}, runs them again on another member: <em>at least once</em>, so a
 *     task may have run partly or wholly on the lost member too.</li>
 * <li>{@code processes} is the number of tasks in flight across the cluster; its default is the number of
 *     worker JVMs the members had when the builder was made. Each task goes to the least loaded member,
 *     including members that join later.</li>
 * <li>{@code Pool.Builder.jvmOptions} does not apply: each member decides how its workers start.
 *     {@code Pool.workers()} lists the pool's slots, each with the pid of the member its last task ran on
 *     (-1 before its first task).</li>
 * <li>Every task travels signed with the cluster's key; a member refuses a task whose signature does not
 *     match ({@link ClusterTaskRefusedException}) without deserializing it.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code multiprocessing} stops at one machine: its managers can share a queue over TCP, but
 * spreading tasks over machines is left to the user. The nearest Python counterparts are third-party:
 * Ray's {@code ray.util.multiprocessing.Pool}, a {@code multiprocessing.Pool} look-alike whose workers run
 * on a Ray cluster ({@code ray.init(address=...)} is {@link #connect}), and Dask's
 * {@code distributed.Client(address)} with its {@code concurrent.futures}-style executor.
 */
public final class Cluster implements AutoCloseable {
    private final HazelcastInstance client;
    private final ClusterOptions options;
    /** Members a pool of this client lost (connection failed, left the cluster): not chosen again. */
    private final Set<UUID> lostMembers = ConcurrentHashMap.newKeySet();

    private Cluster(HazelcastInstance client, ClusterOptions options) {
        this.client = client;
        this.options = options;
    }

    /**
     * Connects, waiting at most {@link ClusterOptions#connectTimeout()} for a member and then for the
     * cluster's partition table.
     *
     * @param options the members' addresses, the cluster's name and key, and the timeouts
     * @return the connected client; close it when done
     * @throws IllegalStateException if no member answered in time
     */
    public static Cluster connect(ClusterOptions options) {
        Objects.requireNonNull(options, "options");
        HazelcastInstance client = HazelcastClient.newHazelcastClient(Configs.client(options.clusterName(),
                options.addresses(), options.connectTimeout(), options.heartbeatTimeout()));
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        try {
            while (client.getPartitionService().getPartitions().isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("connected to " + options.addresses()
                            + " but received no partition table within " + options.connectTimeout());
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            client.shutdown();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster's partition table", e);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        return new Cluster(client, options);
    }

    /**
     * A pool builder whose pools run on this cluster; a lost member fails its tasks.
     *
     * @return a new builder, with as many {@code processes} as the members have worker JVMs now
     */
    public Pool.Builder poolBuilder() {
        return poolBuilder(0);
    }

    /**
     * A pool builder whose pools run on this cluster and submit a task again on another member, up to
     * {@code retries} times, when the member running it is lost (at-least-once).
     *
     * @param retries how many times a task may be run again after its member was lost; 0 to fail it at once
     * @return a new builder, with as many {@code processes} as the members have worker JVMs now
     * @throws IllegalArgumentException if {@code retries} is negative
     */
    public Pool.Builder poolBuilder(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more but was " + retries);
        }
        byte[] key = options.key();
        Pool.Builder builder = Pools.builderOn(() -> new MemberSlots(client, key, retries, lostMembers));
        return builder.processes(Math.max(1, workers()));
    }

    /**
     * The members now in the cluster, each named by its address, with the pid of its JVM.
     *
     * @return a snapshot of the members, in no particular order
     */
    public List<ProcessInfo> members() {
        return client.getCluster().getMembers().stream()
                .filter(m -> m.getAttribute(Configs.PID) != null)
                .map(m -> new ProcessInfo(label(m), Long.parseLong(m.getAttribute(Configs.PID))))
                .toList();
    }

    /**
     * The worker JVMs the members now in the cluster run tasks in, all together.
     *
     * @return the sum of the members' worker JVMs; 0 if no member serves yet
     */
    public int workers() {
        int total = 0;
        for (Member member : client.getCluster().getMembers()) {
            String workers = member.getAttribute(Configs.WORKERS);
            total += workers == null ? 0 : Integer.parseInt(workers);
        }
        return total;
    }

    /**
     * The options this client connected with.
     *
     * @return the options given to {@link #connect}
     */
    public ClusterOptions options() {
        return options;
    }

    /** Disconnects; pools built here can no longer reach the members. */
    @Override
    public void close() {
        client.shutdown();
    }

    private static String label(Member member) {
        String label = member.getAttribute(Configs.LABEL);
        return label != null ? label : member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }
}
