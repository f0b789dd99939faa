package io.github.multiprocessing4j.internal.wire;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * One connection between a parent and one child: a blocking socket carrying {@link Message} frames.
 *
 * <p>Threads: any number of threads may {@link #send}; sends are serialized by {@code writeLock} so frames
 * never interleave. Exactly one thread per channel calls {@link #receive}. Reads and writes use the socket
 * channel directly (not {@code Channels.newInputStream}, whose blocking-mode streams would make a pending
 * read block every write).
 */
public final class Channel implements Closeable {
    private final SocketChannel socket;
    private final Object writeLock = new Object();

    Channel(SocketChannel socket) {
        this.socket = socket;
    }


    /**
     * Connects to a listening socket: {@code unix:/path}, {@code tcp:port} (loopback) or {@code tcp:host:port}.
     */
    public static Channel connect(String address) throws IOException {
        SocketChannel socket;
        SocketAddress target;
        if (address.startsWith("unix:")) {
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            target = UnixDomainSocketAddress.of(address.substring("unix:".length()));
        } else if (address.startsWith("tcp:")) {
            String hostAndPort = address.substring("tcp:".length());
            int colon = hostAndPort.lastIndexOf(':');
            InetAddress host = colon < 0 ? InetAddress.getLoopbackAddress() : InetAddress.getByName(hostAndPort.substring(0, colon));
            socket = SocketChannel.open(StandardProtocolFamily.INET);
            target = new InetSocketAddress(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
        } else {
            throw new IllegalArgumentException("address must start with unix: or tcp: but was " + address);
        }
        try {
            socket.connect(target);
            return new Channel(socket);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to parent at " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects over TCP to {@code target}, an address and port of a listening socket, waiting at most
     * {@code timeoutMillis} (at least 1) for the connection to be made.
     */
    public static Channel connect(InetSocketAddress target, int timeoutMillis) throws IOException {
        SocketChannel socket = SocketChannel.open(target.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            socket.socket().connect(target, Math.max(1, timeoutMillis));
            return new Channel(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Asks the kernel for socket buffers of {@code bytes} each way (it may grant less): a connection that
     * streams large items then wakes each side once per that many bytes rather than once per the default
     * (about 200 KiB on Linux). Best effort.
     */
    public void enlargeBuffers(int bytes) {
        try {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
            socket.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        } catch (IOException | UnsupportedOperationException e) {
            // The defaults still work, only with more wake-ups.
        }
    }

    public void send(Message message) throws IOException {
        synchronized (writeLock) {
            FrameCodec.write(socket, message);
        }
    }

    /** Blocks for the next frame; {@link java.io.EOFException} when the peer closed the connection. */
    public Message receive() throws IOException {
        return FrameCodec.read(socket);
    }

    /**
     * As {@link #receive()}, accepting {@code PARTS} frames of up to {@code maxLength} bytes and allocating
     * arrays whole up to {@code allocateAhead} bytes before their bytes arrive (see
     * {@link FrameCodec#read(java.nio.channels.ReadableByteChannel, long, int)}).
     */
    public Message receive(long maxLength, int allocateAhead) throws IOException {
        return FrameCodec.read(socket, maxLength, allocateAhead);
    }

    /** As {@link #receive()}, refusing frames longer than {@code maxLength}: for unauthenticated peers. */
    Message receive(int maxLength) throws IOException {
        return FrameCodec.read(socket, maxLength);
    }

    /** Where the peer connects from: an {@link java.net.InetSocketAddress} for TCP; null if unknown. */
    public SocketAddress remoteAddress() {
        try {
            return socket.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the peer learns of it from EOF either way.
        }
    }
}
