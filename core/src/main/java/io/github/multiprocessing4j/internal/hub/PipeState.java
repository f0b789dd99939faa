package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import io.github.multiprocessing4j.internal.runtime.ExitSequence;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.wire.Listener;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One process's part of a {@code Pipe}: for each of the two ends, its inbox (the messages sent to it) when
 * this process keeps it, and the processes using either end.
 *
 * <p><b>Where an inbox lives.</b> The pipe starts in the hub of the process that opened it, keeping both
 * inboxes. While the opener keeps one end for itself, nothing moves: it already talks to the holder of the
 * other end directly. Once it has handed out both ends (it brokers the pipe), an inbox follows its
 * receiver: a process on this host that decodes a copy of an end it can receive on <em>claims</em> that end's
 * inbox when it attaches, and the keeper gives the inbox up (with the messages waiting in it) unless a rule
 * of {@code mayGive} refuses. So two processes that
 * talk through a pipe talk directly, each keeping what is sent to it, and the pipe no longer needs the process
 * that opened it. A keeper that exits normally hands each inbox it keeps back to the process that gave it,
 * or else to another live process using that end; a keeper that dies loses its inbox, whose end then
 * reads as closed (end of file for receivers, a refused send for senders), as Python's pipe does once the
 * only process holding an end dies.
 *
 * <p><b>Replicas.</b> Every process that keeps or kept an inbox of this pipe has a {@code PipeState} for
 * it, under the pipe's one id: the opener's and the adopted ones. Each knows, for an inbox it does not
 * keep, where it went, and forwards what arrives for it there: a send synchronously (so a sender's messages
 * stay in order), a receive or poll as a {@link PipeReceipt.Moved} answer. Each replica that keeps an
 * inbox also keeps the users of both ends (to tell end of file, and a send nobody can receive), so an
 * attach or close reaches every replica the caller knows and is passed on once to the keepers this replica
 * knows; both are idempotent, so a replica told twice stays right. When an inbox moves, the giver tells
 * every user's hub ({@link HubFrame.InboxMoved}), and each user's process flushes what it still sends to
 * the giver before it sends to the new keeper ({@link PipeRoutes}), so each sender's order holds.
 *
 * <p><b>Closing.</b> An end counts as closed once some process used it and no process uses it any more:
 * each process that sends or receives on an end (or receives the end as an argument) is registered as a
 * user; it stops being one when it closes its end or exits. Unlike Python, the creator need not close its
 * own copy of an end it handed to a child: copies never used do not keep an end open.
 */
public final class PipeState implements HubObject {
    /*
     * Locking: every field is guarded by this object's monitor, and no call to another hub is made while
     * holding it. Handing an inbox over marks it moving (startMove), makes the AdoptInbox call outside the
     * monitor, then points the inbox at the new keeper (finishMove); sends, receives and polls on a moving
     * inbox wait on the monitor meanwhile, so no message is added or forwarded between taking the inbox's
     * contents and pointing it elsewhere, and two replicas giving to each other cannot deadlock.
     */

    /** Waiting messages of more than this many bytes do not move with a claim: the claimant receives from here. */
    static final long MOVABLE_BYTES = 4L << 20;
    /** How often a forwarded send may be forwarded again while its inbox moves, before it fails. */
    private static final int MAX_HOPS = 4;
    private static final AtomicBoolean exitStepAdded = new AtomicBoolean();

    /** How a replica reaches other processes' hubs and this process's routes; a seam for tests. */
    interface Remote {
        /** Runs {@code frame} at {@code hub}, without first flushing this process's pending sends. */
        Object call(Handle hub, HubFrame frame);

        /** This process's own routes for the pipe opened at {@code opener} learn that {@code inbox} is kept at {@code keeper}. */
        void learned(Handle opener, int inbox, Handle keeper);

        /** Makes this process's hub tell its objects when {@code pid} exits, though it may never connect. */
        void watch(long pid);

        /** Whether this process keeps a copy of {@code end} of the pipe opened at {@code opener} for itself. */
        boolean keepsOwnCopy(Handle opener, int end);

        /** Whether process {@code pid} of this host still runs. */
        boolean alive(long pid);

        /** The real hubs and routes of this process. */
        static Remote ofThisProcess() {
            return new Remote() {
                @Override
                public Object call(Handle hub, HubFrame frame) {
                    return HubClients.of(hub.address(), hub.key()).callWithoutFlush(frame);
                }

                @Override
                public void learned(Handle opener, int inbox, Handle keeper) {
                    PipeRoutes.learn(opener, inbox, keeper);
                }

                @Override
                public void watch(long pid) {
                    HubServer.local().watch(pid);
                }

                @Override
                public boolean keepsOwnCopy(Handle opener, int end) {
                    return PipeRoutes.of(opener).keepsOwnCopy(end);
                }

                @Override
                public boolean alive(long pid) {
                    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                }
            };
        }
    }

    /**
     * Where each inbox is, as one replica knows it (null where that replica knows of none: it was lost);
     * {@code brokered} when that replica's process keeps no end of the pipe for itself, so its inboxes go to
     * the processes receiving on them, and those using the pipe should have a hub to hear of moves.
     */
    public record Keepers(Handle of0, Handle of1, boolean brokered) implements Serializable {
        public Handle of(int end) {
            return end == 0 ? of0 : of1;
        }
    }

    /** An inbox on its way to a new keeper, with everything its keeper must know about the pipe. */
    record Handover(Handle opener, int end, List<Item> messages, List<Set<Long>> users, List<Set<Long>> left,
            boolean[] used, Map<Long, Handle> hubs, Handle otherKeeper, Handle from) implements Serializable {}

    private static final class Inbox {
        final ArrayDeque<Item> messages = new ArrayDeque<>();
        /** Whether this replica ever kept this inbox (the opener's from the start, others once adopted). */
        boolean everHere;
        /** Being handed to another replica ({@link #startMove}); sends and receives on it wait meanwhile. */
        boolean moving;
        long bytes;
        /** The hub keeping these messages instead, once the inbox moved; null while kept here. */
        Handle movedTo;
        /** Its keeper died: nothing can be received from it, and sends to it are refused. */
        boolean lost;
        /** This replica's own process received on this end, so it keeps the inbox rather than give it to a claimant. */
        boolean receivedHere;
        /** The replica that gave this inbox here, where it goes back at this process's normal exit; null if none. */
        Handle givenBy;

        void add(Item message) {
            messages.addLast(Objects.requireNonNull(message, "message"));
            bytes += message.length();
        }

        /** Puts {@code older}, which came before everything here, in front. */
        void addInFront(List<Item> older) {
            for (int i = older.size() - 1; i >= 0; i--) {
                messages.addFirst(older.get(i));
                bytes += older.get(i).length();
            }
        }

        Item take() {
            Item message = messages.pollFirst();
            bytes -= message.length();
            return message;
        }

        void clear() {
            messages.clear();
            bytes = 0;
        }
    }

    private final Scheduler clock;
    private final Remote remote;
    private final long self;
    private final Inbox[] inboxes = {new Inbox(), new Inbox()};
    private final List<Set<Long>> users = List.of(new HashSet<>(), new HashSet<>());
    /**
     * Per end: processes that closed it here and did not use it again, so that a replica taking this one's
     * users can drop them from its own, older view (it may have missed the close).
     */
    private final List<Set<Long>> left = List.of(new HashSet<>(), new HashSet<>());
    /** Whether any process ever used end 0 and end 1. */
    private final boolean[] used = new boolean[2];
    /** The hubs of processes that attached an end: where they hear that an inbox moved. */
    private final Map<Long, Handle> hubs = new HashMap<>();
    /** This replica as others reach it: its hub and the pipe's id; null until registered. */
    private Handle home;
    /** The opener's replica, as the pipe's ends name it; null until registered. */
    private Handle opener;

    /** A pipe hosted by a hub that never talks to others (the tests' {@code FakeHub}). */
    public PipeState(Scheduler clock) {
        this(clock, null, ProcessHandle.current().pid(), true);
    }

    private PipeState(Scheduler clock, Remote remote, long self, boolean opened) {
        this.clock = clock;
        this.remote = remote;
        this.self = self;
        for (Inbox inbox : inboxes) {
            inbox.everHere = opened;
        }
    }

    /** Opens a pipe in this process's hub, keeping both inboxes, and returns its handle. */
    public static Handle open() {
        HubServer hub = HubServer.local();
        PipeState pipe = new PipeState(Scheduler.system(), Remote.ofThisProcess(), ProcessHandle.current().pid(), true);
        Handle handle = hub.register(pipe);
        pipe.settle(handle, handle);
        addExitStepOnce();
        return handle;
    }

    /** The replica {@code hub} makes for a pipe it adopts an inbox of, registered under the pipe's id. */
    static PipeState adopted(Handle home, Handle opener) {
        addExitStepOnce();
        return replica(Scheduler.system(), Remote.ofThisProcess(), ProcessHandle.current().pid(), home, opener, false);
    }

    /**
     * A replica at {@code home} of the pipe opened at {@code opener}, in process {@code self}, reaching the
     * others through {@code remote}; {@code opened} for the opener's, which keeps both inboxes from the start.
     */
    static PipeState replica(Scheduler clock, Remote remote, long self, Handle home, Handle opener, boolean opened) {
        PipeState pipe = new PipeState(clock, remote, self, opened);
        pipe.settle(home, opener);
        return pipe;
    }

    private synchronized void settle(Handle home, Handle opener) {
        this.home = home;
        this.opener = opener;
    }

    /** Registers {@link ExitSequence.Step#HAND_OVER_PIPES}, once per JVM, bounded like the sends' delivery. */
    private static void addExitStepOnce() {
        if (!exitStepAdded.compareAndSet(false, true)) {
            return;
        }
        ExitSequence.add(ExitSequence.Step.HAND_OVER_PIPES, () -> {
            HubServer hub = HubServer.localIfStarted();
            if (hub == null) {
                return;
            }
            Thread handOver = LibraryThreads.start(hub::handOverPipes, "mp4j-exit-pipes");
            try {
                handOver.join(ExitFarewell.EXIT_FLUSH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * {@code caller}'s process now holds {@code end}; {@code callerHub} is its hub (for this pipe's id), where
     * it hears of moves, or null. With {@code claim}, the caller would keep this end's inbox: it gets it if
     * kept here, unclaimed by this process's own receiving, not too full, and the caller is on this host.
     *
     * @return where each inbox is now, as this replica knows; null when both are kept here and the pipe is
     *     not brokered, the common case, which then costs the caller no decoding
     */
    public Keepers attach(Caller caller, int end, Handle callerHub, boolean claim, boolean passOn) {
        Handover handover = null;
        synchronized (this) {
            awaitMoves(); // else the new keeper's snapshot would miss this user
            use(end, caller.pid());
            if (callerHub != null && caller.pid() != self && hubs.put(caller.pid(), callerHub) == null && remote != null) {
                remote.watch(caller.pid());
            }
            if (claim && mayGive(end, caller, callerHub)) {
                handover = startMove(end);
            }
        }
        if (handover != null && finishMove(handover, callerHub)) {
            tellOfMove(end, callerHub);
        }
        List<Handle> keepersToTell;
        Keepers keepers;
        synchronized (this) {
            awaitMoves(); // another claimant's move: the new keeper must hear of this user too
            keepersToTell = passOn ? otherKeepers(callerHub) : List.of();
            keepers = keepers();
            if (!keepers.brokered() && Objects.equals(home, keepers.of0()) && Objects.equals(home, keepers.of1())) {
                keepers = null;
            }
        }
        for (Handle keeper : keepersToTell) {
            tell(keeper, call(new PipeRequest.Forwarded(caller.pid(), 0, new PipeRequest.Attach(end, callerHub, false))));
        }
        return keepers;
    }

    /** Sends {@code message} from {@code end} to the other end, here or where its inbox went. */
    public void send(Caller caller, int end, Item message) {
        send(caller, end, message, 0);
    }

    void send(Caller caller, int end, Item message, int hops) {
        int to = peer(end);
        Handle keeper;
        // A send passed on from a process that died since may arrive after this hub saw that exit.
        boolean senderLives = hops == 0 || remote == null || remote.alive(caller.pid());
        synchronized (this) {
            if (senderLives) {
                use(end, caller.pid());
            }
            Inbox inbox = inboxes[to];
            awaitMove(inbox);
            if (inbox.lost) {
                throw new IllegalStateException(lostMessage());
            }
            if (inbox.movedTo == null) {
                if (closed(to)) {
                    throw new IllegalStateException("the other end of this pipe is closed: nobody can receive");
                }
                inbox.add(message);
                notifyAll();
                return;
            }
            keeper = inbox.movedTo;
        }
        if (hops >= MAX_HOPS) {
            throw new IllegalStateException("a pipe message was passed on " + hops + " times while its receiver's"
                    + " messages moved between processes; it was not delivered");
        }
        try {
            remote.call(keeper, call(new PipeRequest.Forwarded(caller.pid(), hops + 1, new PipeRequest.Send(end, message))));
        } catch (RuntimeException e) {
            if (Listener.listenerExited(keeper.address())) {
                throw new IllegalStateException(lostMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Adds a feeder batch's run of sends from process {@code pid} (see {@link HubServer#invokeBatch}) under
     * one hold of the monitor, waking receivers once instead of once per message, when every call is a send
     * from the same end to an inbox kept here and open. Otherwise adds nothing, for the calls to run one by
     * one.
     *
     * @return whether it added them
     */
    boolean sendRun(long pid, List<HubFrame.Call> run) {
        if (!(run.get(0).request() instanceof PipeRequest.Send first)) {
            return false;
        }
        int end = first.end();
        for (HubFrame.Call call : run) {
            if (!(call.request() instanceof PipeRequest.Send send) || send.end() != end) {
                return false;
            }
        }
        synchronized (this) {
            Inbox inbox = inboxes[peer(end)];
            if (inbox.moving || inbox.movedTo != null || inbox.lost || closed(peer(end))) {
                return false;
            }
            use(end, pid);
            for (HubFrame.Call call : run) {
                inbox.add(((PipeRequest.Send) call.request()).message());
            }
            notifyAll();
            return true;
        }
    }

    /** Receives at {@code end}, waiting at most {@code timeoutNanos}; {@link PipeReceipt.Moved} if kept elsewhere. */
    public synchronized PipeReceipt receive(Caller caller, int end, long timeoutNanos) {
        use(end, caller.pid());
        PipeReceipt ready = awaitReady(caller, end, timeoutNanos);
        if (!(ready instanceof PipeReceipt.Ready)) {
            return ready;
        }
        Inbox inbox = inboxes[end];
        if (inbox.messages.isEmpty()) {
            return new PipeReceipt.EndOfFile();
        }
        if (!caller.isAlive()) {
            return new PipeReceipt.TimedOut();
        }
        return new PipeReceipt.Delivered(inbox.take());
    }

    /**
     * Whether a receive at {@code end} would answer at once, waiting at most {@code timeoutNanos} for that:
     * {@link PipeReceipt.Ready}, {@link PipeReceipt.TimedOut}, or {@link PipeReceipt.Moved}.
     */
    public synchronized PipeReceipt poll(Caller caller, int end, long timeoutNanos) {
        return awaitReady(caller, end, timeoutNanos);
    }

    /**
     * Waits, at most {@code timeoutNanos}, until {@code end}'s inbox has moved ({@link PipeReceipt.Moved}), or
     * has a message or reads as end of file ({@link PipeReceipt.Ready}); else {@link PipeReceipt.TimedOut}.
     * Called while holding this.
     */
    private PipeReceipt awaitReady(Caller caller, int end, long timeoutNanos) {
        Inbox inbox = inboxes[end];
        if (caller.pid() == self) {
            inbox.receivedHere = true;
        }
        Deadline deadline = new Deadline(timeoutNanos, clock);
        while (true) {
            awaitMove(inbox);
            if (inbox.movedTo != null) {
                return new PipeReceipt.Moved(inbox.movedTo);
            }
            if (!inbox.messages.isEmpty() || inbox.lost || closed(peer(end))) {
                return new PipeReceipt.Ready();
            }
            if (!deadline.await(this, caller)) {
                return new PipeReceipt.TimedOut();
            }
        }
    }

    /**
     * {@code caller}'s process stops using {@code end}. A process that never used the end and handed a copy
     * of it to another process ({@code handedOver}) only gives up its own copy: the end stays open for the
     * process that received it, even if that process has not attached yet (Python's
     * {@code child_conn.close()} right after {@code start()}). Otherwise the end counts as used, so that it
     * is closed once nobody uses it.
     */
    public void close(Caller caller, int end, boolean handedOver, boolean passOn) {
        List<Handle> keepersToTell;
        synchronized (this) {
            awaitMoves(); // else the new keeper's snapshot would still count this user
            boolean wasUser = users.get(end).remove(caller.pid());
            left.get(end).add(caller.pid());
            if (wasUser || !handedOver) {
                used[end] = true;
            }
            notifyAll();
            keepersToTell = passOn ? otherKeepers(null) : List.of();
        }
        for (Handle keeper : keepersToTell) {
            tell(keeper, call(new PipeRequest.Forwarded(caller.pid(), 0, new PipeRequest.Close(end, handedOver))));
        }
    }

    /**
     * Takes in an inbox another replica hands to this one ({@link HubFrame.AdoptInbox}); {@code fresh} when
     * this replica was made for it, so it knows the other inbox only from the handover.
     */
    void adopt(Handover handover, boolean fresh) {
        synchronized (this) {
            take(handover, fresh);
        }
        // Outside the monitor: this process may first wait for its own sends to the giver, which forwards them here.
        if (remote != null) {
            remote.learned(opener, handover.end(), home);
        }
    }

    private void take(Handover handover, boolean fresh) {
        assert Thread.holdsLock(this);
        Inbox inbox = inboxes[handover.end()];
        // An inbox coming back to a replica that gave it away keeps the giver it had; otherwise it returns to the sender.
        if (!inbox.everHere) {
            inbox.givenBy = handover.from();
            inbox.everHere = true;
        }
        inbox.addInFront(handover.messages());
        inbox.movedTo = null;
        inbox.lost = false;
        for (int end = 0; end < 2; end++) {
            // This replica may have missed closes that went straight to the giver, and the giver attaches
            // that reached only this replica: keep both sides' users, less those the giver saw leave.
            users.get(end).removeAll(handover.left().get(end));
            users.get(end).addAll(handover.users().get(end));
            left.get(end).removeAll(handover.users().get(end));
            left.get(end).addAll(handover.left().get(end));
            used[end] |= handover.used()[end];
        }
        handover.hubs().forEach(hubs::putIfAbsent);
        Set<Long> others = new HashSet<>(handover.hubs().keySet());
        handover.users().forEach(others::addAll);
        others.remove(self);
        if (remote != null) {
            for (long pid : others) {
                if (remote.alive(pid)) {
                    // A user that never called this hub would otherwise never be seen exiting here.
                    remote.watch(pid);
                } else {
                    // Gone before the hand-over: this hub may have seen that exit already, and will not again.
                    users.get(0).remove(pid);
                    users.get(1).remove(pid);
                    hubs.remove(pid);
                }
            }
        }
        Inbox other = inboxes[peer(handover.end())];
        if (fresh && handover.otherKeeper() == null) {
            other.lost = true;
        } else if (fresh && !home.equals(handover.otherKeeper())) {
            other.movedTo = handover.otherKeeper();
        }
        notifyAll();
    }

    /** This process learned that {@code end}'s inbox is now kept at {@code keeper} ({@link HubFrame.InboxMoved}). */
    synchronized void movedOn(int end, Handle keeper) {
        Inbox inbox = inboxes[end];
        if ((inbox.movedTo != null || inbox.lost) && !keeper.equals(home)) {
            inbox.movedTo = keeper;
            inbox.lost = false;
            notifyAll();
        }
    }

    /**
     * At this process's normal exit: hands each inbox kept here to the replica that gave it, else to another
     * live process using that end, so what waits in it and what is still sent to it is not lost. Only the
     * first such process is offered it: one whose answer was lost may have taken it.
     */
    void handOverAtExit() {
        for (int end = 0; end < 2; end++) {
            Handover handover = null;
            Handle successor = null;
            synchronized (this) {
                Inbox inbox = inboxes[end];
                awaitMove(inbox);
                if (inbox.movedTo == null && !inbox.lost) {
                    successor = successor(end);
                    handover = successor == null ? null : startMove(end);
                }
            }
            if (handover != null && finishMove(handover, successor)) {
                tellOfMove(end, successor);
            }
        }
    }

    /** Where an inbox kept here goes at exit: back to its giver if alive, else to another live user's hub; or null. */
    private Handle successor(int end) {
        assert Thread.holdsLock(this);
        Inbox inbox = inboxes[end];
        if (inbox.givenBy != null && !Listener.listenerExited(inbox.givenBy.address())) {
            return inbox.givenBy;
        }
        for (long pid : users.get(end)) {
            Handle hub = hubs.get(pid);
            if (pid != self && hub != null && !Listener.listenerExited(hub.address())) {
                return hub;
            }
        }
        return null;
    }

    /**
     * Whether {@code end}'s inbox may go to the claimant {@code caller}, whose hub is {@code callerHub}: it is
     * kept here and not moving; this process neither received on that end nor keeps its own copy of the
     * other end (it only brokers the pipe); no other process uses that end, which would lose its messages if
     * the claimant died; it is small enough to move; and the claimant is on this host.
     */
    private boolean mayGive(int end, Caller caller, Handle callerHub) {
        assert Thread.holdsLock(this);
        Inbox inbox = inboxes[end];
        if (remote == null || callerHub == null || caller.pid() == self || inbox.movedTo != null || inbox.lost
                || inbox.moving || inbox.receivedHere || inbox.bytes > MOVABLE_BYTES
                || remote.keepsOwnCopy(opener, peer(end))) {
            return false;
        }
        for (long user : users.get(end)) {
            if (user != caller.pid() && user != self) {
                return false;
            }
        }
        OptionalLong hubPid = Listener.pidOf(callerHub.address());
        return hubPid.isPresent() && hubPid.getAsLong() == caller.pid();
    }

    /**
     * Starts moving {@code end}'s inbox: until {@link #finishMove}, sends, receives and polls on it wait.
     *
     * @return what the new keeper is to take in
     */
    private Handover startMove(int end) {
        assert Thread.holdsLock(this);
        Inbox inbox = inboxes[end];
        inbox.moving = true;
        return new Handover(opener, end, List.copyOf(inbox.messages), List.of(Set.copyOf(users.get(0)),
                Set.copyOf(users.get(1))), List.of(Set.copyOf(left.get(0)), Set.copyOf(left.get(1))), used.clone(),
                Map.copyOf(hubs), keepers().of(peer(end)), home);
    }

    /**
     * Offers the inbox {@code handover} holds to the replica at {@code to}, outside this monitor (see the
     * note on locking), and ends the move: on success the inbox points there, else nothing changed.
     *
     * @return whether {@code to} took it
     */
    private boolean finishMove(Handover handover, Handle to) {
        assert !Thread.holdsLock(this);
        boolean taken;
        try {
            remote.call(to, new HubFrame.AdoptInbox(home.objectId(), handover));
            taken = true;
        } catch (RuntimeException e) {
            taken = false;
        }
        synchronized (this) {
            Inbox inbox = inboxes[handover.end()];
            inbox.moving = false;
            if (taken) {
                inbox.clear();
                inbox.movedTo = to;
            }
            notifyAll();
        }
        return taken;
    }

    /** Waits while either inbox is moving. */
    private void awaitMoves() {
        awaitMove(inboxes[0]);
        awaitMove(inboxes[1]);
    }

    /** Waits while {@code inbox} is moving; keeps an interrupt for the caller. */
    private void awaitMove(Inbox inbox) {
        assert Thread.holdsLock(this);
        boolean interrupted = false;
        while (inbox.moving) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After {@code end}'s inbox moved to {@code keeper}: this process's routes learn it, and so do every
     * user's hub, the replica that gave the inbox here and the opener's (which forward to this one and would
     * otherwise point at a process that may exit).
     */
    private void tellOfMove(int end, Handle keeper) {
        long keeperPid = Listener.pidOf(keeper.address()).orElse(-1);
        Set<Handle> toTell = new LinkedHashSet<>();
        synchronized (this) {
            for (Handle replica : new Handle[] {inboxes[end].givenBy, opener}) {
                if (replica != null && !replica.equals(home) && Listener.pidOf(replica.address()).orElse(-1) != keeperPid) {
                    toTell.add(replica);
                }
            }
            hubs.forEach((user, hub) -> {
                if (user != keeperPid && user != self) {
                    toTell.add(hub);
                }
            });
        }
        remote.learned(opener, end, keeper);
        for (Handle hub : toTell) {
            tell(hub, new HubFrame.InboxMoved(home.objectId(), end, keeper));
        }
    }

    /** The hubs keeping this pipe's inboxes elsewhere, except {@code except}: where an attach or close is passed on. */
    private List<Handle> otherKeepers(Handle except) {
        assert Thread.holdsLock(this);
        Set<Handle> keepers = new LinkedHashSet<>();
        for (Inbox inbox : inboxes) {
            if (inbox.movedTo != null && !inbox.movedTo.equals(except)) {
                keepers.add(inbox.movedTo);
            }
        }
        return new ArrayList<>(keepers);
    }

    private Keepers keepers() {
        assert Thread.holdsLock(this);
        boolean brokered = remote != null && !remote.keepsOwnCopy(opener, 0) && !remote.keepsOwnCopy(opener, 1);
        return new Keepers(keeperOf(0), keeperOf(1), brokered);
    }

    private Handle keeperOf(int end) {
        Inbox inbox = inboxes[end];
        return inbox.lost ? null : inbox.movedTo != null ? inbox.movedTo : home;
    }

    /**
     * Runs {@code frame} at {@code hub}, for news that only helps: a process that exited or fails to take it
     * keeps asking through the replicas it knows, which forward.
     */
    private void tell(Handle hub, HubFrame frame) {
        try {
            remote.call(hub, frame);
        } catch (RuntimeException e) {
            // Nothing to undo: see above.
        }
    }

    private HubFrame.Call call(PipeRequest<?> request) {
        return new HubFrame.Call(home.objectId(), Thread.currentThread().getId(), request);
    }

    private String lostMessage() {
        return "the other end of this pipe is closed: the process that kept the messages sent to it died";
    }

    private static int peer(int end) {
        if (end != 0 && end != 1) {
            throw new IllegalArgumentException("a pipe end is 0 or 1 but was " + end);
        }
        return 1 - end;
    }

    private void use(int end, long pid) {
        assert Thread.holdsLock(this);
        peer(end); // checks that end is 0 or 1
        users.get(end).add(pid);
        left.get(end).remove(pid);
        used[end] = true;
    }

    private boolean closed(int end) {
        assert Thread.holdsLock(this);
        return used[end] && users.get(end).isEmpty();
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        boolean changed = users.get(0).remove(pid) | users.get(1).remove(pid);
        hubs.remove(pid);
        for (Inbox inbox : inboxes) {
            if (inbox.movedTo != null && Listener.pidOf(inbox.movedTo.address()).orElse(-1) == pid) {
                // Its keeper exited without handing it on (a normal exit hands it over before this is seen).
                inbox.movedTo = null;
                inbox.lost = true;
                changed = true;
            }
        }
        if (changed) {
            notifyAll();
        }
    }
}
