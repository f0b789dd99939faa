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
                Handshake.answer(impostor, Handshake.newKey(), 1, 1);
                assertThrows(IOException.class, impostor::receive, "the server must close the impostor's connection");
            }
            assertThrows(TimeoutException.class, () -> expected.get(300, TimeUnit.MILLISECONDS));
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
