package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connects to a {@link Listener} in another process: Python's {@code multiprocessing.connection.Client}.
 *
 * <pre>{@code
 * try (SocketConnection conn = Client.connect(new InetSocketAddress("127.0.0.1", port), authkey)) {
 *     conn.send("request");
 * }
 * }</pre>
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>{@code Client(address, authkey=key)} is {@link #connect}; a key is required.</li>
 * <li>Both sides prove the key before either reads a value from the other: a listener that does not know
 *     it is not trusted either ({@link AuthenticationException}), as in Python.</li>
 * <li>Connecting is bounded: {@value #CONNECT_SECONDS} seconds unless
 *     {@link #connect(InetSocketAddress, byte[], Duration)} says otherwise (Python waits as long as the
 *     operating system does), and a peer that does not finish the handshake within
 *     {@value #HANDSHAKE_SECONDS} seconds ends the attempt with an {@link IOException}.</li>
 * </ul>
 */
public final class Client {
    static final int HANDSHAKE_SECONDS = 10;
    static final int CONNECT_SECONDS = 30;

    private Client() {}

    /**
     * Connects to {@code address} and proves {@code authkey} both ways.
     *
     * @param address the listener's address, as its {@link Listener#address()} gives it
     * @param authkey the key the listener was bound with; not empty
     * @return the connection, authenticated both ways
     * @throws AuthenticationException if the listener refused the key, or could not prove it knows it
     * @throws IOException if nothing listens there, or the connection broke
     * @throws IllegalArgumentException if {@code authkey} is empty
     */
    public static SocketConnection connect(InetSocketAddress address, byte[] authkey) throws IOException {
        return connect(address, authkey, Duration.ofSeconds(CONNECT_SECONDS));
    }

    /**
     * As {@link #connect(InetSocketAddress, byte[])}, giving the connection at most {@code timeout} to be made
     * (the handshake then has {@value #HANDSHAKE_SECONDS} seconds).
     *
     * @param address the listener's address, as its {@link Listener#address()} gives it
     * @param authkey the key the listener was bound with; not empty
     * @param timeout how long the TCP connection may take to be made; positive
     * @return the connection, authenticated both ways
     * @throws java.net.SocketTimeoutException if the connection was not made in that time
     * @throws AuthenticationException if the listener refused the key, or could not prove it knows it
     * @throws IOException if nothing listens there, or the connection broke
     * @throws IllegalArgumentException if {@code authkey} is empty or {@code timeout} is not positive
     */
    public static SocketConnection connect(InetSocketAddress address, byte[] authkey, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Listener.requireKey(authkey);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        Channel channel;
        try {
            channel = Channel.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        ScheduledFuture<?> handshakeTimeout = LibraryThreads.timer().schedule(channel::close, HANDSHAKE_SECONDS, TimeUnit.SECONDS);
        try {
            Handshake.answer(channel, authkey, 0, ProcessHandle.current().pid());
        } catch (Handshake.RefusedException e) {
            channel.close();
            throw new AuthenticationException("the listener at " + address + " refused the key", e);
        } catch (Handshake.UnprovenException e) {
            channel.close();
            throw new AuthenticationException("the listener at " + address + " does not know the key", e);
        } catch (IOException e) {
            channel.close();
            throw new IOException("no handshake with " + address + ": " + e.getMessage(), e);
        } finally {
            handshakeTimeout.cancel(false);
        }
        return new SocketConnection(channel);
    }
}
