package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.wire.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: what an adversarial run found, each fault reproduced through the public API with real child
 * JVMs. Bounded for CI: every case takes a few seconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue11FaultSuiteTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private static final byte[] KEY = "issue-11-key-of-sixteen-bytes".getBytes(StandardCharsets.US_ASCII);

    /** Opens {@code count} connections to {@code address} that never say a word. */
    private static List<Channel> idleConnections(String address, int count) throws IOException {
        List<Channel> flood = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            flood.add(Channel.connect(address));
        }
        return flood;
    }

    // ---- fault 1: idle connections ---------------------------------------------------------------------

    @Test
    void issue11_idleConnectionFloodsOnEveryEntrance_doNotStopChildrenFromStartingOrSharing() throws Exception {
        List<Channel> flood = new ArrayList<>();
        try (Manager manager = Manager.start()) {
            String managerEntrance = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);
            Queue<String> queue = new Queue<>();
            flood.addAll(idleConnections(managerEntrance, 200));
            flood.addAll(idleConnections(HubServer.local().address(), 200));
            flood.addAll(idleConnections(Launcher.get().address(), 200));

            Process child = new Process(q -> q.put("through the flooded hub socket"), queue);
            child.start();
            child.join();
            assertThat(child.exitCode()).isZero();
            assertThat(queue.get(LONG)).isEqualTo("through the flooded hub socket");

            try (Pool pool = Pool.builder().processes(1).maxTasksPerChild(1).build()) {
                assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
            }
            assertThat(Manager.connect(managerEntrance, KEY).names()).isEmpty();
        } finally {
            flood.forEach(Channel::close);
        }
    }

    // ---- fault 2: terminate() is not a normal exit ---------------------------------------------------

    @Test
    void issue11_aSemaphorePermitHeldByATerminatedProcess_isReturned() throws Exception {
        Semaphore semaphore = new Semaphore(1);
        Event held = new Event();
        Process holder = new Process((List<Object> shared) -> {
            ((Semaphore) shared.get(0)).acquire();
            ((Event) shared.get(1)).set();
            Thread.sleep(60_000);
        }, List.of(semaphore, held));
        holder.start();
        assertThat(held.waitFor(LONG)).isTrue();
        holder.terminate();
        holder.join();
        assertThat(holder.exitCode()).isEqualTo(-15);
        assertThat(semaphore.acquire(LONG)).as("the permit of a terminated process comes back").isTrue();
        assertThat(semaphore.previousHolderDied()).isTrue();
    }

    // ---- fault 4: files planted in /dev/shm by another user ------------------------------------------

    private static final String SECOND_USER = "mp4j-issue11";

    /** A second user to plant files as: made with useradd when this runs as root, else the test is skipped. */
    private static String secondUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to act as a second user; this runs as " + System.getProperty("user.name"));
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm here");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")), "no runuser to act as a second user");
        if (run("id", "-u", SECOND_USER) != 0) {
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")), "no useradd to make a second user");
            assertThat(run("useradd", "--no-create-home", "--shell", "/bin/false", SECOND_USER)).isZero();
        }
        return SECOND_USER;
    }

    private static int run(String... command) throws Exception {
        java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(java.lang.ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("%s ends", List.of(command)).isTrue();
        return process.exitValue();
    }

    private static void runAs(String user, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", user, "--"));
        line.addAll(List.of(command));
        assertThat(run(line.toArray(String[]::new))).as("%s", line).isZero();
    }

    private static String freshName() {
        return "issue11-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void issue11_attach_doesNotFollowASymlinkPlantedByAnotherUser(@TempDir Path dir) throws Exception {
        String stranger = secondUser();
        Path victim = Files.writeString(dir.resolve("victim"), "secret");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        String name = freshName();
        Path planted = Path.of("/dev/shm", "mp4j-" + name);
        try {
            runAs(stranger, "ln", "-s", victim.toString(), planted.toString());
            assertThatThrownBy(() -> SharedMemory.attach(name)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("symbolic link");
            assertThat(Files.readString(victim)).isEqualTo("secret");
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void issue11_attach_refusesARegularFilePlantedByAnotherUser() throws Exception {
        String stranger = secondUser();
        String name = freshName();
        Path planted = Path.of("/dev/shm", "mp4j-" + name);
        try {
            runAs(stranger, "sh", "-c", "umask 000; head -c 64 /dev/zero > " + planted);
            assertThatThrownBy(() -> SharedMemory.attach(name)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a file of user " + stranger);
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void issue11_create_tellsAPlantedOwnerRecordFromAStaleOneOfOurs() throws Exception {
        String stranger = secondUser();
        String name = freshName();
        Path plantedRecord = Path.of("/dev/shm", "mp4j-" + name + ".owner");
        try {
            runAs(stranger, "touch", plantedRecord.toString());
            assertThatThrownBy(() -> SharedMemory.create(name, 64)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a file of user " + stranger).hasMessageContaining("not touching it");
            assertThat(plantedRecord).exists();
        } finally {
            Files.deleteIfExists(plantedRecord);
        }

        // A record of ours whose creator is gone (a JVM that crashed since this one last reaped): reclaimed.
        java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(plantedRecord, gone.pid() + " ?");
        try (SharedMemory block = SharedMemory.create(name, 64)) {
            assertThat(block.size()).isEqualTo(64);
            block.unlink();
        }
    }

    // ---- fault 5: a native crash says why ---------------------------------------------------------------

    /** Writes to address 0 through {@code sun.misc.Unsafe}, reached by reflection: the JVM crashes. */
    static Object crashTheJvm(Object ignored) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        java.lang.reflect.Field field = unsafeClass.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafeClass.getMethod("putAddress", long.class, long.class).invoke(field.get(null), 0L, 0L);
        return "not crashed";
    }

    @Test
    void issue11_aWorkerThatCrashes_reportsHotSpotsBanner_andItsHsErrFileIsNotLeftInTheWorkingDirectory(
            @TempDir Path workingDirectory) throws Exception {
        JvmOptions options = JvmOptions.builder().workingDirectory(workingDirectory).build();
        WorkerDiedException died;
        try (Pool pool = Pool.builder().processes(1).jvmOptions(options).build()) {
            AsyncResult<Object> crash = pool.applyAsync(Issue11FaultSuiteTest::crashTheJvm, "x");
            died = org.junit.jupiter.api.Assertions.assertThrows(WorkerDiedException.class, () -> crash.get(LONG));
        }
        assertThat(died.crashReport()).anyMatch(line -> line.contains("A fatal error has been detected"));
        String hsErr = died.crashReport().stream().filter(line -> line.contains("hs_err_pid")).findFirst()
                .map(line -> line.substring(1).trim()).orElseThrow(() -> new AssertionError(died.getMessage()));
        try {
            assertThat(Path.of(hsErr)).startsWith(io.github.multiprocessing4j.internal.launch.Launcher.crashDirectory());
            assertThat(died.getMessage()).contains("its JVM crashed").contains(hsErr);
            try (var left = Files.list(workingDirectory)) {
                assertThat(left.map(Path::toString)).noneMatch(file -> file.contains("hs_err"));
            }
        } finally {
            Files.deleteIfExists(Path.of(hsErr));
        }
    }
}
