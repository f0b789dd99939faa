package io.github.multiprocessing4j.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed listener serves no connection made after {@link Listener#close()} returned. On JDK 17 the kernel
 * keeps a listening socket open until the thread blocked in {@code accept} leaves it, and the JDK hands that
 * thread a connection that arrived meanwhile: before the fix, about one connection in ten made right after
 * close reached the handler and completed a handshake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerCloseTest {

    @Test
    void connectionsMadeAfterClose_neverReachTheHandler() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        int connectedAtTheSocketLevel = 0;
        for (int i = 0; i < 300; i++) {
            Listener listener = Listener.tcp(InetAddress.getLoopbackAddress(), 0, "close-test", channel -> {
                handled.incrementAndGet();
                channel.close();
            });
            String address = listener.address();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            listener.close();
            try (SocketChannel socket = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                connectedAtTheSocketLevel++;
                socket.socket().setSoTimeout(2_000);
                // Refused by the listener: closed without a byte, or reset.
                assertThat(readOrReset(socket)).isLessThanOrEqualTo(0);
            } catch (IOException refused) {
                // Connection refused: the port no longer listens.
            }
        }
        assertThat(handled).as("connections that reached the handler after close (%d connected at the socket level)",
                connectedAtTheSocketLevel).hasValue(0);
    }

    private static int readOrReset(SocketChannel socket) {
        try {
            return socket.socket().getInputStream().read(new byte[16]);
        } catch (IOException reset) {
            return -1;
        }
    }
}
