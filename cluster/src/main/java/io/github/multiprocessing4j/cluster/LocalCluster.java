package io.github.multiprocessing4j.cluster;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster on this machine with no setup: members started as child JVMs of this one, bound to
 * {@code 127.0.0.1}, sharing a fresh random key, with this JVM's class path (so they can run this
 * application's tasks). For tests, demos and a first look; a real cluster runs {@link ClusterMember} on
 * each machine.
 *
 * <pre>{@code
 * try (LocalCluster local = LocalCluster.start(3);
 *      Cluster cluster = local.connect();
 *      Pool pool = cluster.poolBuilder().build()) {
 *     System.out.println(pool.map(x -> x * 2, List.of(1, 2, 3)));
 * }
 * }</pre>
 *
 * <p>Each member runs {@code workersPerMember} worker JVMs. Members print their output on this JVM's
 * stdout and stderr. {@link #close()} kills every member by pid (their workers exit with them) and waits
 * for them, at most 10 s. Members are not daemons of the library: a JVM that exits without closing this
 * leaves its members' workers to notice on their own, but the members themselves keep running, so close it.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code multiprocessing} has no counterpart. Dask's {@code distributed.LocalCluster} and a bare
 * {@code ray.init()} play the same role in Python: a cluster on this machine, started from the program, for
 * tests and first steps.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final Path keyFile;
    private final byte[] key;
    private final int workersPerMember;
    private final List<String> addresses = new ArrayList<>();
    /* Accessed only while holding this. */
    private final List<Process> members = new ArrayList<>();

    private LocalCluster(int workersPerMember) throws IOException {
        this.workersPerMember = workersPerMember;
        this.directory = Files.createTempDirectory("mp4j-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.keyFile = Files.write(Files.createFile(directory.resolve("cluster.key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), key);
    }

    /**
     * Starts {@code members} members of one worker JVM each and returns once they have formed a cluster.
     *
     * @param members how many members to start, at least 1
     * @return the running cluster; close it to kill the members
     * @throws IllegalArgumentException if {@code members} is less than 1
     * @throws ProcessStartException if a member did not start or join in time
     */
    public static LocalCluster start(int members) {
        return start(members, 1);
    }

    /**
     * Starts {@code members} members of {@code workersPerMember} worker JVMs each; at most 60 s.
     *
     * @param members how many members to start, at least 1
     * @param workersPerMember how many worker JVMs each member runs tasks in, at least 1
     * @return the running cluster; close it to kill the members
     * @throws IllegalArgumentException if {@code members} or {@code workersPerMember} is less than 1
     * @throws ProcessStartException if a member did not start or join in time
     */
    public static LocalCluster start(int members, int workersPerMember) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1 but was " + members);
        }
        if (workersPerMember < 1) {
            throw new IllegalArgumentException("workersPerMember must be at least 1 but was " + workersPerMember);
        }
        LocalCluster cluster;
        try {
            cluster = new LocalCluster(workersPerMember);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cluster's key file", e);
        }
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                ports.add(freePort());
            }
            ports.forEach(port -> cluster.addresses.add("127.0.0.1:" + port));
            List<CompletableFuture<ProcessInfo>> started = new ArrayList<>();
            for (int port : ports) {
                started.add(cluster.launch(port, members));
            }
            for (CompletableFuture<ProcessInfo> member : started) {
                await(member);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Starts one more member that joins the running ones; returns once it has joined.
     *
     * @return the new member, named by its address, with its pid
     */
    public ProcessInfo startMember() {
        return startMembers(1).get(0);
    }

    /**
     * Starts {@code count} more members at once; returns once they have joined (at most 60 s).
     *
     * @param count how many members to start
     * @return the new members, named by their addresses, with their pids
     */
    public List<ProcessInfo> startMembers(int count) {
        int size;
        synchronized (this) {
            size = (int) members.stream().filter(Process::isAlive).count() + count;
        }
        List<CompletableFuture<ProcessInfo>> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(launch(freePort(), size));
        }
        return started.stream().map(LocalCluster::await).toList();
    }

    /**
     * Options that connect to this cluster: the addresses of its live members (all, if none) and its key.
     *
     * @return options for {@link Cluster#connect}
     */
    public ClusterOptions options() {
        List<String> known = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).isAlive()) {
                    known.add(addresses.get(i));
                }
            }
            if (known.isEmpty()) {
                known.addAll(addresses);
            }
        }
        return ClusterOptions.builder().addresses(known.toArray(String[]::new)).key(key).build();
    }

    /**
     * Connects a client to this cluster.
     *
     * @return the connected client; close it before this cluster
     */
    public Cluster connect() {
        return Cluster.connect(options());
    }

    /**
     * The members alive now.
     *
     * @return the live members, named by their addresses, with their pids
     */
    public synchronized List<ProcessInfo> members() {
        List<ProcessInfo> alive = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).isAlive()) {
                alive.add(new ProcessInfo("member " + addresses.get(i), members.get(i).pid()));
            }
        }
        return alive;
    }

    /**
     * The file holding the cluster's key, readable by this user only.
     *
     * @return the path of the key file, for {@code --key-file} or {@link ClusterOptions.Builder#keyFile}
     */
    public Path keyFile() {
        return keyFile;
    }

    /**
     * Kills one member at once with SIGKILL, as a crash would, and waits for it to end (at most 10 s).
     *
     * @param member one of {@link #members()}
     * @throws IllegalArgumentException if {@code member} is not a member of this cluster
     */
    public void kill(ProcessInfo member) {
        Process process;
        synchronized (this) {
            process = members.stream().filter(p -> p.pid() == member.pid()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not a member of this cluster: " + member));
        }
        process.destroyForcibly();
        waitFor(process);
    }

    /** Kills every member by pid and waits for each, at most 10 s; deletes the key. */
    @Override
    public void close() {
        List<Process> all;
        synchronized (this) {
            all = List.copyOf(members);
        }
        all.forEach(Process::destroyForcibly);
        all.forEach(LocalCluster::waitFor);
        try {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A leftover empty directory in the temp folder is harmless.
        }
    }

    private CompletableFuture<ProcessInfo> launch(int port, int waitForMembers) {
        String label = "127.0.0.1:" + port;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dhazelcast.logging.type=" + System.getProperty("hazelcast.logging.type", "none"));
        String spares = System.getProperty("multiprocessing4j.spares");
        if (spares != null) {
            command.add("-Dmultiprocessing4j.spares=" + spares);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterMember.class.getName());
        List<String> join = new ArrayList<>();
        synchronized (this) {
            if (!addresses.contains(label)) {
                addresses.add(label);
            }
            join.addAll(addresses);
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port), "--join", String.join(",", join),
                "--key-file", keyFile.toString(), "--processes", Integer.toString(workersPerMember),
                "--wait-for-members", Integer.toString(waitForMembers),
                "--exit-with-pid", Long.toString(ProcessHandle.current().pid())));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ProcessStartException("member " + label, "could not be started: " + e, -1, List.of(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing was written to it.
        }
        synchronized (this) {
            members.add(process);
        }
        CompletableFuture<ProcessInfo> ready = new CompletableFuture<>();
        Deque<String> stderrTail = new ArrayDeque<>();
        LibraryThreads.start(() -> pump(process, false, null, stderrTail), "mp4j-member-stderr-" + port);
        LibraryThreads.start(() -> pump(process, true, ready, stderrTail), "mp4j-member-stdout-" + port);
        process.onExit().thenRun(() -> {
            List<String> tail;
            synchronized (stderrTail) {
                tail = List.copyOf(stderrTail);
            }
            ready.completeExceptionally(new ProcessStartException("member " + label, "exited before it was ready",
                    process.exitValue(), tail));
        });
        return ready.thenApply(line -> new ProcessInfo("member " + label, process.pid()));
    }

    private static void pump(Process process, boolean stdout, CompletableFuture<ProcessInfo> ready, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                stdout ? process.getInputStream() : process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (stdout && line.startsWith(ClusterMember.READY) && !ready.isDone()) {
                    ready.complete(null);
                } else if (stdout) {
                    System.out.println(line);
                } else {
                    System.err.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The member ended; its exit is reported through onExit.
        }
    }

    private static ProcessInfo await(CompletableFuture<ProcessInfo> member) {
        try {
            return member.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessStartException("member", "was not ready within " + START_TIMEOUT, -1, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a member", e);
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
