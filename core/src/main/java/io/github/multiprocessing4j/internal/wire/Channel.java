package io.github.multiprocessing4j.internal.wire;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection between a parent and one child: a blocking socket carrying {@link Message} frames.
 *
 * <p>Threads: any number of threads may {@link #send}; sends are serialized by {@code writeLock} so frames
 * never interleave. One thread at a time calls {@link #receive} (threads waiting on a {@link Waiter} read
 * through {@link #receiveIfReady()}, below). Reads and writes use the socket
 * channel directly (not {@code Channels.newInputStream}, whose blocking-mode streams would make a pending
 * read block every write).
 *
 * <p>Reads go through a small read-ahead buffer, so that the length and fixed fields of a frame (and often
 * its whole payload) come from one system call rather than one per field; a large payload is read straight
 * into its array. The bytes and the frame format are unchanged.
 *
 * <p>A blocking socket channel is closed when a thread blocked in it is interrupted (or starts with its
 * interrupt flag set), so by default only library threads, which nobody interrupts, may use it.
 * {@link #makeSendsInterruptSafe()} puts the socket in non-blocking mode, where the JDK does not watch for
 * interrupts: any thread may then {@link #send}, and the two sides wait for the socket with selectors of
 * their own (one for reading, one for writing) when it is not ready; bytes read ahead before then are kept
 * for the reads after. A second thread
 * may watch for the peer's end while the receiving thread is busy elsewhere ({@link #peerClosedWithin}):
 * the two take the read lock, so neither takes the other's bytes. Threads that read only whole frames may
 * instead each wait on a {@link Waiter} of their own, without the read lock, and take the frame with
 * {@link #receiveIfReady()}: several may wait for the same frame, and the first to take it has it.
 */
public final class Channel implements Closeable {
    private final SocketChannel socket;
    private final Object writeLock = new Object();
    /* Held by a thread reading the socket, so that a receive and peerClosedWithin never take each other's bytes. */
    private final Object readLock = new Object();
    /* Set once by makeSendsInterruptSafe(), before any concurrent use; then the socket is non-blocking. */
    private volatile Waiting waiting;
    /* Reads while the socket blocks, with their read-ahead; used while holding readLock. */
    private final BlockingReader blocking;

    Channel(SocketChannel socket) {
        this.socket = socket;
        this.blocking = new BlockingReader();
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
            Waiting nonBlocking = waiting;
            FrameCodec.write(nonBlocking == null ? socket : nonBlocking.writer, message);
        }
    }

    /** Blocks for the next frame; {@link java.io.EOFException} when the peer closed the connection. */
    public Message receive() throws IOException {
        synchronized (readLock) {
            return FrameCodec.read(in());
        }
    }

    /** Where frames are read from: the blocking reader while the socket blocks, else the waiting reader; both read ahead. */
    private ReadableByteChannel in() {
        Waiting nonBlocking = waiting;
        return nonBlocking == null ? blocking : nonBlocking.reader;
    }

    /** A view of {@code socket}: open while it is, and closing it closes the socket. */
    private abstract static class SocketView implements java.nio.channels.Channel {
        final SocketChannel socket;

        SocketView(SocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Reads from the socket; open and closed as it is. */
    private abstract static class SocketReader extends SocketView implements ReadableByteChannel {
        SocketReader(SocketChannel socket) {
            super(socket);
        }
    }

    /** Writes gathered buffers to the socket; open and closed as it is. */
    private abstract static class SocketWriter extends SocketView implements GatheringByteChannel {
        SocketWriter(SocketChannel socket) {
            super(socket);
        }

        @Override
        public long write(ByteBuffer[] from) throws IOException {
            return write(from, 0, from.length);
        }

        @Override
        public int write(ByteBuffer from) throws IOException {
            return (int) write(new ByteBuffer[] {from}, 0, 1);
        }
    }

    /** Moves what {@code into} has room for from {@code ahead} (read mode) into it; returns the count. */
    private static int take(ByteBuffer ahead, ByteBuffer into) {
        int count = Math.min(ahead.remaining(), into.remaining());
        into.put(ahead.slice(ahead.position(), count));
        ahead.position(ahead.position() + count);
        return count;
    }

    /** Reads of the blocking socket: a small read fills {@link #ahead} with what the socket has (one call), a large one goes straight into its buffer. */
    private final class BlockingReader extends SocketReader {
        /* Bytes read but not yet taken, in read mode; made by the first small read. */
        private ByteBuffer ahead;

        BlockingReader() {
            super(Channel.this.socket);
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            if (ahead != null && ahead.hasRemaining()) {
                return take(ahead, into);
            }
            if (into.remaining() >= Waiting.READ_AHEAD) {
                return socket.read(into);
            }
            if (ahead == null) {
                ahead = ByteBuffer.allocateDirect(Waiting.READ_AHEAD);
            }
            ahead.clear();
            int read = socket.read(ahead);
            ahead.flip();
            return read <= 0 ? read : take(ahead, into);
        }

        /** The bytes read ahead and not yet read, in read mode: a view, so reading it takes nothing from here. */
        ByteBuffer unread() {
            return ahead == null ? ByteBuffer.allocate(0) : ahead.duplicate();
        }

        /** Lets go of the read-ahead, once the non-blocking reader has its bytes. */
        void release() {
            ahead = null;
        }
    }

    /**
     * For a thread other than the one that receives, while that one is busy elsewhere: waits up to
     * {@code timeoutMillis} for the socket to become readable, and tells whether it has ended (the peer
     * closed it, or this side did). Bytes that
     * arrive meanwhile are kept for the next {@link #receive}. Only after {@link #makeSendsInterruptSafe()}.
     *
     * @throws IllegalStateException if the socket still blocks
     */
    public boolean peerClosedWithin(long timeoutMillis) throws IOException {
        return waitingOrFail("peerClosedWithin").peerClosedWithin(timeoutMillis, readLock);
    }

    /**
     * Takes the next frame if its first bytes have arrived (reading the rest as {@link #receive} does), or
     * returns null at once if none has: for threads that wait on a {@link Waiter} and may find that another
     * one took the frame first. Only after {@link #makeSendsInterruptSafe()}.
     *
     * @throws java.io.EOFException when the peer closed the connection
     * @throws IllegalStateException if the socket still blocks
     */
    public Message receiveIfReady() throws IOException {
        Waiting nonBlocking = waitingOrFail("receiveIfReady");
        synchronized (readLock) {
            return nonBlocking.hasBytes() ? FrameCodec.read(nonBlocking.reader) : null;
        }
    }

    /**
     * A wait of its own for this channel's next frame, for one thread at a time: see {@link Waiter}. Only
     * after {@link #makeSendsInterruptSafe()}; closed with the channel at the latest.
     *
     * @throws IllegalStateException if the socket still blocks
     */
    public Waiter newWaiter() throws IOException {
        return waitingOrFail("newWaiter").newWaiter(this);
    }

    private Waiting waitingOrFail(String what) {
        Waiting nonBlocking = waiting;
        if (nonBlocking == null) {
            throw new IllegalStateException(what + " needs makeSendsInterruptSafe() first");
        }
        return nonBlocking;
    }

    /**
     * Waits for bytes to arrive on a channel without holding its read lock, on a selector of its own, so that
     * several threads can wait for the same frame (one that reads every frame, and one that wants just the
     * next one) and neither holds up the other. Used by one thread at a time. {@link #await} takes nothing:
     * the waiting thread then calls {@link Channel#receiveIfReady()}. A waiter already in {@code select} does
     * not see bytes another thread reads ahead meanwhile (they left the socket): it finds them at its next
     * {@link #await}, which looks at the read-ahead first. The pool's waiters never wait for such a frame,
     * since a worker has at most one outcome in flight.
     */
    public static final class Waiter implements Closeable {
        private final Channel channel;
        private final Selector selector;
        private final Set<Selector> open;

        private Waiter(Channel channel, Selector selector, Set<Selector> open) {
            this.channel = channel;
            this.selector = selector;
            this.open = open;
        }

        /**
         * Waits up to {@code timeoutMillis} (at least 1) for bytes, or the end of the stream, to read. Returns
         * early on {@link #wakeup()} or when the thread is interrupted (whose flag stays set, and which closes
         * nothing).
         *
         * @return whether there may be a frame to take; false when woken, interrupted or timed out
         * @throws ClosedChannelException if the channel was closed
         */
        public boolean await(long timeoutMillis) throws IOException {
            if (channel.waiting.buffered) {
                return true;
            }
            try {
                int ready = selector.select(Math.max(1, timeoutMillis));
                selector.selectedKeys().clear();
                if (ready == 0 && !channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                return ready > 0;
            } catch (ClosedSelectorException e) {
                throw new ClosedChannelException();
            }
        }

        /** Makes a current or the next {@link #await} return at once; from any thread. */
        public void wakeup() {
            selector.wakeup();
        }

        @Override
        public void close() {
            open.remove(selector);
            try {
                selector.close();
            } catch (IOException ignored) {
                // Best effort, as for the channel itself.
            }
        }
    }

    /**
     * From now on, {@link #send} may be called on any thread, also one that is or gets interrupted: the socket
     * becomes non-blocking, so the JDK does not close it on an interrupt. Called once, before the channel is
     * used by more than one thread.
     */
    public void makeSendsInterruptSafe() throws IOException {
        synchronized (readLock) {
            synchronized (writeLock) {
                if (waiting == null) {
                    socket.configureBlocking(false);
                    try {
                        waiting = new Waiting(socket, blocking.unread());
                    } catch (IOException | RuntimeException e) {
                        try {
                            socket.configureBlocking(true);
                        } catch (IOException | RuntimeException notRestored) {
                            e.addSuppressed(notRestored); // closed meanwhile: the first failure is the one to report
                        }
                        throw e;
                    }
                    blocking.release();
                }
            }
        }
    }

    /** Reading and writing a non-blocking socket as if it blocked, waiting on a selector when it is not ready. */
    private static final class Waiting {
        /** A read for less than this many bytes fills {@link #ahead} instead, so a frame's fields come from one read. */
        static final int READ_AHEAD = 8 * 1024;

        final ReadableByteChannel reader;
        final GatheringByteChannel writer;
        private final SocketChannel socket;
        private final Selector readable;
        /* Opened by the first write that finds the socket full (most connections never need it), under the channel's write lock. */
        private volatile Selector writable;
        /* Opened by the first peerClosedWithin, by the thread that watches. */
        private volatile Selector watched;
        /* The selectors of the channel's open Waiters, closed with it. */
        private final Set<Selector> waiters = ConcurrentHashMap.newKeySet();
        /* Bytes read but not yet taken, in read mode (direct: the socket reads into it without a temporary buffer); and whether the peer's end-of-stream was read after them. */
        private final ByteBuffer ahead = ByteBuffer.allocateDirect(READ_AHEAD).flip();
        private boolean peerClosed;
        /*
         * Whether bytes read ahead or the peer's end wait to be taken: set by the thread holding the read lock
         * as it lets go of the socket, and read without the lock by a Waiter, which must not wait on the socket
         * for bytes that were read already, nor wait for the lock behind a thread reading a long frame.
         */
        volatile boolean buffered;
        /* Whether the last read into the read-ahead left the socket empty (it did not fill the buffer). */
        private boolean drained;

        /** Reads first the bytes {@code readAhead} holds (in read mode), which the blocking socket read ahead. */
        Waiting(SocketChannel socket, ByteBuffer readAhead) throws IOException {
            this.socket = socket;
            ahead.clear();
            ahead.put(readAhead);
            ahead.flip();
            buffered = ahead.hasRemaining();
            readable = Selector.open();
            try {
                socket.register(readable, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                readable.close();
                throw e;
            }
            reader = new SocketReader(socket) {
                @Override
                public int read(ByteBuffer into) throws IOException {
                    return readWaiting(into);
                }
            };
            writer = new SocketWriter(socket) {
                @Override
                public long write(ByteBuffer[] from, int offset, int length) throws IOException {
                    while (true) {
                        long written = socket.write(from, offset, length);
                        if (written != 0 || !from[offset + length - 1].hasRemaining()) {
                            return written;
                        }
                        await(writable(), socket);
                    }
                }
            };
        }

        /**
         * Waits until the socket is ready for what {@code selector} watches. An interrupt ends a select at once
         * (without closing anything), so the flag is cleared while waiting and set again after.
         */
        private static void await(Selector selector, SocketChannel socket) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                while (selector.select(1000) == 0) {
                    if (!socket.isOpen()) {
                        throw new ClosedChannelException();
                    }
                    interrupted |= Thread.interrupted();
                }
                selector.selectedKeys().clear();
            } catch (java.nio.channels.ClosedSelectorException e) {
                throw new ClosedChannelException();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * Reads into {@code into} as a blocking socket would: at least one byte, or -1 at the end. Bytes read
         * ahead go first; a small request reads as much as the socket has into {@link #ahead}, a large one
         * reads straight into {@code into}. The caller holds the channel's read lock.
         */
        private int readWaiting(ByteBuffer into) throws IOException {
            try {
                return readAhead(into);
            } finally {
                buffered = ahead.hasRemaining() || peerClosed;
            }
        }

        private int readAhead(ByteBuffer into) throws IOException {
            while (true) {
                if (ahead.hasRemaining() || !into.hasRemaining()) {
                    return take(ahead, into);
                }
                if (peerClosed) {
                    return -1;
                }
                int read;
                if (into.remaining() >= READ_AHEAD) {
                    read = socket.read(into);
                    if (read != 0) {
                        return read;
                    }
                } else {
                    if (drained) {
                        // The last read took all the socket had, so on these request-and-answer connections
                        // the next bytes are rarely there yet: wait first rather than read in vain.
                        await(readable, socket);
                    }
                    read = fillAhead();
                    if (read < 0) {
                        return read;
                    }
                }
                if (read == 0) {
                    await(readable, socket);
                }
            }
        }

        /**
         * Reads what the socket has now into the emptied {@link #ahead}, without waiting; returns the count
         * read, 0 if none, -1 at the peer's end. The caller holds the read lock and has taken every byte ahead.
         */
        private int fillAhead() throws IOException {
            ahead.clear();
            int read = socket.read(ahead);
            ahead.flip();
            drained = ahead.limit() < ahead.capacity();
            if (read < 0) {
                peerClosed = true;
            }
            return read;
        }

        Waiter newWaiter(Channel channel) throws IOException {
            Selector selector = Selector.open();
            try {
                socket.register(selector, SelectionKey.OP_READ);
            } catch (IOException e) {
                selector.close();
                throw e;
            }
            waiters.add(selector);
            if (!socket.isOpen()) {
                waiters.remove(selector);
                selector.close();
                throw new ClosedChannelException();
            }
            return new Waiter(channel, selector, waiters);
        }

        /**
         * Whether a frame can be read now: bytes (or the end) were read ahead, or the socket has some, which
         * are then read ahead. Never waits. The caller holds the read lock.
         */
        boolean hasBytes() throws IOException {
            if (ahead.hasRemaining() || peerClosed) {
                return true;
            }
            int read = fillAhead();
            buffered = ahead.hasRemaining() || peerClosed;
            return read != 0;
        }

        /** See {@link Channel#peerClosedWithin}; {@code readLock} is the channel's. */
        boolean peerClosedWithin(long timeoutMillis, Object readLock) throws IOException {
            Selector watching = watched;
            if (watching == null) {
                watching = Selector.open();
                socket.register(watching, SelectionKey.OP_READ);
                watched = watching;
            }
            try {
                if (watching.select(Math.max(1, timeoutMillis)) == 0) {
                    return !socket.isOpen();
                }
                watching.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return true;
            }
            synchronized (readLock) {
                if (peerClosed) {
                    return true;
                }
                ahead.compact();
                try {
                    if (ahead.hasRemaining()) {
                        peerClosed = socket.read(ahead) < 0;
                        return peerClosed;
                    }
                } finally {
                    ahead.flip();
                    buffered = ahead.hasRemaining() || peerClosed;
                }
            }
            // The read-ahead is full: far more than a peer that waits for this side should send. Keep it, and
            // look again later, without holding the read lock the receiving thread may want meanwhile.
            try {
                Thread.sleep(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** The selector that waits for room to write; the caller holds the channel's write lock. */
        private Selector writable() throws IOException {
            if (writable == null) {
                Selector opened = Selector.open();
                try {
                    socket.register(opened, SelectionKey.OP_WRITE);
                } catch (IOException | RuntimeException e) {
                    opened.close();
                    throw e;
                }
                writable = opened;
                if (!socket.isOpen()) {
                    opened.close(); // closed meanwhile, perhaps before close() could see this selector
                }
            }
            return writable;
        }

        void close() throws IOException {
            readable.close();
            Selector writing = writable;
            if (writing != null) {
                writing.close();
            }
            Selector watching = watched;
            if (watching != null) {
                watching.close();
            }
            for (Selector waiter : waiters) {
                waiters.remove(waiter);
                waiter.close();
            }
        }
    }

    /**
     * As {@link #receive()}, accepting {@code PARTS} frames of up to {@code maxLength} bytes and allocating
     * arrays whole up to {@code allocateAhead} bytes before their bytes arrive (see
     * {@link FrameCodec#read(java.nio.channels.ReadableByteChannel, long, int)}).
     */
    public Message receive(long maxLength, int allocateAhead) throws IOException {
        synchronized (readLock) {
            return FrameCodec.read(in(), maxLength, allocateAhead);
        }
    }

    /** As {@link #receive()}, refusing frames longer than {@code maxLength}: for unauthenticated peers. */
    Message receive(int maxLength) throws IOException {
        synchronized (readLock) {
            return FrameCodec.read(in(), maxLength);
        }
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
            Waiting nonBlocking = waiting;
            socket.close();
            if (nonBlocking != null) {
                nonBlocking.close();
            }
        } catch (IOException ignored) {
            // Closing is best effort: the peer learns of it from EOF either way.
        }
    }
}
