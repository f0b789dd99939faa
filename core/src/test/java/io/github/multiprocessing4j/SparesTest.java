package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.internal.launch.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm spares: a child that was started ahead of need must be indistinguishable from one started on demand
 * wherever a program can look, must never be handed to a launch with other options, and must neither
 * outlive its parent nor delay its exit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SparesTest {
    @TempDir
    Path dir;

    @AfterEach
    void defaultSpares() {
        Multiprocessing.setSpares(1);
    }

    private static JvmOptions options(Path workingDirectory, String flavour) {
        return JvmOptions.builder().maxHeap("96m").jvmArgs("-Dmp4j.test.jvmArg=" + flavour)
                .systemProperty("mp4j.test.property", flavour).environment("MP4J_TEST_ENV", flavour)
                .workingDirectory(workingDirectory).build();
    }

    /** Waits until a spare for {@code options} has connected, and returns its pid. */
    private static long awaitSpare(JvmOptions options) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<Long> ready = Launcher.get().readySparePids(options);
            if (!ready.isEmpty()) {
                return ready.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no spare became ready within 30 s");
    }

    /** What the child sees of itself, written to a file: everything a program could tell a spare by. */
    static void describeYourself(String file) throws Exception {
        Map<String, String> seen = new TreeMap<>();
        seen.put("pid", Long.toString(ProcessHandle.current().pid()));
        seen.put("currentProcess", Multiprocessing.currentProcess().toString());
        seen.put("parentProcess", Multiprocessing.parentProcess().map(Object::toString).orElse("none"));
        seen.put("class path", System.getProperty("java.class.path"));
        seen.put("command line", ProcessHandle.current().info().arguments().map(List::of).orElseThrow().toString());
        seen.put("max heap", Long.toString(Runtime.getRuntime().maxMemory()));
        seen.put("property", System.getProperty("mp4j.test.property"));
        seen.put("environment", System.getenv("MP4J_TEST_ENV"));
        seen.put("working directory", Path.of("").toAbsolutePath().toString());
        Files.writeString(Path.of(file), seen.toString());
        System.out.println("hello from " + Multiprocessing.currentProcess().name());
    }

    private String runDescribing(JvmOptions options, String name) throws Exception {
        Path report = dir.resolve(name + ".txt");
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Process child = new Process(SparesTest::describeYourself, report.toString(), options);
            child.setName("SparesTest-" + name);
            child.start();
            child.join();
            assertThat(child.exitCode()).isZero();
            String description = Files.readString(report);
            assertThat(description).contains("pid=" + child.pid() + ",");
            assertThat(captured.toString(StandardCharsets.UTF_8)).contains("hello from SparesTest-" + name);
            return description.replace(Long.toString(child.pid()), "<child pid>").replace("SparesTest-" + name, "<name>");
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    void aChildStartedFromASpare_looksExactlyLikeOneStartedOnDemand() throws Exception {
        JvmOptions options = options(dir, "same");
        Multiprocessing.setSpares(0);
        String onDemand = runDescribing(options, "on-demand");

        Multiprocessing.setSpares(1);
        Multiprocessing.prestart(1, options);
        long spare = awaitSpare(options);
        Path report = dir.resolve("from-spare.txt");
        String fromSpare = runDescribing(options, "from-spare");

        assertThat(Files.readString(report)).contains("pid=" + spare + ",");
        assertThat(fromSpare).isEqualTo(onDemand);
        assertThat(fromSpare).contains("parentProcess=MainProcess (pid " + ProcessHandle.current().pid() + ")")
                .contains("property=same").contains("environment=same").contains("-Dmp4j.test.jvmArg=same")
                .contains("working directory=" + dir.toAbsolutePath());
    }

    @Test
    void aLaunchWithOtherOptions_neverGetsASpareOfDifferentOptions() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        JvmOptions spared = options(dir, "spared");
        Multiprocessing.prestart(1, spared);
        long spare = awaitSpare(spared);

        String description = runDescribing(options(other, "different"), "different");

        assertThat(description).contains("property=different").contains("environment=different")
                .contains("-Dmp4j.test.jvmArg=different").contains("working directory=" + other.toAbsolutePath())
                .doesNotContain("spared");
        assertThat(Launcher.get().readySparePids(spared)).contains(spare);
    }

    @Test
    void aPoolTakesSparesForItsWorkers() throws Exception {
        JvmOptions options = JvmOptions.builder().systemProperty("mp4j.test.pool", "spares").build();
        Multiprocessing.prestart(2, options);
        long spare = awaitSpare(options);
        try (Pool pool = Pool.builder().processes(2).jvmOptions(options).build()) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4), 1);
            assertThat(pool.workers()).extracting(ProcessInfo::pid).contains(spare);
            assertThat(pids).isNotEmpty();
        }
    }

    /**
     * A child's end starts the refill of its spares; a prestart made while that refill is spawning its JVM
     * (which often happens right after a join) waits for it too, so a spare is ready when the prestart's
     * future completes. Before, the prestart found the spare neither waiting nor to be started, completed at
     * once, and most such starts went cold.
     */
    @Test
    void prestartRightAfterAChildEnded_completesOnlyOnceASpareIsReady() throws Exception {
        JvmOptions options = JvmOptions.builder().systemProperty("mp4j.test.refill", "yes").build();
        for (int i = 0; i < 3; i++) {
            Process child = new Process(() -> { }, options);
            child.start();
            child.join();
            Multiprocessing.prestart(1, options).get(30, TimeUnit.SECONDS);
            assertThat(Launcher.get().readySparePids(options)).as("spares ready after prestart(1) in round " + i).isNotEmpty();
        }
    }

    @Test
    void setSparesZero_endsTheWaitingSpares() throws Exception {
        JvmOptions options = JvmOptions.builder().systemProperty("mp4j.test.off", "yes").build();
        Multiprocessing.prestart(1, options);
        long spare = awaitSpare(options);
        Multiprocessing.setSpares(0);
        assertThat(endsWithin(spare, 10_000)).as("spare " + spare + " ended").isTrue();
        assertThat(Launcher.get().readySparePids(options)).isEmpty();
    }

    private java.lang.Process startParent(String mode, Path file) throws Exception {
        return new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), FamilyMain.class.getName(), mode, file.toString())
                .inheritIO().redirectOutput(Path.of(file + ".out").toFile()).start();
    }

    private static String awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file) || Files.size(file) == 0) {
            assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
        return Files.readString(file);
    }

    private static boolean endsWithin(long pid, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void sparesDieWithTheirParent_evenAfterKillMinus9() throws Exception {
        Path file = dir.resolve("spares.pids");
        java.lang.Process parent = startParent("spares-then-sleep", file);
        String[] spares = awaitFile(file).split(",");
        assertThat(spares).hasSize(2);

        parent.destroyForcibly().waitFor();

        for (String spare : spares) {
            assertThat(endsWithin(Long.parseLong(spare), 5000)).as("spare " + spare + " outlived its parent").isTrue();
        }
    }

    @Test
    void sparesDoNotKeepTheirParentFromExiting() throws Exception {
        Path file = dir.resolve("spares.pids");
        java.lang.Process parent = startParent("spares-then-return", file);
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).as("a JVM with waiting spares must still exit").isTrue();
        assertThat(parent.exitValue()).isZero();
        for (String spare : Files.readString(file).split(",")) {
            assertThat(endsWithin(Long.parseLong(spare), 5000)).as("spare " + spare + " outlived its parent").isTrue();
        }
    }
}
