package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What happens to children when their parent JVM ends: normally, or by {@code kill -9}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessFamilyTest {
    @TempDir
    Path dir;

    private java.lang.Process startParent(String mode, Path file) throws Exception {
        return new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), FamilyMain.class.getName(), mode, file.toString())
                .inheritIO()
                // Not this JVM's stdout: Surefire reads it as its channel and reports direct writes as corruption.
                .redirectOutput(Path.of(file + ".out").toFile())
                .start();
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

    /**
     * Whether {@code pid} still runs. A zombie has ended (it only waits to be reaped, by whichever process
     * adopted it after its parent died), though {@code ProcessHandle.isAlive} reports it alive on Linux.
     */
    private static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc", "self"))) {
            try {
                String text = Files.readString(stat);
                return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String awaitFile(Path file) throws InterruptedException, java.io.IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file) || Files.size(file) == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(file + (Files.exists(file) ? " stayed empty" : " was not written") + " for 30 s");
            }
            Thread.sleep(20);
        }
        return Files.readString(file);
    }

    @Test
    void parentKilledWithSigkill_childExitsWithinSeconds() throws Exception {
        Path file = dir.resolve("child.pid");
        java.lang.Process parent = startParent("orphan", file);
        long child = Long.parseLong(awaitFile(file));
        assertTrue(ProcessHandle.of(child).orElseThrow().isAlive());

        parent.destroyForcibly().waitFor();
        assertTrue(endsWithin(child, 5000), "child " + child + " outlived its parent by more than 5 s");
    }

    @Test
    void issue11_parentKilledWithSigkill_withChildrenInEveryState_leavesNoneOfOurPidsAliveAfter2s() throws Exception {
        Path file = dir.resolve("every-state.pids");
        java.lang.Process parent = startParent("every-state", file);
        List<String> lines = List.of();
        while (!lines.contains("ready")) {
            Thread.sleep(20);
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        }
        List<Long> pids = lines.stream().filter(line -> !line.equals("ready")).map(Long::parseLong).toList();
        assertTrue(pids.size() >= 7, "expected children in seven states: " + pids);

        parent.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Long> alive = pids;
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = alive.stream().filter(ProcessFamilyTest::isRunning).toList();
        }
        alive.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(List.of(), alive, "our pids alive 2 s after the parent's kill -9, of " + pids);
    }

    @Test
    void parentKilledWithSigkill_poolWorkersExitWithinSeconds() throws Exception {
        Path file = dir.resolve("workers.pids");
        java.lang.Process parent = startParent("pool-orphan", file);
        String[] workers = awaitFile(file).split(",");
        assertEquals(2, workers.length);

        parent.destroyForcibly().waitFor();
        for (String worker : workers) {
            assertTrue(endsWithin(Long.parseLong(worker), 5000), "worker " + worker + " outlived its parent by more than 5 s");
        }
    }

    @Test
    void parentLeavingAPoolOpen_exits_andItsWorkersAreKilled() throws Exception {
        Path file = dir.resolve("open-pool");
        java.lang.Process parent = startParent("open-pool", file);
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "a JVM with an open pool must still exit");
        assertEquals(0, parent.exitValue());
        for (String worker : Files.readString(file).split(",")) {
            assertTrue(endsWithin(Long.parseLong(worker), 5000), "worker " + worker + " outlived its parent by more than 5 s");
        }
    }

    @Test
    void sharedValueOfAParentThatExits_staysUntilItsNonDaemonChildUsedIt() throws Exception {
        Path file = dir.resolve("value");
        java.lang.Process parent = startParent("shared-value-child", file);
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, parent.exitValue());
        assertEquals("42", Files.readString(file), "the child attached the value before it was unlinked");
    }

    @Test
    void parentExitsNormally_nonDaemonChildIsWaitedFor() throws Exception {
        Path file = dir.resolve("nondaemon");
        java.lang.Process parent = startParent("non-daemon", file);
        assertEquals(0, parent.waitFor());
        assertTrue(Files.exists(Path.of(file + ".done")), "the parent must wait for its non-daemon child to finish");
    }

    @Test
    void parentExitsNormally_daemonChildIsKilled() throws Exception {
        Path file = dir.resolve("daemon");
        java.lang.Process parent = startParent("daemon", file);
        assertEquals(0, parent.waitFor());
        long child = Long.parseLong(awaitFile(Path.of(file + ".pid")));
        assertTrue(endsWithin(child, 2000), "daemon child must be killed when its parent exits");
        assertFalse(Files.exists(Path.of(file + ".done")), "daemon child must not have finished its work");
    }
}
