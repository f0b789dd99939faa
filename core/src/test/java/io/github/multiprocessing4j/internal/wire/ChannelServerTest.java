package io.github.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listening socket and handshake over real sockets: Unix domain and the TCP loopback fallback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelServerTest {
    private final byte[] key = Handshake.newKey();

    private static void roundTrip(ChannelServer server, byte[] childKey) throws Exception {
        CompletableFuture<Channel> expected = server.expect(1);
        try (Channel child = Channel.connect(server.address())) {
            Handshake.answer(child, childKey, 1, ProcessHandle.current().pid());
            try (Channel parentSide = expected.get(10, TimeUnit.SECONDS)) {
                parentSide.send(new Message.Task(5, new byte[] {42}));
                Message.Task task = assertInstanceOf(Message.Task.class, child.receive());
                assertArrayEquals(new byte[] {42}, task.payload());
            }
        }
    }

    @Test
    void unixSocket_inPrivateDirectory_connectsAChildThatKnowsTheKey() throws Exception {
        try (ChannelServer server = ChannelServer.open(key)) {
            assertTrue(server.address().startsWith("unix:"), server.address());
            roundTrip(server, key);
        }
    }

    @Test
    void tcpLoopbackFallback_connectsAChildThatKnowsTheKey() throws Exception {
        try (ChannelServer server = ChannelServer.openTcp(key)) {
            assertTrue(server.address().startsWith("tcp:"), server.address());
            roundTrip(server, key);
        }
    }

    @Test
    void wrongKey_isRefused_andTheExpectedChildIsNotConnected() throws Exception {
        try (ChannelServer server = ChannelServer.open(key)) {
            CompletableFuture<Channel> expected = server.expect(1);
            try (Channel impostor = Channel.connect(server.address())) {
                assertThrows(Handshake.RefusedException.class, () -> Handshake.answer(impostor, Handshake.newKey(), 1, 1),
                        "the server must tell the impostor it is refused");
                assertThrows(IOException.class, impostor::receive, "and close its connection");
            }
            assertThrows(TimeoutException.class, () -> expected.get(300, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void serverThatDoesNotKnowTheKey_isNotTrustedByTheClient() throws Exception {
        try (Listener fake = Listener.privateSocket("fake", channel -> {
            try {
                channel.send(new Message.Challenge(new byte[32]));
                channel.receive();
                channel.send(new Message.Welcome(new byte[32]));
            } catch (IOException e) {
                channel.close();
            }
        }); Channel client = Channel.connect(fake.address())) {
            IOException e = assertThrows(IOException.class, () -> Handshake.answer(client, key, 1, 1));
            assertTrue(e.getMessage().contains("does not know the key"), e.getMessage());
        }
    }

    @Test
    void oversizedFrameBeforeAuthentication_isRefusedWithoutAllocatingIt() throws Exception {
        try (ChannelServer server = ChannelServer.open(key); Channel client = Channel.connect(server.address())) {
            assertInstanceOf(Message.Challenge.class, client.receive());
            assertThrows(IOException.class, () -> {
                client.send(new Message.Task(1, new byte[1 << 20]));
                client.receive();
            }, "the server drops a peer that sends a big frame before authenticating, without reading it");
        }
    }

    @Test
    void unexpectedChildId_isClosed() throws Exception {
        try (ChannelServer server = ChannelServer.open(key); Channel stranger = Channel.connect(server.address())) {
            Handshake.answer(stranger, key, 99, 1);
            assertThrows(IOException.class, stranger::receive);
        }
    }
}
