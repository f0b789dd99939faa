package io.github.multiprocessing4j.internal.wire;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the children of this JVM connect back: one {@link Listener} (a private Unix domain socket, or TCP on
 * loopback). Each connection must pass the {@linkplain Handshake handshake} (which bounds its time). A
 * verified connection completes the future that {@link #expect} handed out for that child id; a connection
 * for an id nobody expects is closed.
 */
public final class ChannelServer implements Closeable {
    private final byte[] key;
    /** Children started but not yet connected, by child id. */
    private final Map<Long, CompletableFuture<Channel>> expected = new ConcurrentHashMap<>();
    private final Listener listener;

    private ChannelServer(byte[] key, boolean tcp) throws IOException {
        this.key = key;
        this.listener = tcp
                ? Listener.tcp(java.net.InetAddress.getLoopbackAddress(), 0, "children", this::handshake)
                : Listener.privateSocket("children", this::handshake);
    }

    public static ChannelServer open(byte[] key) throws IOException {
        return new ChannelServer(key, false);
    }

    /** Loopback TCP, for platforms without Unix domain sockets (and for tests of the fallback). */
    public static ChannelServer openTcp(byte[] key) throws IOException {
        return new ChannelServer(key, true);
    }

    /** Where children connect: {@code unix:/path} or {@code tcp:127.0.0.1:port}. */
    public String address() {
        return listener.address();
    }

    /** Registers a child about to start; the future completes once that child connects and proves the key. */
    public CompletableFuture<Channel> expect(long childId) {
        CompletableFuture<Channel> future = new CompletableFuture<>();
        expected.put(childId, future);
        future.whenComplete((channel, failure) -> expected.remove(childId, future));
        return future;
    }

    private void handshake(Channel channel) {
        try {
            Message.Hello hello = Handshake.challenge(channel, key);
            listener.authenticated(channel);
            CompletableFuture<Channel> waiting = expected.get(hello.childId());
            if (waiting == null || !waiting.complete(channel)) {
                channel.close();
            }
        } catch (IOException e) {
            channel.close();
        }
    }

    @Override
    public void close() {
        listener.close();
    }
}
