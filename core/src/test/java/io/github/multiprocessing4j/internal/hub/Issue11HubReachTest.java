package io.github.multiprocessing4j.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiprocessing4j.ClassAllowlist;
import io.github.multiprocessing4j.Manager;
import io.github.multiprocessing4j.Process;
import io.github.multiprocessing4j.Queue;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Handshake;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, items 1 and 2: a key holder of a manager's TCP entrance reaches only the objects it was handed,
 * and what it sends is decoded against the manager's class allowlist. The client is a real TCP connection
 * that proved the key and writes frames by hand.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue11HubReachTest {
    private static final byte[] KEY = "issue-11-reach-key-of-the-manager".getBytes(StandardCharsets.US_ASCII);
    private static final Duration LONG = Duration.ofSeconds(20);

    private static Channel keyHolder(String address) throws IOException {
        Channel channel = Channel.connect(address);
        Handshake.answer(channel, KEY, 0, ProcessHandle.current().pid());
        return channel;
    }

    private static Message.Outcome call(Channel channel, long callId, HubFrame frame) throws IOException {
        channel.send(new Message.Task(callId, Codec.encode(frame, "frame")));
        return (Message.Outcome) channel.receive();
    }

    @Test
    void issue11_aKeyHolderTryingIds1To1000_reachesNoUnpublishedObject_whileHandedObjectsWork() throws Exception {
        try (Manager manager = Manager.start()) {
            Queue<String> unpublished = manager.queue();
            unpublished.put("secret");
            Queue<String> published = manager.queue();
            manager.publish("inbox", published);
            manager.registerType("box", Supplier.class, () -> (Supplier<String> & Serializable) () -> "made");
            String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);

            try (Channel channel = keyHolder(address)) {
                for (long id = 1; id <= 1000; id++) {
                    for (ObjectId guess : List.of(new ObjectId(0, id), new ObjectId(id, 0))) {
                        Message.Outcome outcome = call(channel, id, new HubFrame.Call(guess, 1, new QueueRequest.Get(0)));
                        assertThat(outcome.success()).as("id %s", guess).isFalse();
                        assertThat(ThrowableTransport.decode(outcome.payload())).hasMessageContaining("does not exist");
                    }
                }
            }
            assertThat(unpublished.qsize()).as("the secret is still there").isEqualTo(1);

            Manager.Remote remote = Manager.connect(address, KEY);
            @SuppressWarnings("unchecked")
            Queue<String> found = remote.lookup("inbox", Queue.class);
            found.put("by name");
            assertThat(published.get(LONG)).isEqualTo("by name");
            @SuppressWarnings("unchecked")
            Supplier<String> made = remote.create("box", Supplier.class);
            assertThat(made.get()).as("a handle in an answer").isEqualTo("made");
            Process child = new Process(q -> q.put("from a child"), found);
            child.start();
            child.join();
            assertThat(published.get(LONG)).as("a handle passed to a child").isEqualTo("from a child");
        }
    }

    /** Gadget-shaped: code that runs when it is decoded or put in a map. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            ran = true;
            in.defaultReadObject();
        }

        @Override
        public int hashCode() {
            ran = true;
            return 1;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Gadget;
        }
    }

    record Point(int x, int y) implements Serializable {}

    @Test
    void issue11_aClassOutsideTheAllowlist_isRefusedBeforeAnyOfItsCodeRuns_andAllowedClassesWork() throws Exception {
        Gadget.ran = false;
        try (Manager manager = Manager.start()) {
            Map<Object, Object> dict = manager.dict();
            manager.publish("dict", dict);
            String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY, ClassAllowlist.of(Point.class.getName()));

            try (Channel channel = keyHolder(address)) {
                Message.Outcome outcome = call(channel, 1, new HubFrame.Call(ObjectId.random(), 1,
                        new ProxyRequest.Invoke("put", new String[] {"java.lang.Object", "java.lang.Object"},
                                new Object[] {new Gadget(), "value"})));
                assertThat(outcome.success()).isFalse();
                assertThat(ThrowableTransport.decode(outcome.payload()))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageContaining(Gadget.class.getName())
                        .hasMessageContaining("allowlist");
            }
            assertThat(Gadget.ran).as("the gadget's code ran in the manager").isFalse();

            @SuppressWarnings("unchecked")
            Map<Object, Object> remote = Manager.connect(address, KEY).lookup("dict", Map.class);
            remote.put(new Point(1, 2), List.of("jdk", 3L));
            assertThat(dict).containsEntry(new Point(1, 2), List.of("jdk", 3L));
            assertThatThrownBy(() -> remote.put("k", new Gadget()))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("allowlist");
            assertThat(Gadget.ran).isFalse();
            assertThat(remote.size()).as("the entrance serves on").isEqualTo(1);
        }
    }

    @Test
    void classAllowlistPatterns_matchClassesPackagesAndSubpackages() {
        assertThat(ClassAllowlist.of("java.awt.Point").toString()).contains("java.awt.Point");
        assertThatThrownBy(() -> ClassAllowlist.of("com.*.x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.*.x");
        assertThatThrownBy(() -> ClassAllowlist.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
