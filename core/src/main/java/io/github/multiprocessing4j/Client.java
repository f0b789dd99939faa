package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import java.io.IOException;
import java.net.InetSocketAddress;
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
 * <li>The handshake is bounded: a peer that does not answer within {@value #HANDSHAKE_SECONDS} seconds
 *     ends the attempt with an {@link IOException}.</li>
 * </ul>
 */
public final class Client {
    static final int HANDSHAKE_SECONDS = 10;

    private Client() {}

    /**
     * Connects to {@code address} and proves {@code authkey} both ways.
     *
     * @throws AuthenticationException if the listener refused the key, or could not prove it knows it
     * @throws IOException if nothing listens there, or the connection broke
     */
    public static SocketConnection connect(InetSocketAddress address, byte[] authkey) throws IOException {
        Objects.requireNonNull(address, "address");
        Listener.requireKey(authkey);
        Channel channel;
        try {
            channel = Channel.connect(address);
        } catch (IOException e) {
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        ScheduledFuture<?> timeout = LibraryThreads.timer().schedule(channel::close, HANDSHAKE_SECONDS, TimeUnit.SECONDS);
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
            timeout.cancel(false);
        }
        return new SocketConnection(channel);
    }
}
