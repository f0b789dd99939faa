package io.github.multiprocessing4j.internal.wire;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one listening socket of a parent JVM; every child connects to it.
 *
 * <p>It listens on a Unix domain socket inside a fresh directory readable by this user only (0700), or,
 * where Unix sockets are unavailable, on TCP at the loopback address. An accept thread takes connections;
 * each one gets its own short-lived thread for the {@linkplain Handshake handshake}, which must finish within
 * {@link #HANDSHAKE_TIMEOUT_SECONDS}, so one silent peer cannot stall the others. A verified connection
 * completes the future that {@link #expect} handed out for that child id; a connection for an id nobody
 * expects is closed.
 */
public final class ChannelServer implements Closeable {
    static final int HANDSHAKE_TIMEOUT_SECONDS = 30;

    private final ServerSocketChannel server;
    private final String address;
    private final Path directory;
    private final byte[] key;
    /** Children started but not yet connected, by child id. */
    private final Map<Long, CompletableFuture<Channel>> expected = new ConcurrentHashMap<>();

    private ChannelServer(ServerSocketChannel server, String address, Path directory, byte[] key) {
        this.server = server;
        this.address = address;
        this.directory = directory;
        this.key = key;
        Thread acceptor = new Thread(this::acceptLoop, "mp4j-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ChannelServer open(byte[] key) throws IOException {
        try {
            Path directory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mp4j-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path socketPath = directory.resolve("s");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            return new ChannelServer(server, "unix:" + socketPath, directory, key);
        } catch (IOException | UnsupportedOperationException e) {
            return openTcp(key);
        }
    }

    /** Loopback TCP, for platforms without Unix domain sockets (and for tests of the fallback). */
    public static ChannelServer openTcp(byte[] key) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        return new ChannelServer(server, "tcp:" + port, null, key);
    }

    /** Where children connect: {@code unix:/path} or {@code tcp:port} (always on loopback). */
    public String address() {
        return address;
    }

    /** Registers a child about to start; the future completes once that child connects and proves the key. */
    public CompletableFuture<Channel> expect(long childId) {
        CompletableFuture<Channel> future = new CompletableFuture<>();
        expected.put(childId, future);
        future.whenComplete((channel, failure) -> expected.remove(childId, future));
        return future;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel socket = server.accept();
                Thread handshake = new Thread(() -> handshake(new Channel(socket)), "mp4j-handshake");
                handshake.setDaemon(true);
                handshake.start();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void handshake(Channel channel) {
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {},
                CompletableFuture.delayedExecutor(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Void> done = new CompletableFuture<>();
        deadline.thenRun(() -> {
            if (!done.isDone()) {
                channel.close();
            }
        });
        try {
            Message.Hello hello = Handshake.challenge(channel, key);
            done.complete(null);
            CompletableFuture<Channel> waiting = expected.get(hello.childId());
            if (waiting == null || !waiting.complete(channel)) {
                channel.close();
            }
        } catch (IOException e) {
            done.complete(null);
            channel.close();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Nothing to do: the socket is gone either way.
        }
        if (directory != null) {
            try {
                Files.deleteIfExists(directory.resolve("s"));
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // A leftover empty directory in the temp folder is harmless.
            }
        }
    }
}
