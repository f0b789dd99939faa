package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.wire.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
