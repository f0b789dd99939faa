package io.github.multiprocessing4j.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiprocessing4j.JvmOptions;
import io.github.multiprocessing4j.Multiprocessing;
import io.github.multiprocessing4j.cluster.internal.Configs;
import io.github.multiprocessing4j.cluster.internal.MemberRuntime;
import io.github.multiprocessing4j.cluster.internal.Signatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of a cluster member: a Hazelcast member that runs the cluster pools' tasks in worker JVMs
 * of its own. Start one on each machine, with the user's application on the class path:
 *
 * <pre>
 * java -cp app.jar:multiprocessing4j-core.jar:multiprocessing4j-cluster.jar:hazelcast-5.7.0.jar \
 *      io.github.multiprocessing4j.cluster.ClusterMember \
 *      --bind 10.0.0.5 --port 5701 --join 10.0.0.5:5701,10.0.0.6:5701 --key-file /etc/mp4j/cluster.key
 * </pre>
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>option</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code --bind host}</td><td>the one interface the member binds to (never all of them)</td><td>127.0.0.1</td></tr>
 * <tr><td>{@code --port n}</td><td>the member's port, no auto-increment</td><td>5701</td></tr>
 * <tr><td>{@code --join h:p,...}</td><td>the members to join (TCP/IP, no port ranges)</td><td>itself</td></tr>
 * <tr><td>{@code --key-file path}</td><td>the cluster's secret key, 16 bytes or more; required</td><td></td></tr>
 * <tr><td>{@code --processes n}</td><td>worker JVMs that run tasks</td><td>the CPU count</td></tr>
 * <tr><td>{@code --cluster-name name}</td><td>Hazelcast's cluster name</td><td>mp4j</td></tr>
 * <tr><td>{@code --exit-with-pid n}</td><td>halt when process n ends (how {@link LocalCluster} ties members to
 *     its JVM)</td><td></td></tr>
 * <tr><td>{@code --wait-for-members n}</td><td>report ready only once the cluster has n members (at most 60 s)</td><td>1</td></tr>
 * </table>
 *
 * <p>Once it has joined, the member prints {@code multiprocessing4j member ready at host:port pid N} on
 * stdout. It ends on SIGTERM (Hazelcast leaves the cluster) or SIGKILL; its workers exit with it.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code multiprocessing} has no cluster member; its nearest is a {@code BaseManager} server
 * started with {@code serve_forever()} on each machine, to which clients connect with an address and
 * {@code authkey}. Third-party clusters start their workers the same way as this class: Ray with
 * {@code ray start --address=...}, Dask with {@code dask worker <scheduler>}.
 */
public final class ClusterMember {
    /** The line a member prints once it serves, followed by {@code host:port pid N}. */
    public static final String READY = "multiprocessing4j member ready at ";

    private ClusterMember() {}

    /**
     * Starts a member with the options in the table above; it runs until the JVM is ended.
     *
     * @param args the options, each followed by its value
     * @throws IOException if the key file cannot be read
     * @throws InterruptedException if the main thread is interrupted while the member starts
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String bind = "127.0.0.1";
        int port = 5701;
        List<String> join = new ArrayList<>();
        Path keyFile = null;
        int processes = Multiprocessing.cpuCount();
        String clusterName = "mp4j";
        int waitFor = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw usage("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--bind" -> bind = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--join" -> join.addAll(Arrays.asList(value.split(",")));
                case "--key-file" -> keyFile = Path.of(value);
                case "--processes" -> processes = Integer.parseInt(value);
                case "--cluster-name" -> clusterName = value;
                case "--wait-for-members" -> waitFor = Integer.parseInt(value);
                case "--exit-with-pid" -> exitWith(Long.parseLong(value));
                default -> throw usage("unknown option " + option);
            }
        }
        if (keyFile == null) {
            throw usage("--key-file is required");
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length < Signatures.MIN_KEY_LENGTH) {
            throw usage("the key in " + keyFile + " must have at least " + Signatures.MIN_KEY_LENGTH
                    + " bytes but had " + key.length);
        }
        if (processes < 1) {
            throw usage("--processes must be at least 1 but was " + processes);
        }
        String label = bind + ":" + port;
        if (join.isEmpty()) {
            join.add(label);
        }
        MemberRuntime runtime = MemberRuntime.start(key, "member " + label, processes, JvmOptions.defaults());
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                Configs.member(clusterName, bind, port, join, processes, label));
        runtime.watchPoolEnds(member);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (member.getCluster().getMembers().size() < waitFor && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        System.out.println(READY + label + " pid " + ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void exitWith(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)),
                () -> Runtime.getRuntime().halt(1));
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: ClusterMember --key-file path [--bind host] [--port n]"
                + " [--join host:port,...] [--processes n] [--cluster-name name] [--wait-for-members n]");
    }
}
