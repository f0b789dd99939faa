package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The processes a hub serves: whether each is alive ({@link Caller.Liveness}), and its exit, handled once
 * per process however many connections it had, through however many entrances.
 *
 * <p>A peer on this host (connected by Unix socket, loopback, or an address of one of this host's
 * interfaces) is alive while its pid is: when one of its connections closes, its process is watched, and
 * its exit is handled when the process is gone. A peer on another host has a pid that means nothing here,
 * so it is alive while it has an open connection to this hub, and its exit is handled when its last
 * connection closes. Either way the exit counts as a death unless the process sent the
 * {@linkplain HubFrame.ExitNotice normal-exit notice} first.
 */
final class Peers implements Caller.Liveness {
    /*
     * One Peer entry per pid that has or had a connection, or that an object asked to watch (a pipe's user
     * that may never connect, see watch), until its exit is handled and its last connection closed.
     * Threads: connection threads call opened/closed; exit watches complete on the JDK's process reaper and
     * are moved to the executor; any hosted object's waiting call asks isAlive while holding that
     * object's monitor. The exit callback (which takes objects' monitors) therefore runs outside this
     * object's lock, so the two never nest the other way round.
     *
     * This process's own connections (a manager reached over TCP from its own JVM) are never watched: the
     * JVM cannot see itself exit, and ProcessHandle refuses onExit for the current process.
     */

    /** How processes of this host are watched: a seam, so tests can decide when a process "dies". */
    interface Processes {
        /**
         * Asks, each time it is called, whether {@code pid} still runs. A real process is looked up once, so
         * each later question reads its state once, and a process that took over the pid of an exited one
         * does not count.
         */
        BooleanSupplier liveness(long pid);

        /** Completes once {@code pid} has exited (at once if it is gone already). */
        CompletionStage<?> onExit(long pid);

        /** The real processes of this host. */
        Processes OF_THIS_HOST = new Processes() {
            @Override
            public BooleanSupplier liveness(long pid) {
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                return process.isPresent() ? process.get()::isAlive : () -> false;
            }

            @Override
            public CompletionStage<?> onExit(long pid) {
                return ProcessHandle.of(pid).<CompletionStage<?>>map(ProcessHandle::onExit)
                        .orElse(CompletableFuture.completedFuture(null));
            }
        };
    }

    /** Told once per process that exited: its pid, and whether it died (no normal-exit notice). */
    interface ExitHandler {
        void exited(long pid, boolean died);
    }

    private static final class Peer {
        final boolean onThisHost;
        /** Whether the process still runs, for a peer on this host; asked for every hand-over of an item. */
        BooleanSupplier alive;
        int connections;
        boolean watched;
        boolean exitHandled;

        Peer(boolean onThisHost, BooleanSupplier alive) {
            this.onThisHost = onThisHost;
            this.alive = alive;
        }
    }

    private final long self;
    private final Processes processes;
    private final Executor callbacks;
    private final ExitHandler exitHandler;
    private final Object lock = new Object();
    /** Accessed only while holding lock. */
    private final Map<Long, Peer> peers = new HashMap<>();
    /** Pids that sent the exit notice and whose exit is not handled yet. Accessed only while holding lock. */
    private final Set<Long> exitingNormally = new HashSet<>();

    Peers(long self, Processes processes, Executor callbacks, ExitHandler exitHandler) {
        this.self = self;
        this.processes = processes;
        this.callbacks = callbacks;
        this.exitHandler = exitHandler;
    }

    /** The peers of this process's hub: real processes, callbacks on the library's events executor. */
    static Peers ofThisHost(ExitHandler exitHandler) {
        return new Peers(ProcessHandle.current().pid(), Processes.OF_THIS_HOST, LibraryThreads.events(), exitHandler);
    }

    /**
     * Whether a connection from {@code address} comes from this host: a Unix socket (or no address), a
     * loopback or wildcard address, or one of this host's interfaces.
     */
    static boolean onThisHost(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return true;
        }
        InetAddress host = inet.getAddress();
        if (host == null) {
            return false;
        }
        if (host.isLoopbackAddress() || host.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(host) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** A connection from {@code pid} passed the handshake. */
    void opened(long pid, boolean onThisHost) {
        synchronized (lock) {
            Peer peer = peers.get(pid);
            if (peer == null || peer.exitHandled && peer.connections == 0) {
                peer = new Peer(onThisHost, onThisHost && pid != self ? processes.liveness(pid) : null);
                peers.put(pid, peer);
            } else if (peer.alive != null && !peer.alive.getAsBoolean()) {
                // The process that had this pid died and another took the pid before that exit was handled.
                peer.alive = processes.liveness(pid);
            }
            peer.connections++;
        }
    }

    /** A connection from {@code pid} closed. */
    void closed(long pid) {
        boolean watch = false;
        boolean lastRemote = false;
        synchronized (lock) {
            Peer peer = peers.get(pid);
            if (peer == null) {
                return;
            }
            peer.connections--;
            if (peer.onThisHost) {
                watch = pid != self && !peer.watched && !peer.exitHandled;
                peer.watched |= watch;
            } else {
                lastRemote = peer.connections == 0 && !peer.exitHandled;
            }
            if (peer.connections == 0 && peer.exitHandled) {
                peers.remove(pid);
            }
        }
        if (watch) {
            processes.onExit(pid).thenRunAsync(() -> exited(pid), callbacks);
        } else if (lastRemote) {
            exited(pid);
        }
    }

    /**
     * Handles the exit of {@code pid}, a process of this host, like a peer's, though it may never connect:
     * one that uses an object here through another hub (a pipe's user, see {@link PipeState}).
     */
    void watch(long pid) {
        boolean start;
        synchronized (lock) {
            if (pid == self) {
                return;
            }
            Peer peer = peers.get(pid);
            if (peer == null) {
                peer = new Peer(true, processes.liveness(pid));
                peers.put(pid, peer);
            }
            start = peer.onThisHost && !peer.watched && !peer.exitHandled;
            peer.watched |= start;
        }
        if (start) {
            processes.onExit(pid).thenRunAsync(() -> exited(pid), callbacks);
        }
    }

    /** {@code pid} announced that it exits normally. */
    void exitingNormally(long pid) {
        synchronized (lock) {
            exitingNormally.add(pid);
        }
    }

    private void exited(long pid) {
        boolean died;
        synchronized (lock) {
            Peer peer = peers.get(pid);
            if (peer == null || peer.exitHandled) {
                return;
            }
            peer.exitHandled = true;
            if (peer.connections == 0) {
                peers.remove(pid);
            }
            died = !exitingNormally.remove(pid);
        }
        exitHandler.exited(pid, died);
    }

    @Override
    public boolean isAlive(long pid) {
        if (pid == self) {
            return true;
        }
        BooleanSupplier alive = null;
        synchronized (lock) {
            Peer peer = peers.get(pid);
            if (peer != null && !peer.onThisHost) {
                return peer.connections > 0 && !peer.exitHandled;
            }
            if (peer != null) {
                alive = peer.alive;
            }
        }
        return alive != null ? alive.getAsBoolean() : processes.liveness(pid).getAsBoolean();
    }
}
