package io.github.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiprocessing4j.Manager;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, "what a key holder can do": a real TCP client that knows a manager's key sends it hostile frames.
 * The manager must not allocate far beyond the bytes it actually received.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyHolderFramesTest {
    private static final byte[] KEY = "issue-11-key-holder-of-the-manager".getBytes(StandardCharsets.US_ASCII);
    private static final long MiB = 1 << 20;

    private static Channel authenticated(String address, List<SocketChannel> raw) throws Exception {
        String hostAndPort = address.substring("tcp:".length());
        int colon = hostAndPort.lastIndexOf(':');
        SocketChannel socket = SocketChannel.open(new InetSocketAddress(InetAddress.getByName(hostAndPort.substring(0, colon)),
                Integer.parseInt(hostAndPort.substring(colon + 1))));
        raw.add(socket);
        Channel channel = new Channel(socket);
        Handshake.answer(channel, KEY, 0, ProcessHandle.current().pid());
        return channel;
    }

    /** A 28-byte JDK serialization stream of a {@code long[]} that declares 2^28 elements (2 GiB). */
    private static byte[] hugeLongArrayPayload() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new long[0]);
        }
        byte[] stream = bytes.toByteArray();
        ByteBuffer.wrap(stream).putInt(stream.length - 4, 1 << 28);
        byte[] payload = new byte[stream.length + 1];
        payload[0] = 0x7f; // Codec: a JDK serialization stream follows
        System.arraycopy(stream, 0, payload, 1, stream.length);
        return payload;
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void issue11_hostileFramesFromAKeyHolder_allocateNoMoreThanTheBytesSent_andTheManagerServesOn() throws Exception {
        List<SocketChannel> raw = new ArrayList<>();
        try (Manager manager = Manager.start()) {
            String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);
            long before = heapUsed();

            // 16 connections, each announcing a 1 GiB TASK frame and sending 100 bytes of it.
            for (int i = 0; i < 16; i++) {
                authenticated(address, raw);
                ByteBuffer header = ByteBuffer.allocate(4 + 1 + 8 + 100).putInt(1 << 30).put((byte) 3).putLong(i);
                header.flip();
                raw.get(raw.size() - 1).write(header);
            }

            // A TASK whose 28-byte payload declares a long[2^28]: refused, answered with a failure.
            Channel hostile = authenticated(address, raw);
            hostile.send(new Message.Task(1, hugeLongArrayPayload()));
            Message answer = hostile.receive();
            assertThat(answer).isInstanceOf(Message.Outcome.class);
            Message.Outcome outcome = (Message.Outcome) answer;
            assertThat(outcome.success()).isFalse();
            assertThat(ThrowableTransport.decode(outcome.payload())).hasMessageContaining("array");

            long grown = heapUsed() - before;
            assertThat(grown).as("heap grown by %d MiB while 16 GiB of frames and a 2 GiB array were announced",
                    grown / MiB).isLessThan(256 * MiB);
            assertThat(Manager.connect(address, KEY).names()).as("the entrance still serves").isEmpty();
        } finally {
            for (SocketChannel socket : raw) {
                socket.close();
            }
        }
    }
}
