package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Liveness and exit handling of a hub's peers, with processes whose exits the test decides. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeersTest {
    private static final long SELF = 100;

    /** Processes of this host that live until {@link #exit}; asking to watch {@link #SELF} fails as the JDK's does. */
    private static final class FakeProcesses implements Peers.Processes {
        final Map<Long, CompletableFuture<Void>> exits = new ConcurrentHashMap<>();
        final List<Long> watched = new CopyOnWriteArrayList<>();
        final List<Long> lookedUp = new CopyOnWriteArrayList<>();

        @Override
        public BooleanSupplier liveness(long pid) {
            lookedUp.add(pid);
            CompletableFuture<Void> exit = exits.computeIfAbsent(pid, ignored -> new CompletableFuture<>());
            return () -> !exit.isDone();
        }

        @Override
        public CompletionStage<?> onExit(long pid) {
            if (pid == SELF) {
                throw new IllegalStateException("onExit for current process not allowed");
            }
            watched.add(pid);
            return exits.computeIfAbsent(pid, ignored -> new CompletableFuture<>());
        }

        void exit(long pid) {
            exits.computeIfAbsent(pid, ignored -> new CompletableFuture<>()).complete(null);
        }

        /** A new process takes the pid of one that exited. */
        void reuse(long pid) {
            exits.put(pid, new CompletableFuture<>());
        }
    }

    private record Exit(long pid, boolean died) {}

    private final FakeProcesses processes = new FakeProcesses();
    private final List<Exit> exits = new CopyOnWriteArrayList<>();
    private final Peers peers = new Peers(SELF, processes, Runnable::run, (pid, died) -> exits.add(new Exit(pid, died)));

    @Test
    void localProcessWithTwoConnections_exitingNormally_isHandledOnce_asANormalExit() {
        peers.opened(7, true);
        peers.opened(7, true);
        peers.exitingNormally(7);
        peers.closed(7);
        processes.exit(7);
        peers.closed(7);
        assertEquals(List.of(new Exit(7, false)), exits);
        assertEquals(List.of(7L), processes.watched);
    }

    @Test
    void localProcessWithTwoConnections_thatDies_isHandledOnce_whicheverClosesFirst() {
        peers.opened(7, true);
        peers.opened(7, true);
        processes.exit(7);
        peers.closed(7);
        peers.closed(7);
        assertEquals(List.of(new Exit(7, true)), exits);
    }

    @Test
    void localProcess_isAliveAsLongAsItsProcess_evenWithoutConnections() {
        peers.opened(7, true);
        peers.closed(7);
        assertTrue(peers.isAlive(7));
        assertTrue(exits.isEmpty());
        processes.exit(7);
        assertFalse(peers.isAlive(7));
        assertEquals(List.of(new Exit(7, true)), exits);
    }

    @Test
    void processOnAnotherHost_isAliveWhileConnected_andExitsWithItsLastConnection() {
        processes.exit(9);   // no such pid here: this host's process table must not be asked
        peers.opened(9, false);
        peers.opened(9, false);
        assertTrue(peers.isAlive(9));
        peers.closed(9);
        assertTrue(peers.isAlive(9));
        assertTrue(exits.isEmpty());
        peers.closed(9);
        assertFalse(peers.isAlive(9));
        assertEquals(List.of(new Exit(9, true)), exits);
        assertTrue(processes.watched.isEmpty());
    }

    @Test
    void processOnAnotherHost_thatSaidGoodbye_exitsNormally() {
        peers.opened(9, false);
        peers.exitingNormally(9);
        peers.closed(9);
        assertEquals(List.of(new Exit(9, false)), exits);
    }

    @Test
    void connectionsFromThisVeryProcess_needNoExitWatch() {
        peers.opened(SELF, true);
        peers.closed(SELF);
        assertTrue(processes.watched.isEmpty());
        assertTrue(exits.isEmpty());
        assertTrue(peers.isAlive(SELF));
    }

    @Test
    void onThisHost_meansUnixSocketsLoopbackAndOwnInterfaces_notOtherAddresses() throws Exception {
        assertTrue(Peers.onThisHost(UnixDomainSocketAddress.of("/tmp/s")));
        assertTrue(Peers.onThisHost(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000)));
        assertFalse(Peers.onThisHost(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 4000)));
    }

    @Test
    void aConnectedLocalProcess_isLookedUpOnce_andAskedAtEachQuestion() {
        peers.opened(7, true);
        assertTrue(peers.isAlive(7));
        assertTrue(peers.isAlive(7));
        processes.exit(7);
        assertFalse(peers.isAlive(7));
        assertEquals(List.of(7L), processes.lookedUp);
    }

    @Test
    void realProcesses_liveUntilTheyExit_andAnUnknownPidIsNotAlive() throws Exception {
        java.lang.Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            BooleanSupplier alive = Peers.Processes.OF_THIS_HOST.liveness(sleeper.pid());
            assertTrue(alive.getAsBoolean());
            sleeper.destroyForcibly().waitFor();
            assertFalse(alive.getAsBoolean());
        } finally {
            sleeper.destroyForcibly();
        }
        assertFalse(Peers.Processes.OF_THIS_HOST.liveness(Long.MAX_VALUE).getAsBoolean());
    }

    @Test
    void aProcessThatTookTheDeadPeersPid_beforeItsExitWasHandled_countsAsAlive() {
        peers.opened(7, true);
        processes.exit(7);
        assertFalse(peers.isAlive(7));
        processes.reuse(7);
        peers.opened(7, true); // the new process connects while the old one's connection is still open
        assertTrue(peers.isAlive(7));
    }
}
