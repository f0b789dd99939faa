package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessTest {
    @TempDir
    Path dir;

    /** Runs in the child: records who it is and who its parent is. */
    static void recordIdentity(String file) throws Exception {
        ProcessInfo me = Multiprocessing.currentProcess();
        ProcessInfo parent = Multiprocessing.parentProcess().orElseThrow();
        long osParent = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(Path.of(file), String.join(",", me.name(), Long.toString(me.pid()), parent.name(),
                Long.toString(parent.pid()), Long.toString(osParent)));
    }

    @Test
    void start_join_runsTargetInAChildJvmWhoseParentIsThisOne() throws Exception {
        Path out = dir.resolve("id.txt");
        Process p = new Process(ProcessTest::recordIdentity, out.toString());
        p.start();
        p.join();

        String[] id = Files.readString(out).split(",");
        long self = ProcessHandle.current().pid();
        assertEquals(p.name(), id[0]);
        assertEquals(p.pid(), Long.parseLong(id[1]));
        assertTrue(p.pid() != self, "child must have its own pid");
        assertEquals("MainProcess", id[2]);
        assertEquals(self, Long.parseLong(id[3]));
        assertEquals(self, Long.parseLong(id[4]), "the OS must see this JVM as the child's parent");
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertTrue(p.exception().isEmpty());
    }

    @Test
    void names_areProcessNumberedPerParent() {
        Process a = new Process(() -> {});
        Process b = new Process(() -> {});
        assertTrue(a.name().matches("Process-\\d+"), a.name());
        int first = Integer.parseInt(a.name().substring("Process-".length()));
        assertEquals("Process-" + (first + 1), b.name());
    }

    static void startGrandchild(String file) throws Exception {
        Process grandchild = new Process(ProcessTest::recordIdentity, file);
        grandchild.start();
        grandchild.join();
        Files.writeString(Path.of(file + ".child"), Multiprocessing.currentProcess().pid() + "," + grandchild.name());
    }

    @Test
    void childCanStartChildren_andParentProcessIsRightAtEveryLevel() throws Exception {
        Path out = dir.resolve("grandchild.txt");
        Process p = new Process(ProcessTest::startGrandchild, out.toString());
        p.start();
        p.join();
        assertEquals(0, p.exitCode());

        String[] child = Files.readString(Path.of(out + ".child")).split(",");
        String[] grandchild = Files.readString(out).split(",");
        assertEquals(p.name() + ":1", child[1]);
        assertEquals(p.name() + ":1", grandchild[0]);
        assertEquals(p.name(), grandchild[2]);
        assertEquals(child[0], grandchild[3], "grandchild's parentProcess() must be the child");
        assertEquals(child[0], grandchild[4]);
    }

    static void fail(String message) {
        throw new AssertionError(message);
    }

    @Test
    void exception_isTheOriginalTypeWithChildStackTraceAndPid() throws Exception {
        Process p = new Process(ProcessTest::fail, "expected 1 but was 2");
        p.start();
        p.join();

        assertEquals(1, p.exitCode());
        Throwable e = p.exception().orElseThrow();
        assertInstanceOf(AssertionError.class, e);
        assertEquals("expected 1 but was 2", e.getMessage());
        assertTrue(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("fail")),
                "the child's stack trace must be kept");
        RemoteOrigin origin = RemoteOrigin.of(e).orElseThrow();
        assertEquals(p.pid(), origin.pid());
        assertEquals(p.name(), origin.processName());
    }

    static final class UnsendableException extends RuntimeException {
        @SuppressWarnings("unused")
        private final transient Object ok = new Object();
        @SuppressWarnings("unused")
        private final Thread notSerializable = Thread.currentThread();

        UnsendableException(String message) {
            super(message);
        }
    }

    static void throwUnsendable() {
        throw new UnsendableException("boom");
    }

    @Test
    void exception_thatCannotBeSerialized_arrivesAsRemoteExceptionWithClassNameAndTrace() throws Exception {
        Process p = new Process(ProcessTest::throwUnsendable);
        p.start();
        p.join();

        RemoteException e = assertInstanceOf(RemoteException.class, p.exception().orElseThrow());
        assertEquals(UnsendableException.class.getName(), e.remoteClassName());
        assertTrue(e.getMessage().endsWith(": boom"), e.getMessage());
        assertTrue(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("throwUnsendable")));
        assertEquals(p.pid(), RemoteOrigin.of(e).orElseThrow().pid());
    }

    @Test
    void exitCode_isTheValuePassedToSystemExit() throws Exception {
        Process p = new Process(() -> System.exit(7));
        p.start();
        p.join();
        assertEquals(7, p.exitCode());
        assertTrue(p.exception().isEmpty());
    }

    @Test
    void kill_midRun_givesMinusNine() throws Exception {
        Process p = new Process(() -> Thread.sleep(60_000));
        p.start();
        assertFalse(p.join(Duration.ofMillis(300)), "the child sleeps, so join with a timeout must time out");
        assertNull(p.exitCode());
        assertTrue(p.isAlive());
        p.kill();
        p.join();
        assertEquals(-9, p.exitCode());
    }

    @Test
    void terminate_midRun_givesMinusFifteen() throws Exception {
        Path ready = dir.resolve("ready");
        String readyFile = ready.toString();
        Process p = new Process(() -> {
            Files.writeString(Path.of(readyFile), "up");
            Thread.sleep(60_000);
        });
        p.start();
        while (!Files.exists(ready)) {
            Thread.sleep(20);
        }
        p.terminate();
        p.join();
        assertEquals(-15, p.exitCode());
    }

    @Test
    void childOutput_reachesThisJvmsSystemOutAndErr() throws Exception {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Process p = new Process(() -> {
                System.out.println("line one");
                System.out.print("line two, no newline");
                System.err.println("to stderr");
            });
            p.start();
            p.join();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        assertEquals("line one\nline two, no newline\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("to stderr\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void inheritIO_letsTheChildWriteStraightToTheRealStderr() throws Exception {
        // stderr, not stdout: Surefire reads its forked JVM's stdout as its event channel and reports direct
        // writes there as a corrupted channel.
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Process p = new Process(() -> System.err.println("straight to the terminal (expected in the build log)"),
                    JvmOptions.builder().inheritIO(true).build());
            p.start();
            p.join();
            assertEquals(0, p.exitCode());
        } finally {
            System.setErr(originalErr);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "inherited output bypasses System.err");
    }

    @Test
    void options_reachTheChild() throws Exception {
        Path out = dir.resolve("options.txt");
        String file = out.toString();
        JvmOptions options = JvmOptions.builder()
                .maxHeap("64m")
                .systemProperty("mp4j.test", "hello")
                .environment("MP4J_TEST_ENV", "world")
                .workingDirectory(dir)
                .build();
        Process p = new Process(() -> Files.writeString(Path.of(file), String.join(",",
                System.getProperty("mp4j.test"), System.getenv("MP4J_TEST_ENV"),
                Path.of("").toAbsolutePath().toString(),
                Long.toString(Runtime.getRuntime().maxMemory() / (1024 * 1024)))), options);
        p.start();
        p.join();
        String[] seen = Files.readString(out).split(",");
        assertEquals("hello", seen[0]);
        assertEquals("world", seen[1]);
        assertEquals(dir.toRealPath().toString(), Path.of(seen[2]).toRealPath().toString());
        assertTrue(Long.parseLong(seen[3]) <= 64, "max heap was " + seen[3] + " MiB");
    }

    @Test
    void hugePages_areAskedForWhereTheKernelGivesThemByMadvise() throws Exception {
        Path kernelMode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.exists(kernelMode) && Files.readString(kernelMode).contains("[madvise]");
        Path out = dir.resolve("pages.txt");
        String file = out.toString();
        Process byDefault = new Process(() -> Files.writeString(Path.of(file), Boolean.toString(
                List.of(ProcessHandle.current().info().arguments().orElseThrow()).contains("-XX:+UseTransparentHugePages"))));
        byDefault.start();
        byDefault.join();
        assertEquals(Boolean.toString(offered), Files.readString(out));
    }

    @Test
    void multiprocessing_reportsRootIdentityAndActiveChildren() throws Exception {
        assertEquals("MainProcess", Multiprocessing.currentProcess().name());
        assertEquals(ProcessHandle.current().pid(), Multiprocessing.currentProcess().pid());
        assertTrue(Multiprocessing.parentProcess().isEmpty());
        assertTrue(Multiprocessing.cpuCount() >= 1);

        Process p = new Process(() -> Thread.sleep(60_000));
        p.start();
        assertTrue(Multiprocessing.activeChildren().contains(p));
        p.kill();
        p.join();
        assertFalse(Multiprocessing.activeChildren().contains(p));
        p.close();
        assertThrows(IllegalStateException.class, p::isAlive);
    }
}
