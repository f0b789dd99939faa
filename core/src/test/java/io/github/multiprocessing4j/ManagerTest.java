package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Manager proxies used from children and pool workers, and a manager reached over TCP by another JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerTest {

    /** A user's own shared type. */
    public interface Counter {
        int increment(String who);

        int total();
    }

    static final class CountingCounter implements Counter {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public int increment(String who) {
            return count.incrementAndGet();
        }

        @Override
        public int total() {
            return count.get();
        }
    }

    /** Runs in the manager, atomically: a serializable remapping function. */
    interface SerializableSum extends java.util.function.BiFunction<Integer, Integer, Integer>, Serializable {
    }

    @Test
    void dictAndList_areUpdatedByPoolWorkers() throws Exception {
        try (Manager manager = Manager.start(); Pool pool = new Pool(2)) {
            Map<String, Integer> counts = manager.dict();
            List<String> log = manager.list();
            List<String> words = List.of("a", "b", "a", "c", "a", "b");
            pool.map((String word) -> {
                counts.merge(word, 1, (SerializableSum) Integer::sum);
                log.add(word);
                return null;
            }, words, 1);
            assertEquals(Map.of("a", 3, "b", 2, "c", 1), Map.copyOf(counts));
            assertEquals(6, log.size());
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(counts.keySet()));
            List<String> iterated = new ArrayList<>();
            log.iterator().forEachRemaining(iterated::add);
            assertEquals(6, iterated.size());
            assertTrue(counts.toString().contains("a=3"), counts.toString());
        }
    }

    /** Runs in the manager: a serializable predicate. */
    interface SerializablePredicate<T> extends java.util.function.Predicate<T>, Serializable {
    }

    @Test
    void listProxy_streamsAndIteratesSnapshots_andRefusesChangesThatWouldOnlyHitASnapshot() {
        try (Manager manager = Manager.start()) {
            List<Integer> shared = manager.list();
            shared.addAll(List.of(1, 2, 3, 4, 5));
            assertEquals(List.of(4, 5), shared.stream().filter(x -> x > 3).toList());
            java.util.ListIterator<Integer> backwards = shared.listIterator(5);
            assertEquals(5, backwards.previous());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shared.removeIf(x -> x > 3));
            assertTrue(e.getMessage().contains("needs a serializable function"), e.getMessage());
            assertEquals(5, shared.size(), "nothing was removed");
            assertTrue(shared.removeIf((SerializablePredicate<Integer>) x -> x > 3));
            assertEquals(List.of(1, 2, 3), List.copyOf(shared));
        }
    }

    @Test
    void namespace_setInAChild_isReadHere() throws Exception {
        try (Manager manager = Manager.start()) {
            Namespace ns = manager.namespace();
            Process child = new Process((Namespace n) -> n.set("answer", 42), ns);
            child.start();
            child.join();
            assertEquals(Integer.valueOf(42), ns.<Integer>get("answer").orElseThrow());
            assertTrue(ns.has("answer"));
            assertFalse(ns.has("question"));
        }
    }

    @Test
    void registeredInterface_isCalledFromChildren() throws Exception {
        try (Manager manager = Manager.start()) {
            Counter counter = manager.register(Counter.class, new CountingCounter());
            Process a = new Process((Counter c) -> c.increment("a"), counter);
            Process b = new Process((Counter c) -> c.increment("b"), counter);
            a.start();
            b.start();
            a.join();
            b.join();
            assertEquals(2, counter.total());
            IllegalArgumentException notAnInterface = assertThrows(IllegalArgumentException.class,
                    () -> manager.register(CountingCounter.class, new CountingCounter()));
            assertTrue(notAnInterface.getMessage().contains("must implement the interface"), notAnInterface.getMessage());
        }
    }

    static final byte[] KEY = "manager test key, 32 bytes long!".getBytes(StandardCharsets.UTF_8);

    static void remoteClient(List<Object> args) {
        Manager.Remote remote = Manager.connect((String) args.get(0), (byte[]) args.get(1));
        @SuppressWarnings("unchecked")
        Map<String, Integer> shared = remote.lookup("shared", Map.class);
        shared.put("from " + ProcessHandle.current().pid(), 1);
        remote.lookup("counter", Counter.class).increment("remote");
    }

    @Test
    void remoteJvm_withTheKey_usesPublishedObjects_andAWrongKeyIsRefusedBeforeAnythingRuns() throws Exception {
        try (Manager manager = Manager.start()) {
            Map<String, Integer> shared = manager.dict();
            Counter counter = manager.register(Counter.class, new CountingCounter());
            manager.publish("shared", shared);
            manager.publish("counter", counter);
            String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);
            assertTrue(address.startsWith("tcp:127.0.0.1:"), address);

            Process client = new Process(ManagerTest::remoteClient, List.of(address, KEY));
            client.start();
            client.join();
            assertEquals(0, client.exitCode(), () -> "client failed: " + client.exception());
            assertEquals(Map.of("from " + client.pid(), 1), Map.copyOf(shared));
            assertEquals(1, counter.total());

            byte[] wrongKey = "not the manager key, 32 bytes!!!".getBytes(StandardCharsets.UTF_8);
            Process intruder = new Process(ManagerTest::remoteClient, List.of(address, wrongKey));
            intruder.start();
            intruder.join();
            assertEquals(1, intruder.exitCode());
            assertTrue(intruder.exception().orElseThrow().getMessage().contains("key is wrong"),
                    intruder.exception().orElseThrow().getMessage());
            assertEquals(1, shared.size(), "nothing was executed for the wrong key");
            assertEquals(1, counter.total());
            assertEquals(Set.of("counter", "shared"), Manager.connect(address, KEY).names());
        }
    }

    @Test
    void closedManager_servesNobody_connectionsMadeBeforeIncluded() {
        Manager manager = Manager.start();
        String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);
        manager.publish("log", manager.list());
        Manager.Remote remote = Manager.connect(address, KEY);
        assertEquals(Set.of("log"), remote.names());
        manager.close();
        assertThrows(MultiprocessingException.class, remote::names);
    }

    @Test
    void closingAManagerThisJvmReachedOverTcp_leavesNoUncaughtException() throws Exception {
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
        try {
            Manager manager = Manager.start();
            String address = manager.listen(InetAddress.getLoopbackAddress(), 0, KEY);
            manager.publish("log", manager.list());
            assertEquals(Set.of("log"), Manager.connect(address, KEY).names());
            manager.close();
            Thread.sleep(500);   // the hub's connection thread ends after the close
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of(), uncaught, "a connection from this very JVM needs no exit watch");
    }
}
