package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A spare's warm-up of the send path delivers everything into nothing and leaves no feeder thread behind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendWarmUpTest {

    private static Set<Thread> feeders() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("mp4j-feeder") && thread.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void warmUp_sendsInBatches_andItsFeederThreadEnds() throws Exception {
        Set<Thread> before = feeders();

        SendWarmUp.run(5_000);

        Set<Thread> after = feeders();
        after.removeAll(before);
        for (Thread left : after) {
            left.join(TimeUnit.SECONDS.toMillis(10));
        }
        Set<Thread> stillAlive = feeders();
        stillAlive.removeAll(before);
        assertEquals(Set.of(), stillAlive, "the warm-up's feeder thread must end");
    }
}
