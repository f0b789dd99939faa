package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.wire.FrameCodec;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, the last "Missing" items: parentProcess() one can join, the pool's start method, through the
 * public API with real child JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue14RemainingTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    // ---- 7. parentProcess() as a handle; Pool start method ----------------------------------------------

    @Test
    void parentProcess_inAChild_isAliveAndDoesNotEnd_andAnEndedChildJoinsAtOnce() throws Exception {
        Queue<List<Object>> seen = new Queue<>();
        Process child = new Process((Queue<List<Object>> out) -> {
            ProcessInfo parent = Multiprocessing.parentProcess().orElseThrow();
            out.put(List.of(parent.pid(), parent.isAlive(), parent.join(Duration.ofMillis(20)),
                    Multiprocessing.currentProcess().pid()));
        }, seen);
        child.start();
        List<Object> report = seen.get(LONG);
        child.join();

        assertThat(report.subList(0, 3)).containsExactly(ProcessHandle.current().pid(), true, false);
        ProcessInfo ended = new ProcessInfo(child.name(), (Long) report.get(3));
        assertThat(ended.join(LONG)).isTrue();
        assertThat(ended.isAlive()).isFalse();
        assertThatThrownBy(() -> Multiprocessing.currentProcess().join(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("current process");
    }

    @Test
    void poolStartMethodCold_neverTakesAWaitingSpare() throws Exception {
        JvmOptions options = JvmOptions.builder().systemProperty("mp4j.test.startMethod", "cold").build();
        Multiprocessing.prestart(1, options).get(30, TimeUnit.SECONDS);
        List<Long> spares = Launcher.get().readySparePids(options);
        assertThat(spares).hasSize(1);

        try (Pool pool = Pool.builder().processes(1).jvmOptions(options).startMethod(Pool.StartMethod.COLD).build()) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            assertThat(worker).isNotEqualTo(spares.get(0));
        }
        assertThat(Launcher.get().readySparePids(options)).containsExactlyElementsOf(spares);
        assertThatThrownBy(() -> Pool.builder().startMethod(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("method");
    }

    // ---- 5. ShareableList and SharedMemoryManager -------------------------------------------------------

    @Test
    void shareableList_writtenByAChild_isSeenHere_andSlotsKeepTheirCapacity() throws Exception {
        try (SharedMemoryManager smm = SharedMemoryManager.start()) {
            ShareableList list = smm.shareableList(Arrays.asList(7L, 2.5, "howdy", new byte[] {1, 2}, null, true, 3));
            assertThat(list.toList()).containsExactly(7L, 2.5, "howdy", new byte[] {1, 2}, null, true, 3L);

            Process child = new Process((ShareableList l) -> {
                l.set(0, (Long) l.get(0) + 1);
                l.set(2, "été");                   // 5 UTF-8 bytes: fits the 8 "howdy" was given
                l.set(4, "null no more");          // 12 bytes, but the slot of null has 8: throws
            }, list);
            child.start();
            child.join(LONG);
            assertThat(child.exitCode()).as("the too-long string failed the target").isEqualTo(1);
            assertThat(child.exception().orElseThrow()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("room for 8 bytes").hasMessageContaining("needs 12");

            ShareableList attached = ShareableList.attach(list.sharedMemory().name());
            assertThat(attached.toList()).containsExactly(8L, 2.5, "été", new byte[] {1, 2}, null, true, 3L);
            attached.set(1, "12345678");              // a number's slot holds any 8 bytes, of any type
            attached.set(2, 1.0f);
            assertThat(list.get(1)).isEqualTo("12345678");
            assertThat(list.get(2)).isEqualTo(1.0);
            assertThat(list.count(3)).isEqualTo(1);
            assertThat(list.indexOf(new byte[] {1, 2})).isEqualTo(3);
            assertThat(list.indexOf("absent")).isEqualTo(-1);
            assertThat(list.toString()).startsWith("ShareableList([8, '12345678', 1.0, b[1, 2], null, true, 3]");
            assertThatThrownBy(() -> list.set(6, new Object())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object");
            assertThatThrownBy(() -> list.get(7)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ShareableList.attach(smm.sharedMemory(64).name()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not hold a ShareableList");
        }
    }

    @Test
    void sharedMemoryManager_unlinksEveryBlockItMade_whenClosed() {
        SharedMemoryManager smm = SharedMemoryManager.start();
        SharedMemory block = smm.sharedMemory(128);
        ShareableList list = smm.shareableList(List.of("a", 1L));
        block.buffer().putInt(0, 42);
        list.unlink();                                  // unlinked by its user first: skipped at close
        assertThat(smm.names()).containsExactly(block.name(), list.sharedMemory().name());

        smm.close();
        smm.close();
        assertThatThrownBy(() -> SharedMemory.attach(block.name())).isInstanceOf(IllegalArgumentException.class);
        assertThat(block.buffer().getInt(0)).as("a mapping stays valid after unlink").isEqualTo(42);
        assertThat(smm.names()).isEmpty();
        assertThatThrownBy(() -> smm.sharedMemory(8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ---- 6. Listener and Client -------------------------------------------------------------------------

    private static final byte[] KEY = "the key both sides know".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void listenerAndClient_connectAnotherJvmWithTheKey_andExchangeValuesAndBytes() throws Exception {
        try (Listener listener = Listener.bind(KEY)) {
            assertThat(listener.address().getAddress().isLoopbackAddress()).as("loopback unless told").isTrue();
            Process child = new Process((List<Object> where) -> {
                try (SocketConnection conn = Client.connect((InetSocketAddress) where.get(0), (byte[]) where.get(1))) {
                    conn.send(List.of("hello", 1));
                    conn.sendBytes(new byte[] {9, 1, 2, 3, 9}, 1, 3);
                    conn.send(conn.recv() + " back");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(listener.address(), KEY));
            child.start();
            try (SocketConnection conn = listener.accept(LONG)) {
                assertThat(conn.recv(LONG)).isEqualTo(List.of("hello", 1));
                assertThat(conn.poll(LONG)).isTrue();
                assertThat(conn.recvBytes()).containsExactly(1, 2, 3);
                conn.send("echo");
                assertThat(conn.recv(LONG)).isEqualTo("echo back");
                child.join(LONG);
                assertThat(child.exitCode()).isZero();
                assertThat(conn.poll(LONG)).as("end of file is ready to receive").isTrue();
                assertThatThrownBy(conn::recv).isInstanceOf(EOFException.class);
                assertThatThrownBy(conn::recv).as("and stays so").isInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void aClientWithTheWrongKey_isRefused_andNothingItSendsIsDeserialized() throws Exception {
        try (Listener listener = Listener.bind(KEY)) {
            assertThatThrownBy(() -> Client.connect(listener.address(), "wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("refused the key");

            try (SocketChannel raw = SocketChannel.open(listener.address())) {   // skips HELLO, sends an object
                assertThat(FrameCodec.read(raw)).isInstanceOf(Message.Challenge.class);
                FrameCodec.write(raw, new Message.Task(1, Codec.encode(new Tripwire(), "tripwire")));
                assertThatThrownBy(() -> FrameCodec.read(raw)).isInstanceOf(IOException.class);
            }
            assertThatThrownBy(() -> listener.accept(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(Tripwire.DESERIALIZED).isFalse();

            SocketConnection client = Client.connect(listener.address(), KEY);
            try (SocketConnection server = listener.accept(LONG)) {
                assertThat(server.poll()).isFalse();
                client.send(null);
                assertThat(server.recv(LONG)).isNull();
                assertThatThrownBy(() -> server.recv(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
                client.close();
                assertThat(client.closed()).isTrue();
                assertThatThrownBy(() -> client.send("x")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> server.recv(LONG)).isInstanceOf(EOFException.class);
            } finally {
                client.close();
            }
        }
        assertThatThrownBy(() -> Listener.bind(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authkey");
    }

    @Test
    void aClosedListener_refusesToAccept_andWakesAWaitingAccept() throws Exception {
        // A key of its own: once closed, the port may be handed to another test's listener (this JVM's, or
        // another build's), and one with the shared KEY would complete the handshake.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Listener listener = Listener.bind(key);
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (InterruptedException | RuntimeException e) {
                return e;
            }
        });
        listener.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> listener.accept(LONG)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Client.connect(listener.address(), key, LONG))
                .isInstanceOfAny(IOException.class, AuthenticationException.class);
        assertThatThrownBy(() -> Client.connect(listener.address(), key, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    /** Would say so if anything deserialized it. */
    static final class Tripwire implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean DESERIALIZED;

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED = true;
        }
    }
}
