package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.internal.codec.Item;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a pipe's inboxes move between replicas ({@link PipeState}): claims, passing sends on, a keeper's death
 * and the hand-over at exit. The replicas talk through a fake {@link PipeState.Remote} that calls the other
 * replica directly; the processes are real ({@code sleep}), since a replica asks whether a hub's process runs.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PipeMovesTest {
    private static final ObjectId PIPE = new ObjectId(7, 7);

    private final FakeHub hub = new FakeHub();
    private final List<java.lang.Process> processes = new ArrayList<>();
    /** The replicas, by their hub's address. */
    private final Map<String, PipeState> replicas = new HashMap<>();
    /** Per process: whether it keeps its own copy of end 0 and end 1. */
    private final Map<Long, boolean[]> ownCopies = new HashMap<>();
    private long opener;
    private long claimant;
    private long sender;
    private PipeState atOpener;

    @BeforeEach
    void start() throws IOException {
        opener = sleeper();
        claimant = sleeper();
        sender = sleeper();
        atOpener = replica(opener, true);
    }

    @AfterEach
    void stop() {
        processes.forEach(java.lang.Process::destroyForcibly);
        hub.close();
    }

    private long sleeper() throws IOException {
        java.lang.Process process = new ProcessBuilder("sleep", "60").start();
        processes.add(process);
        ownCopies.put(process.pid(), new boolean[2]);
        return process.pid();
    }

    private static Handle hubOf(long pid) {
        return new Handle("unix:/tmp/mp4j-" + pid + "-hub-test/s", new byte[] {1}, PIPE);
    }

    private PipeState replica(long pid, boolean opened) {
        PipeState replica = PipeState.replica(hub.clock, remoteOf(pid), pid, hubOf(pid), hubOf(opener), opened);
        replicas.put(hubOf(pid).address(), replica);
        return replica;
    }

    /** What process {@code pid}'s replica reaches others with: their replicas, called as from {@code pid}. */
    private PipeState.Remote remoteOf(long pid) {
        return new PipeState.Remote() {
            @Override
            public Object call(Handle target, HubFrame frame) {
                PipeState there = replicas.get(target.address());
                if (frame instanceof HubFrame.AdoptInbox adopt) {
                    boolean fresh = there == null;
                    if (fresh) {
                        there = replica(Long.parseLong(target.address().split("-")[1]), false);
                    }
                    there.adopt(adopt.handover(), fresh);
                    return null;
                }
                if (frame instanceof HubFrame.InboxMoved moved) {
                    if (there != null) { // a user's hub without a replica of its own has only routes to update
                        there.movedOn(moved.end(), moved.keeper());
                    }
                    return null;
                }
                HubFrame.Call call = (HubFrame.Call) frame;
                try {
                    return call.request().dispatch(there, hub.caller(pid, 1));
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void learned(Handle opener, int inbox, Handle keeper) {
            }

            @Override
            public void watch(long watched) {
            }

            @Override
            public boolean keepsOwnCopy(Handle opener, int end) {
                return ownCopies.get(pid)[end];
            }

            @Override
            public boolean alive(long other) {
                return ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false);
            }
        };
    }

    private static Item message(int n) {
        return Item.of(new byte[] {(byte) n});
    }

    private static byte[] delivered(PipeReceipt receipt) {
        assertInstanceOf(PipeReceipt.Delivered.class, receipt);
        return ((PipeReceipt.Delivered) receipt).message().head();
    }

    /** The sender holds end 0; the claimant attaches end 1 and asks to keep its inbox. */
    private PipeState.Keepers claim() {
        atOpener.attach(hub.caller(sender, 1), 0, hubOf(sender), false, true);
        return atOpener.attach(hub.caller(claimant, 1), 1, hubOf(claimant), true, true);
    }

    @Test
    void aClaimMovesTheWaitingMessages_andLaterSendsArePassedOn_inOrder() {
        atOpener.send(hub.caller(sender, 1), 0, message(1));
        atOpener.send(hub.caller(sender, 1), 0, message(2));
        PipeState.Keepers keepers = claim();
        assertEquals(hubOf(claimant), keepers.of1(), "the claimant keeps end 1's inbox now");
        assertEquals(hubOf(opener), keepers.of0());
        assertTrue(keepers.brokered(), "the opener keeps no end for itself");
        atOpener.send(hub.caller(sender, 1), 0, message(3));
        PipeState atClaimant = replicas.get(hubOf(claimant).address());
        for (int n = 1; n <= 3; n++) {
            assertArrayEquals(new byte[] {(byte) n}, delivered(atClaimant.receive(hub.caller(claimant, 1), 1, 0)));
        }
        assertEquals(new PipeReceipt.Moved(hubOf(claimant)), atOpener.receive(hub.caller(claimant, 1), 1, 0));
    }

    @Test
    void anOpenerThatKeepsItsOwnCopyOfTheOtherEnd_givesNothing() {
        ownCopies.get(opener)[0] = true;
        atOpener.send(hub.caller(opener, 1), 0, message(1));
        assertNull(atOpener.attach(hub.caller(claimant, 1), 1, hubOf(claimant), true, true),
                "both inboxes stay with the opener, which talks to the claimant directly already");
        assertArrayEquals(new byte[] {1}, delivered(atOpener.receive(hub.caller(claimant, 1), 1, 0)));
    }

    @Test
    void aClaimIsRefused_whenAnotherProcessAlreadyUsesThatEnd() {
        atOpener.attach(hub.caller(sender, 1), 1, hubOf(sender), false, true);
        PipeState.Keepers keepers = atOpener.attach(hub.caller(claimant, 1), 1, hubOf(claimant), true, true);
        assertEquals(hubOf(opener), keepers.of1(), "the claimant's death would lose the other reader's messages");
    }

    @Test
    void whenTheKeeperDies_theOpenerReportsThatEndClosed() {
        claim();
        atOpener.processExited(claimant, true);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> atOpener.send(hub.caller(sender, 1), 0, message(1)));
        FakeHub.assertMessageContains(refused, "kept the messages sent to it died");
        assertInstanceOf(PipeReceipt.EndOfFile.class, atOpener.receive(hub.caller(claimant, 1), 1, 0));
    }

    /** Process {@code other} keeps end 0's inbox and the claimant end 1's, so the opener keeps neither. */
    private PipeState bothInboxesClaimed(long other) {
        atOpener.attach(hub.caller(other, 1), 0, hubOf(other), true, true);
        atOpener.attach(hub.caller(claimant, 1), 1, hubOf(claimant), true, true);
        return replicas.get(hubOf(claimant).address());
    }

    @Test
    void anInboxHandedBackToAReplicaThatKeptNeither_takesTheKeepersUsers_notItsOwnStaleOnes() throws IOException {
        long other = sleeper();
        long leaver = sleeper();
        PipeState atClaimant = bothInboxesClaimed(other);
        atOpener.attach(hub.caller(leaver, 1), 0, hubOf(leaver), false, true);
        // Both leave end 0 telling the claimant only, as a process that knew no other keeper would.
        atClaimant.close(hub.caller(leaver, 1), 0, false, false);
        atClaimant.close(hub.caller(other, 1), 0, false, false);
        atClaimant.handOverAtExit();
        assertInstanceOf(PipeReceipt.EndOfFile.class, atOpener.receive(hub.caller(claimant, 1), 1, 0),
                "nobody uses end 0 any more, whatever the opener saw before");
    }

    @Test
    void anInboxHandedBack_keepsAUserThatAttachedOnlyWhereItGoesBack() throws IOException {
        long other = sleeper();
        long late = sleeper();
        PipeState atClaimant = bothInboxesClaimed(other);
        // An attach still on its way to the keeper when the keeper hands the inbox back.
        atOpener.attach(hub.caller(late, 1), 1, hubOf(late), false, false);
        atClaimant.close(hub.caller(claimant, 1), 1, false, false);
        atClaimant.handOverAtExit();
        atOpener.send(hub.caller(other, 1), 0, message(1));
        assertArrayEquals(new byte[] {1}, delivered(atOpener.receive(hub.caller(late, 1), 1, 0)),
                "the late process still holds end 1, so it can be sent to");
    }

    @Test
    void atItsNormalExit_theKeeperHandsTheInboxBack_withWhatIsUnread() {
        claim();
        atOpener.send(hub.caller(sender, 1), 0, message(1));
        atOpener.send(hub.caller(sender, 1), 0, message(2));
        PipeState atClaimant = replicas.get(hubOf(claimant).address());
        assertArrayEquals(new byte[] {1}, delivered(atClaimant.receive(hub.caller(claimant, 1), 1, 0)));
        atClaimant.handOverAtExit();
        assertEquals(new PipeReceipt.Moved(hubOf(opener)), atClaimant.receive(hub.caller(sender, 1), 1, 0));
        atOpener.send(hub.caller(sender, 1), 0, message(3));
        assertArrayEquals(new byte[] {2}, delivered(atOpener.receive(hub.caller(sender, 1), 1, 0)));
        assertArrayEquals(new byte[] {3}, delivered(atOpener.receive(hub.caller(sender, 1), 1, 0)));
    }
}
