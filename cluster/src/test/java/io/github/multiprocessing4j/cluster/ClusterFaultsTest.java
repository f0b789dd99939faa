package io.github.multiprocessing4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiprocessing4j.AsyncResult;
import io.github.multiprocessing4j.Pool;
import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.SerializableCallable;
import io.github.multiprocessing4j.cluster.internal.Configs;
import io.github.multiprocessing4j.cluster.internal.DirectConnections;
import io.github.multiprocessing4j.cluster.internal.Replies;
import io.github.multiprocessing4j.cluster.internal.Signatures;
import io.github.multiprocessing4j.cluster.internal.TaskEnvelope;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.pool.PoolJobs;
import io.github.multiprocessing4j.internal.worker.JobCodec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong on a cluster, on the shared cluster plus members started (and killed) by a test. */
@ExtendWith(SharedCluster.Holder.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterFaultsTest {
    private LocalCluster local;
    private Cluster cluster;

    @TempDir
    Path markers;

    @BeforeEach
    void sharedCluster() {
        local = SharedCluster.current().local;
        cluster = SharedCluster.current().cluster;
    }

    @Test
    void taskThatExitsItsWorker_failsNamingMemberAndWorkerPid_andTheMemberServesOn() throws Exception {
        List<ProcessInfo> membersBefore = local.members();
        try (Pool pool = cluster.poolBuilder().build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(7);
                return 0;
            })).isInstanceOfSatisfying(WorkerDiedException.class, died -> {
                assertThat(died.exitCode()).isEqualTo(7);
                assertThat(died.workerName()).startsWith("member 127.0.0.1:");
                assertThat(membersBefore).extracting(ProcessInfo::pid).doesNotContain(died.pid());
            });
            assertThat(pool.map(x -> x + 1, List.of(1, 2, 3), 1)).containsExactly(2, 3, 4);
        }
        assertThat(local.members()).isEqualTo(membersBefore);
    }

    @Test
    void terminatingAPool_killsTheWorkerRunningItsTaskOnAMember() throws Exception {
        Pool pool = cluster.poolBuilder().processes(1).build();
        ProcessHandle worker = startSleeper(pool, markers.resolve("terminated"));
        pool.terminate();
        assertThat(worker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(pool.join(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void clientThatDisconnects_leavesNoTaskRunningOnTheMembers() throws Exception {
        Cluster other = Cluster.connect(local.options());
        Pool pool = other.poolBuilder().processes(1).build();
        ProcessHandle worker = startSleeper(pool, markers.resolve("disconnected"));
        other.close(); // as if the client's JVM had died: the pool is never terminated
        assertThat(worker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        pool.terminate();
    }

    /** Runs a two-minute task on {@code pool} and returns its worker JVM, once the task has started. */
    private static ProcessHandle startSleeper(Pool pool, Path started) throws Exception {
        String marker = started.toString();
        pool.applyAsync(() -> {
            Path temporary = Path.of(marker + ".tmp");
            Files.writeString(temporary, Long.toString(ProcessHandle.current().pid()));
            Files.move(temporary, Path.of(marker));
            Thread.sleep(120_000);
            return 0;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(started)) {
            assertThat(System.nanoTime() - deadline).as("the task started within 30 s").isNegative();
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(started));
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("worker " + pid + " ended at once"));
    }

    @Test
    void clientWithoutTheKey_isRefused_nothingRuns_andTheMembersAreUnharmed() throws Exception {
        String marker = markers.resolve("ran").toString();
        byte[] wrongKey = new byte[32];
        new SecureRandom().nextBytes(wrongKey);
        List<ProcessInfo> membersBefore = local.members();
        try (Cluster intruder = Cluster.connect(local.options().toBuilder().key(wrongKey).build());
             Pool pool = intruder.poolBuilder().build()) {
            assertThatThrownBy(() -> pool.apply(() -> Files.createFile(Path.of(marker)).toString()))
                    .isInstanceOf(ClusterTaskRefusedException.class)
                    .hasMessageContaining("signature does not match");
        }
        assertThat(Path.of(marker)).doesNotExist();
        assertThat(local.members()).isEqualTo(membersBefore);
        try (Pool pool = cluster.poolBuilder().build()) {
            assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void taskTimeout_killsTheWorkerRunningItOnItsMember() throws Exception {
        String pidFile = markers.resolve("worker-pid").toString();
        try (Pool pool = cluster.poolBuilder().build()) {
            AsyncResult<Integer> slow = pool.applyAsync((Integer x) -> {
                Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(60_000);
                return x;
            }, 1, Duration.ofSeconds(2));
            assertThatThrownBy(() -> slow.get(Duration.ofSeconds(30))).isInstanceOf(TaskTimeoutException.class);
            long worker = Long.parseLong(Files.readString(Path.of(pidFile)));
            await(() -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true), "worker " + worker + " killed");
            assertThat(pool.apply((Integer x) -> x + 1, 1)).isEqualTo(2);
        }
    }

    @Test
    void aTaskCarriesItsTimeoutToTheMember_whichEndsItEvenIfNoCancelArrives() throws Exception {
        HazelcastInstance raw = HazelcastClient.newHazelcastClient(Configs.client("mp4j", local.options().addresses(),
                Duration.ofSeconds(10), Duration.ofSeconds(3)));
        try {
            Member member = raw.getCluster().getMembers().iterator().next();
            String pool = Configs.executorPrefixOf(raw.getLocalEndpoint().getUuid()) + "backstop";
            SerializableCallable<Integer> sleeper = () -> {
                Thread.sleep(60_000);
                return 0;
            };
            byte[] payload = JobCodec.encode(new PoolJobs.Call<>(sleeper), "a sleeping task");
            byte[] mac = Signatures.sign(local.options().key(), pool, 1, 1000, payload);
            // No cancel is ever sent: only the member's own clock can end this task before the 30 s wait.
            byte[] reply = raw.getExecutorService(pool).submitToMember(new TaskEnvelope(pool, 1, 1000, payload, mac), member)
                    .get(30, TimeUnit.SECONDS);
            assertThat(Replies.status(reply)).isEqualTo(Replies.ERROR);
            assertThat(ThrowableTransport.decode(Replies.body(reply))).isInstanceOf(TaskTimeoutException.class);
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void members_listenOnlyOnTheInterfaceTheyWereGiven() throws Exception {
        Path tcp = Path.of("/proc/net/tcp");
        Path tcp6 = Path.of("/proc/net/tcp6");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(tcp), "Linux's /proc/net/tcp");
        List<String> listening = new java.util.ArrayList<>(Files.readAllLines(tcp));
        if (Files.isReadable(tcp6)) {
            listening.addAll(Files.readAllLines(tcp6));
        }
        for (ProcessInfo member : local.members()) {
            String address = member.name();
            String port = String.format(":%04X", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            // Columns: sl, local_address (hex ip:port), rem_address, st (0A = LISTEN), ...
            List<String> sockets = listening.stream().map(String::trim).map(line -> line.split("\\s+"))
                    .filter(cols -> cols.length > 3 && cols[1].endsWith(port) && cols[3].equals("0A"))
                    .map(cols -> cols[1]).toList();
            assertThat(sockets).as("listening sockets of member " + address).isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket).isIn("0100007F" + port, // 127.0.0.1, or as IPv4-mapped IPv6:
                            "0000000000000000FFFF00000100007F" + port));
        }
    }

    /** A Java-serialized callable, as a client that bypasses the library would send it. */
    record CreateFile(String path) implements Callable<String>, Serializable {
        @Override
        public String call() throws IOException {
            return Files.createFile(Path.of(path)).toString();
        }
    }

    @Test
    void directConnections_seesTheClientsOwnConnectionToEachMember_andNoneToAnUnknownMember() throws Exception {
        HazelcastInstance raw = HazelcastClient.newHazelcastClient(Configs.client("mp4j", local.options().addresses(),
                Duration.ofSeconds(10), Duration.ofSeconds(3)));
        try {
            DirectConnections connections = new DirectConnections(raw);
            // The client connects to the members other than its first one in the background.
            await(() -> raw.getCluster().getMembers().stream().allMatch(m -> connections.connectedTo(m.getUuid())),
                    "a connection to each member");
            assertThat(connections.connectedTo(UUID.randomUUID())).isFalse();
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void javaSerializedTask_isRejectedByTheMembersDeserializationFilter() {
        String marker = markers.resolve("ran").toString();
        HazelcastInstance raw = HazelcastClient.newHazelcastClient(Configs.client("mp4j", local.options().addresses(),
                Duration.ofSeconds(10), Duration.ofSeconds(3)));
        try {
            Member member = raw.getCluster().getMembers().iterator().next();
            assertThatThrownBy(() -> raw.getExecutorService(Configs.EXECUTOR_PREFIX + "raw")
                    .submitToMember(new CreateFile(marker), member).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasStackTraceContaining("Resolving class " + CreateFile.class.getName() + " is not allowed");
        } finally {
            raw.shutdown();
        }
        assertThat(Path.of(marker)).doesNotExist();
    }

    /** Sleeps (after leaving a marker file) when run by a worker of the victim member, else returns its member's pid. */
    static SerializableFunction<Integer, Long> stallOn(long victimPid, String markerDir) {
        return x -> {
            long member = ProcessHandle.current().parent().orElseThrow().pid();
            if (member == victimPid) {
                Files.createFile(Path.of(markerDir, "started-" + x));
                Thread.sleep(60_000);
            }
            Thread.sleep(300);
            return member;
        };
    }

    @Test
    void membersJoiningAfterThePool_takeTasks_andALostMember_failsItsTasks_orRetriesThem() throws Exception {
        try (Pool failing = cluster.poolBuilder().processes(6).build();
             Pool retrying = cluster.poolBuilder(3).processes(6).build()) {
            List<ProcessInfo> joined = local.startMembers(3);
            ProcessInfo fourth = joined.get(0);
            ProcessInfo fifth = joined.get(1);
            ProcessInfo sixth = joined.get(2);
            await(() -> memberPids().containsAll(List.of(fourth.pid(), fifth.pid(), sixth.pid())), "the new members in view");
            // Joined members take tasks once the client has connected to them (within a second or so).
            Set<Long> served = new HashSet<>();
            long servedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!served.containsAll(List.of(fourth.pid(), fifth.pid(), sixth.pid()))) {
                assertThat(System.nanoTime() - servedBy).as("not within 30 s: tasks on each new member; ran on %s", served)
                        .isNegative();
                served.addAll(failing.map(x -> ProcessHandle.current().parent().orElseThrow().pid(),
                        IntStream.range(0, 12).boxed().toList(), 1));
            }
            List<Integer> items = IntStream.range(0, 10).boxed().toList();

            // Without retries: the tasks on the killed member fail, naming it; the pool serves on.
            Path firstMarkers = Files.createDirectory(markers.resolve("fourth"));
            AsyncResult<List<Long>> doomed = failing.mapAsync(stallOn(fourth.pid(), firstMarkers.toString()), items, 1);
            await(() -> hasFiles(firstMarkers), "a task started on the fourth member");
            List<ProcessInfo> seen = cluster.members();
            local.kill(fourth);
            assertThatThrownBy(() -> doomed.get(Duration.ofSeconds(30)))
                    .as("killed %s; joined %s; members in view before the kill %s", fourth, joined, seen)
                    .isInstanceOf(WorkerDiedException.class)
                    .hasMessageContaining(fourth.name().substring("member ".length()))
                    .hasMessageContaining(Long.toString(fourth.pid()));
            assertThat(failing.map(x -> x * 2, List.of(1, 2, 3), 1)).containsExactly(2, 4, 6);
            await(() -> !memberPids().contains(fourth.pid()), "the fourth member left the cluster");

            // With retries: the tasks of the killed member run again elsewhere (at least once).
            Path secondMarkers = Files.createDirectory(markers.resolve("fifth"));
            AsyncResult<List<Long>> survives = retrying.mapAsync(stallOn(fifth.pid(), secondMarkers.toString()), items, 1);
            await(() -> hasFiles(secondMarkers), "a task started on the fifth member");
            local.kill(fifth);
            List<Long> ranOn = survives.get(Duration.ofSeconds(30));
            assertThat(ranOn).hasSize(10).doesNotContain(fifth.pid());

            // A hung member (SIGSTOP): the client's heartbeat gives up on it and its tasks fail, naming it.
            Path thirdMarkers = Files.createDirectory(markers.resolve("sixth"));
            AsyncResult<List<Long>> hung = failing.mapAsync(stallOn(sixth.pid(), thirdMarkers.toString()), items, 1);
            await(() -> hasFiles(thirdMarkers), "a task started on the sixth member");
            signal("STOP", sixth.pid());
            try {
                assertThatThrownBy(() -> hung.get(Duration.ofSeconds(30)))
                        .isInstanceOf(WorkerDiedException.class)
                        .hasMessageContaining(Long.toString(sixth.pid()));
                assertThat(failing.map(x -> x * 2, List.of(1, 2, 3), 1)).containsExactly(2, 4, 6);
            } finally {
                local.kill(sixth);
            }
            // Leave the shared cluster as found: the killed members out of every client's view.
            await(() -> !memberPids().contains(fifth.pid()) && !memberPids().contains(sixth.pid()),
                    "the killed members left the cluster");
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        java.lang.Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private List<Long> memberPids() {
        return cluster.members().stream().map(ProcessInfo::pid).toList();
    }

    private static boolean hasFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
