package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.wire.Listener;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where this process sends to and receives from a pipe it holds an end of: for each end, the hub keeping
 * that end's inbox (see {@link PipeState}). Both start at the hub of the process that opened the pipe, or
 * at what the process that handed this one an end knew; they change when a keeper answers
 * {@link PipeReceipt.Moved}, when an attach answers where the inboxes are, and when a keeper tells this
 * process's hub that an inbox moved ({@link HubFrame.InboxMoved}).
 *
 * <p>Order: a send goes, through this process's feeder, to the keeper this process knows. Before the first
 * send to a new keeper, this process waits until its sends to the old one are delivered; the old keeper has
 * passed each one on to the new keeper before answering, so the new keeper gets every message of this
 * process in the order it was sent. A move learned from a keeper's news waits for the same delivery, so the
 * keeper that announced it, if it is exiting, stays until this process's sends to it went on.
 *
 * <p>Threads: a send holds its route's monitor (so the flush of the old keeper and the first send to the
 * new one are not overtaken by another thread's send), possibly while it waits for its feeder. A move writes
 * the volatile keeper without that monitor. Only a keeper's news takes it, after the write, to wait for a
 * send that read the old keeper to be queued; that send's feeder is delivering to the old keeper, whose
 * hub threads pass it on, so the wait ends.
 */
public final class PipeRoutes {
    /*
     * One PipeRoutes per pipe this process has held an end of, for as long as the process lives (a few
     * hundred bytes each); a pipe's routes are not dropped when its ends are closed.
     */
    private static final Map<ObjectId, PipeRoutes> ROUTES = new ConcurrentHashMap<>();
    /** How often one receive follows a {@link PipeReceipt.Moved} before it lets its caller try again. */
    private static final int MAX_MOVES_PER_CALL = 8;
    /** Whether the process behind each hub address sent to has exited, watched once per address. */
    private static final Map<String, AtomicBoolean> EXITED = new ConcurrentHashMap<>();

    private final Handle opener;
    private final Route[] routes;
    /** Per end: whether this process holds a copy (made or received here). Guarded by this. */
    private final boolean[] holds = new boolean[2];
    /** Per end: whether this process sent a copy to another. Guarded by this. */
    private final boolean[] handedOut = new boolean[2];

    private static final class Route {
        volatile Handle keeper;
        /** The keeper this process's last send to this inbox went to, or null. Written only while holding this. */
        volatile Handle sentTo;

        Route(Handle keeper) {
            this.keeper = keeper;
        }
    }

    private PipeRoutes(Handle opener) {
        this.opener = opener;
        this.routes = new Route[] {new Route(opener), new Route(opener)};
    }

    /** The routes of the pipe opened at {@code opener}, made on first use. */
    public static PipeRoutes of(Handle opener) {
        return ROUTES.computeIfAbsent(opener.objectId(), id -> new PipeRoutes(opener));
    }

    /**
     * This process's replica of the pipe opened at {@code opener} gave away or took in {@code end}'s inbox,
     * now kept at {@code keeper}. The next send there first waits for the sends to the keeper before
     * ({@link #send}).
     */
    static void learn(Handle opener, int end, Handle keeper) {
        of(opener).moveTo(end, keeper, false);
    }

    /**
     * The replica that kept {@code end}'s inbox of {@code pipe} says it is at {@code keeper} now
     * ({@link HubFrame.InboxMoved}): waits until this process's sends to the old keeper were delivered,
     * so that a keeper handing its inboxes on at its exit stays until they went on.
     */
    static void told(ObjectId pipe, int end, Handle keeper) {
        PipeRoutes routes = ROUTES.get(pipe);
        if (routes != null) {
            routes.moveTo(end, keeper, true);
        }
    }

    /** This process holds a copy of {@code end}: it opened the pipe or received the end. */
    public synchronized void holding(int end) {
        holds[end] = true;
    }

    /** This process sends a copy of {@code end} to another process. */
    public synchronized void handingOut(int end) {
        handedOut[end] = true;
    }

    /**
     * Whether this process keeps a copy of {@code end} for itself: it holds one and never handed one out.
     * The opener of a pipe that kept one end talks to the process it gave the other end to directly
     * already, so it keeps both inboxes; one that handed out both ends only brokers them, and gives each
     * inbox to the process receiving on it (see {@link PipeState}).
     */
    synchronized boolean keepsOwnCopy(int end) {
        return holds[end] && !handedOut[end];
    }

    /**
     * The keepers this process knows, to travel with a copy of an end it hands to another process; null
     * while both are the opener's, so the common copy carries nothing more.
     */
    public Handle[] keepers() {
        Handle[] keepers = {routes[0].keeper, routes[1].keeper};
        return keepers[0].equals(opener) && keepers[1].equals(opener) ? null : keepers;
    }

    /**
     * This process now holds {@code end}: tells every keeper it knows, asking to keep the end's inbox when
     * it can receive on it. {@code known} is what the process that handed the end over knew (or null); it
     * counts only where this process knows nothing better than the opener.
     */
    public void attach(int end, boolean readable, Handle[] known) {
        if (known != null) {
            for (int inbox = 0; inbox < 2; inbox++) {
                if (known[inbox] != null && routes[inbox].keeper.equals(opener)) {
                    moveTo(inbox, known[inbox], false);
                }
            }
        }
        // First without a hub of this process's own: a pipe whose opener keeps an end talks directly already,
        // and starting a hub costs a child tens of milliseconds. Only a brokered pipe needs one.
        if (attachEverywhere(end, null, false)) {
            Handle mine = HubServer.local().handleFor(opener.objectId());
            attachEverywhere(end, mine, readable);
        }
    }

    /**
     * Attaches {@code end} at every keeper this process knows, asking to keep {@code end}'s inbox when
     * {@code claim}, and learns where the inboxes are.
     *
     * @return whether a keeper said the pipe is brokered
     */
    private boolean attachEverywhere(int end, Handle mine, boolean claim) {
        boolean brokered = false;
        for (Handle keeper : knownKeepers(end)) {
            boolean claimHere = claim && keeper.equals(routes[end].keeper) && !keeper.equals(mine);
            PipeState.Keepers now;
            try {
                now = keeper.call(new PipeRequest.Attach(end, mine, claimHere));
            } catch (RuntimeException e) {
                if (Listener.listenerExited(keeper.address())) {
                    continue;
                }
                throw e;
            }
            if (now == null) {
                continue; // both inboxes are at that keeper, as this process knew
            }
            brokered |= now.brokered();
            for (int inbox = 0; inbox < 2; inbox++) {
                // A keeper speaks for the inboxes it keeps and for those this process asked it about; its
                // word on another inbox may be older than what another keeper said.
                if (now.of(inbox) != null && (now.of(inbox).equals(keeper) || routes[inbox].keeper.equals(keeper))) {
                    moveTo(inbox, now.of(inbox), false);
                }
            }
        }
        return brokered;
    }

    /**
     * Sends {@code request} (a send from the other end) to the keeper of {@code inbox}, through this
     * process's feeder, after the sends to a previous keeper were delivered.
     *
     * @throws IllegalStateException if the keeper's process exited without handing the inbox on
     */
    public void send(int inbox, PipeRequest<?> request) {
        Route route = routes[inbox];
        synchronized (route) {
            Handle keeper = route.keeper;
            // Only a keeper the inbox moved to is watched: sends to the opener fail through the feeder, as before.
            if (keeper != opener && !keeper.equals(opener) && exited(keeper)) {
                if (exited(opener)) {
                    throw keeperExited(null);
                }
                // The opener's replica knows whether the inbox went on or was lost with its keeper.
                route.keeper = opener;
                keeper = opener;
            }
            if (route.sentTo != null && !route.sentTo.equals(keeper)) {
                HubClients.of(route.sentTo.address(), route.sentTo.key()).flush();
            }
            route.sentTo = keeper;
            try {
                keeper.send(request);
            } catch (RuntimeException e) {
                if (!keeper.equals(opener) && Listener.listenerExited(keeper.address())) {
                    throw keeperExited(e);
                }
                throw e;
            }
        }
    }

    private static IllegalStateException keeperExited(RuntimeException cause) {
        return new IllegalStateException("the other end of this pipe is closed: the process that kept the messages"
                + " sent to it exited", cause);
    }

    /** One poll at the keeper of {@code end}, following moves: whether a receive would not wait. */
    public boolean poll(int end, long timeoutNanos) {
        return !(receive(end, new PipeRequest.Poll(end, timeoutNanos)) instanceof PipeReceipt.TimedOut);
    }

    /**
     * One receive or poll ({@code request}) at the keeper of {@code end}, following moves. A keeper whose
     * process exited without handing the inbox on reads as end of file, after asking the opener once.
     */
    public PipeReceipt receive(int end, PipeRequest<?> request) {
        Route route = routes[end];
        for (int moves = 0; moves < MAX_MOVES_PER_CALL; moves++) {
            Handle keeper = route.keeper;
            PipeReceipt receipt;
            try {
                Object answer = keeper.call(request);
                receipt = answer instanceof Boolean ready
                        ? (ready ? new PipeReceipt.Ready() : new PipeReceipt.TimedOut()) : (PipeReceipt) answer;
            } catch (RuntimeException e) {
                if (!Listener.listenerExited(keeper.address())) {
                    throw e;
                }
                if (!fallBackToOpener(end, keeper)) {
                    return new PipeReceipt.EndOfFile();
                }
                continue;
            }
            if (!(receipt instanceof PipeReceipt.Moved moved)) {
                return receipt;
            }
            if (!Listener.listenerExited(moved.host().address())) {
                moveTo(end, moved.host(), false);
            } else if (!fallBackToOpener(end, keeper)) {
                return new PipeReceipt.EndOfFile();
            }
        }
        return new PipeReceipt.TimedOut();
    }

    /**
     * The keeper {@code asked} exited, or pointed at one that did: asks the opener's replica next, which
     * knows whether the inbox was handed on or lost. False when {@code asked} was the opener or the opener
     * exited too: the end is gone.
     */
    private boolean fallBackToOpener(int end, Handle asked) {
        if (asked.equals(opener) || Listener.listenerExited(opener.address())) {
            return false;
        }
        moveTo(end, opener, false);
        return true;
    }

    /** This process stops using {@code end}: every keeper it knows is told; one that exited is skipped. */
    public void close(int end, boolean handedOver) {
        for (Handle keeper : knownKeepers(end)) {
            try {
                keeper.call(new PipeRequest.Close(end, handedOver));
            } catch (RuntimeException e) {
                if (!Listener.listenerExited(keeper.address())) {
                    throw e;
                }
            }
        }
    }

    /** The keepers of both inboxes as this process knows them, {@code end}'s first, each once. */
    private Set<Handle> knownKeepers(int end) {
        Set<Handle> keepers = new LinkedHashSet<>();
        keepers.add(routes[end].keeper);
        keepers.add(routes[1 - end].keeper);
        return keepers;
    }

    /**
     * Whether the process of {@code hub} has exited, as its exit watch says: a map lookup per send, where
     * reading its state from the operating system would cost a system call each. The watch starts with the
     * first question about a hub (a process that exited before that reads as exited at once); this process's
     * own hub and a TCP one never count as exited.
     */
    private static boolean exited(Handle hub) {
        AtomicBoolean known = EXITED.get(hub.address());
        return (known != null ? known : EXITED.computeIfAbsent(hub.address(), PipeRoutes::watch)).get();
    }

    private static AtomicBoolean watch(String address) {
        AtomicBoolean exited = new AtomicBoolean();
        OptionalLong pid = Listener.pidOf(address);
        if (pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid()) {
            ProcessHandle.of(pid.getAsLong()).ifPresentOrElse(
                    process -> process.onExit().thenRun(() -> exited.set(true)), () -> exited.set(true));
        }
        return exited;
    }

    /**
     * Points {@code inbox} at {@code keeper}; the next {@link #send} first waits until the sends to the
     * previous keeper were delivered. With {@code deliverFirst}, this waits for that too (without taking a
     * failure of those sends, which their next send or flush still reports).
     */
    private void moveTo(int inbox, Handle keeper, boolean deliverFirst) {
        Route route = routes[inbox];
        route.keeper = keeper;
        if (!deliverFirst) {
            return;
        }
        Handle previous;
        synchronized (route) {
            previous = route.sentTo; // after any send that read the old keeper was queued
        }
        if (previous != null && !previous.equals(keeper)) {
            HubClients.of(previous.address(), previous.key()).awaitDelivered();
        }
    }
}
