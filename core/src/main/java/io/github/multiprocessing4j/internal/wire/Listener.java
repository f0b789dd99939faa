package io.github.multiprocessing4j.internal.wire;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A listening socket with its accept thread: every connection is handed, on a thread of its own, to the
 * handler. Where possible it is a Unix domain socket in a fresh directory only this user can enter (0700);
 * otherwise TCP on the loopback address. Its {@link #address()} is what {@link Channel#connect} takes.
 *
 * <p>Each listener admits at most {@link #MAX_PENDING} connections that have not yet authenticated (see
 * {@link PendingGate}); the handler reports a connection's authentication with {@link #authenticated}.
 * The limit belongs to this entrance alone, so connections piling up on a manager's TCP port cannot keep
 * children from connecting to their parent's socket.
 */
public final class Listener implements Closeable {
    /** Connections of one entrance that may wait to authenticate at a time. */
    static final int MAX_PENDING = 64;
    /**
     * How long a pending connection is safe from being dropped for a newer one when the entrance is full. A
     * peer that knows the key finishes the handshake in about a millisecond; an idle connection older than
     * this gives way, so a flood of idle connections cannot keep a child from its parent.
     */
    static final long PENDING_GRACE_NANOS = 100_000_000L;
    private static final String PREFIX = "mp4j-";

    private final ServerSocketChannel server;
    private final String address;
    private final Path directory;
    private final PendingGate pending = new PendingGate(MAX_PENDING, PENDING_GRACE_NANOS);

    private Listener(ServerSocketChannel server, String address, Path directory, String name, Consumer<Channel> handler) {
        this.server = server;
        this.address = address;
        this.directory = directory;
        LibraryThreads.start(() -> acceptLoop(name, handler), "mp4j-accept-" + name);
    }

    /**
     * A private Unix domain socket, or loopback TCP where Unix sockets are unavailable. The directory's name
     * carries this JVM's pid, so that directories left by JVMs that were killed (and could not remove
     * theirs) are removed here.
     */
    public static Listener privateSocket(String name, Consumer<Channel> handler) throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        reapLeftovers(temp);
        try {
            Path directory = Files.createTempDirectory(temp, PREFIX + ProcessHandle.current().pid() + "-" + name + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socket = directory.resolve("s");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
            } catch (IOException | RuntimeException e) {
                server.close();
                Files.deleteIfExists(directory);
                throw e;
            }
            // Removed at exit after the shutdown hooks (which may still need the socket), socket first.
            directory.toFile().deleteOnExit();
            socket.toFile().deleteOnExit();
            return new Listener(server, "unix:" + socket, directory, name, handler);
        } catch (IOException | RuntimeException e) {
            // No Unix sockets here, or the temp directory's path is too long for one: loopback TCP.
            return tcp(InetAddress.getLoopbackAddress(), 0, name, handler);
        }
    }

    /** Removes socket directories of ours whose JVM is gone: {@code mp4j-PID-NAME-RANDOM}. */
    private static void reapLeftovers(Path temp) {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path directory : leftovers) {
                OptionalLong pid = pidInName(directory.getFileName().toString());
                if (pid.isEmpty() || isAlive(pid.getAsLong())) {
                    continue;
                }
                try {
                    Files.deleteIfExists(directory.resolve("s"));
                    Files.deleteIfExists(directory);
                } catch (IOException e) {
                    // Someone else's, or not empty: leave it.
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a later listener tries again.
        }
    }

    /**
     * Whether the JVM that listened at {@code address} has exited, as far as can be told: a private socket of
     * ours carries its JVM's pid in its directory's name (see {@link #privateSocket}); false for TCP and any
     * other address. Like the reaping of leftover directories, it assumes that JVM is in this one's pid
     * namespace.
     */
    public static boolean listenerExited(String address) {
        OptionalLong pid = pidOf(address);
        return pid.isPresent() && !isAlive(pid.getAsLong());
    }

    /**
     * The pid of the JVM that listens at {@code address}, for a private socket of ours (see
     * {@link #privateSocket}); empty for TCP and any other address.
     */
    public static OptionalLong pidOf(String address) {
        if (!address.startsWith("unix:")) {
            return OptionalLong.empty();
        }
        Path directory = Path.of(address.substring("unix:".length())).getParent();
        return directory == null || directory.getFileName() == null ? OptionalLong.empty()
                : pidInName(directory.getFileName().toString());
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The pid in a socket directory's name, {@code mp4j-PID-NAME-RANDOM}; empty for any other name. */
    private static OptionalLong pidInName(String name) {
        if (!name.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(PREFIX.length()).split("-", 2)[0]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** TCP on {@code host}:{@code port}; port 0 picks a free one. */
    public static Listener tcp(InetAddress host, int port, String name, Consumer<Channel> handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(host instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(host, port));
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        return new Listener(server, "tcp:" + bound.getAddress().getHostAddress() + ":" + bound.getPort(), null, name,
                handler);
    }

    public String address() {
        return address;
    }

    /** {@code channel}, accepted here, passed the handshake: it no longer counts as pending. */
    public void authenticated(Channel channel) {
        pending.leave(channel);
    }

    /** Connections accepted here and not yet authenticated. */
    int pendingCount() {
        return pending.size();
    }

    private void acceptLoop(String name, Consumer<Channel> handler) {
        while (server.isOpen()) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                pause();   // out of file descriptors, say: do not spin
                continue;
            }
            Channel channel = new Channel(socket);
            if (!server.isOpen()) {
                // The JDK returns a connection that arrived while close() was under way (the kernel keeps
                // listening until this thread leaves accept): it came after close, so it is refused.
                channel.close();
                return;
            }
            if (!pending.admit(channel, System.nanoTime())) {
                channel.close();   // full of connections younger than the grace period: refuse this one
                continue;
            }
            try {
                LibraryThreads.start(() -> {
                    try {
                        handler.accept(channel);
                    } finally {
                        pending.leave(channel);
                    }
                }, "mp4j-" + name + "-connection");
            } catch (Throwable e) {
                pending.leave(channel);
                channel.close();   // no thread for it (out of memory): drop this connection only
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and removes the socket file; connections already made go on. */
    @Override
    public void close() {
        try {
            server.close();
            if (directory != null) {
                Files.deleteIfExists(directory.resolve("s"));
                Files.deleteIfExists(directory);
            }
        } catch (IOException ignored) {
            // Best effort: an empty directory left in the temp folder is harmless.
        }
    }
}
