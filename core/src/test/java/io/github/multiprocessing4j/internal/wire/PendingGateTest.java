package io.github.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11, fault 1: idle connections on one entrance cannot hold it, nor any other entrance. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PendingGateTest {
    private static final long GRACE = 1_000;

    private static Channel unconnected() throws IOException {
        return new Channel(SocketChannel.open());
    }

    @Test
    void aFullGate_refusesNewcomersWhileTheWaitingAreYoung() throws IOException {
        PendingGate gate = new PendingGate(2, GRACE);
        assertThat(gate.admit(unconnected(), 0)).isTrue();
        assertThat(gate.admit(unconnected(), 10)).isTrue();
        assertThat(gate.admit(unconnected(), GRACE - 1)).isFalse();
        assertThat(gate.size()).isEqualTo(2);
    }

    @Test
    void aFullGate_dropsTheLongestWaiting_onceItIsPastTheGracePeriod() throws IOException {
        PendingGate gate = new PendingGate(2, GRACE);
        Channel oldest = unconnected();
        Channel younger = unconnected();
        gate.admit(oldest, 0);
        gate.admit(younger, 500);
        Channel newcomer = unconnected();
        assertThat(gate.admit(newcomer, GRACE)).isTrue();
        assertThat(oldest.isOpen()).as("the oldest was dropped").isFalse();
        assertThat(younger.isOpen()).isTrue();
        assertThat(gate.size()).isEqualTo(2);
    }

    @Test
    void aConnectionThatLeft_freesItsPlace() throws IOException {
        PendingGate gate = new PendingGate(1, GRACE);
        Channel first = unconnected();
        gate.admit(first, 0);
        gate.leave(first);
        gate.leave(first);
        assertThat(gate.admit(unconnected(), 1)).isTrue();
        assertThat(first.isOpen()).isTrue();
    }

    @Test
    void aFloodOfIdleConnections_keepsNoEntranceFull() throws IOException {
        PendingGate gate = new PendingGate(64, GRACE);
        List<Channel> flood = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Channel idle = unconnected();
            flood.add(idle);
            gate.admit(idle, i * 100L); // ten a grace period, for 100 periods
        }
        assertThat(gate.size()).isLessThanOrEqualTo(64);
        assertThat(gate.admit(unconnected(), 1000 * 100L)).as("a newcomer still gets in").isTrue();
        flood.forEach(Channel::close);
    }
}
