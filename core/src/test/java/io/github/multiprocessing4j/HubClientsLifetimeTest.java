package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A process that uses shared objects made by one short-lived child after another keeps nothing for the
 * children that are gone: no connection (file descriptor) and no feeder thread per child.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@EnabledOnOs(value = OS.LINUX, disabledReason = "counts file descriptors in /proc/self/fd")
class HubClientsLifetimeTest {
    /** Makes a queue of its own (so it hosts a hub), hands it up, and exits once told to. */
    static void hostAQueue(List<Object> shared) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Queue<Object> up = (Queue<Object>) shared.get(0);
        Event done = (Event) shared.get(1);
        up.put(new Queue<Integer>());
        done.waitFor();
    }

    @Test
    void queuesOfChildrenThatExited_leaveNoConnectionsOrFeederThreadsBehind() throws Exception {
        long fdsBefore = 0;
        long feedersBefore = 0;
        for (int i = 0; i < 9; i++) {
            if (i == 3) { // after the first children, when the library's own threads and connections exist
                fdsBefore = openFileDescriptors();
                feedersBefore = feederThreads();
            }
            Queue<Object> up = new Queue<>();
            Event done = new Event();
            Process child = new Process(HubClientsLifetimeTest::hostAQueue, List.of(up, done));
            child.start();
            @SuppressWarnings("unchecked")
            Queue<Integer> theirs = (Queue<Integer>) up.get();
            theirs.put(i); // asynchronous: through a feeder to the child's hub
            assertThat(theirs.get()).isEqualTo(i); // a call: through a pooled connection
            done.set();
            child.join();
            assertThat(child.exitCode()).isZero();
        }
        // Each child used to leave two descriptors (the feeder's connection and a pooled one) and a thread.
        assertThat(openFileDescriptors() - fdsBefore).as("file descriptors kept for 6 children that exited")
                .isLessThan(6);
        assertThat(feederThreads() - feedersBefore).as("feeder threads kept for 6 children that exited")
                .isLessThan(3);
    }

    private static long openFileDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long feederThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("mp4j-feeder")).count();
    }
}
