package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP socket that hands out authenticated {@link SocketConnection}s: Python's
 * {@code multiprocessing.connection.Listener}. Another process, on this machine or another, connects with
 * {@link Client#connect} and the same key.
 *
 * <pre>{@code
 * byte[] authkey = ...;                                   // a secret both sides know
 * try (Listener listener = Listener.bind(authkey)) {      // loopback, a free port
 *     InetSocketAddress address = listener.address();    // give this to the other process
 *     try (SocketConnection conn = listener.accept()) {
 *         Object request = conn.recv();
 *         conn.send("answer");
 *     }
 * }
 * }</pre>
 *
 * <p>Security: every connection proves the key before anything it sends is read as a value, and this side
 * proves it in return (an HMAC-SHA256 challenge both ways; the key never crosses the network). A connection
 * that does not prove it is refused and never reaches {@link #accept()}. As with Python's {@code authkey},
 * <strong>whoever holds the key is trusted</strong>: what it sends is deserialized here. Connections that
 * have not yet authenticated are limited in number and given 10 seconds. The socket is bound to the
 * loopback address unless an address is given; traffic is not encrypted, so across machines use a network
 * you trust (or a tunnel).
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@code Listener(address, authkey=key)} is {@link #bind(InetAddress, int, byte[])}; without an address
 *     it binds the loopback address and a free port, as Python picks a free address. TCP only: Python's
 *     Unix sockets and Windows named pipes are not offered.</li>
 * <li>A key is required: Python falls back to {@code current_process().authkey} or to no authentication
 *     at all.</li>
 * <li>A client with the wrong key is refused (its {@link Client#connect} throws
 *     {@link AuthenticationException}) and {@code accept()} goes on waiting for the next client; Python's
 *     {@code accept()} raises {@code AuthenticationError} to the server instead.</li>
 * <li>{@link #accept(Duration)} is a bounded accept; Python has none.</li>
 * <li>{@code last_accepted} is the accepted connection's {@link SocketConnection#remoteAddress()}.</li>
 * </ul>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Listener implements AutoCloseable {
    /** Authenticated connections not yet accepted; empty: this listener closed (passed on to every waiter). */
    private final LinkedBlockingQueue<Optional<Channel>> accepted = new LinkedBlockingQueue<>();
    private final byte[] authkey;
    private final InetSocketAddress address;
    private final io.github.multiprocessing4j.internal.wire.Listener socket;
    private volatile boolean closed;

    private Listener(InetAddress host, int port, byte[] authkey) throws IOException {
        this.authkey = authkey.clone();
        this.socket = io.github.multiprocessing4j.internal.wire.Listener.tcp(host, port, "listener", this::authenticate);
        String bound = socket.address();   // tcp:host:port
        int colon = bound.lastIndexOf(':');
        this.address = new InetSocketAddress(InetAddress.getByName(bound.substring("tcp:".length(), colon)),
                Integer.parseInt(bound.substring(colon + 1)));
    }

    /**
     * Listens on the loopback address, on a free port ({@link #address()} tells which).
     *
     * @param authkey the key clients must prove they know; not empty; copied
     * @return the listener, accepting connections in the background from now on
     * @throws IllegalArgumentException if {@code authkey} is empty
     * @throws java.io.UncheckedIOException if the socket cannot be bound
     */
    public static Listener bind(byte[] authkey) {
        return bind(InetAddress.getLoopbackAddress(), 0, authkey);
    }

    /**
     * Listens on {@code host}, one of this machine's addresses ({@code InetAddress.getByName("0.0.0.0")}
     * for all of them, if that is really meant), and {@code port} (0: a free one).
     *
     * @param host the address to listen on
     * @param port the TCP port, 0 to 65535; 0 picks a free one
     * @param authkey the key clients must prove they know; not empty; copied
     * @return the listener, accepting connections in the background from now on
     * @throws IllegalArgumentException if the key is empty or the port out of range
     * @throws UncheckedIOException if the socket cannot be bound
     */
    public static Listener bind(InetAddress host, int port, byte[] authkey) {
        Objects.requireNonNull(host, "host");
        requireKey(authkey);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535 but was " + port);
        }
        try {
            return new Listener(host, port, authkey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    static void requireKey(byte[] authkey) {
        Objects.requireNonNull(authkey, "authkey");
        if (authkey.length == 0) {
            throw new IllegalArgumentException("authkey must not be empty");
        }
    }

    /** Runs on the connection's own thread: the handshake, then the queue of connections to accept. */
    private void authenticate(Channel channel) {
        try {
            Handshake.challenge(channel, authkey);
        } catch (IOException | RuntimeException e) {
            channel.close();   // wrong key or a broken peer: refused, never accepted
            return;
        }
        socket.authenticated(channel);
        accepted.add(Optional.of(channel));
        if (closed) {
            drain();
        }
    }

    /**
     * Where clients connect: the bound address and port.
     *
     * @return the address to give to {@link Client#connect}
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Waits for the next client that proved the key.
     *
     * @return the connection, authenticated both ways
     * @throws IllegalStateException if this listener is or gets closed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public SocketConnection accept() throws InterruptedException {
        return connection(accepted.take());
    }

    /**
     * As {@link #accept()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative to only take a client already waiting
     * @return the connection, authenticated both ways
     * @throws TimeoutException if no client proved the key in that time
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if this listener is or gets closed
     */
    public SocketConnection accept(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        Optional<Channel> next = accepted.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw new TimeoutException("no client connected with the key within " + timeout);
        }
        return connection(next);
    }

    private SocketConnection connection(Optional<Channel> next) {
        if (next.isEmpty()) {
            accepted.add(next);   // for the other waiters
            throw new IllegalStateException("this listener is closed");
        }
        return new SocketConnection(next.get());
    }

    /** Stops listening; connections not yet accepted are closed, those accepted go on. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        drain();
    }

    /** Closes the connections not accepted, and leaves the mark that wakes every waiter. */
    private void drain() {
        for (Optional<Channel> waiting; (waiting = accepted.poll()) != null; ) {
            waiting.ifPresent(Channel::close);
        }
        accepted.add(Optional.empty());
    }

    @Override
    public String toString() {
        return "Listener(" + address + (closed ? ", closed" : "") + ")";
    }
}
