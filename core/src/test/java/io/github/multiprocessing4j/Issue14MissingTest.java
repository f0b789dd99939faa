package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 14, "Missing": Python features added for conformance, through the public API with real child JVMs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue14MissingTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(50);

    // ---- 1. waiting on many things at once --------------------------------------------------------------

    @Test
    void waitAny_returnsTheProcessThatEnded_notTheOneStillRunning() throws Exception {
        Event release = new Event();
        Process waiting = new Process((Event e) -> e.waitFor(), release);
        Process quick = new Process(() -> { });
        waiting.start();
        quick.start();
        try {
            assertThat(Multiprocessing.waitAny(List.of(waiting, quick), LONG)).containsExactly(quick);
            assertThat(quick.sentinel().get(30, TimeUnit.SECONDS)).isSameAs(quick);
            assertThat(waiting.sentinel()).isNotDone();
        } finally {
            release.set();
        }
        assertThat(Multiprocessing.waitAny(List.of(waiting.sentinel()))).hasSize(1);
        assertThat(waiting.exitCode()).isZero();
    }

    @Test
    void waitAny_overPipeEndsQueuesAndFutures_returnsThoseReady_orNothingAfterTheTimeout() throws Exception {
        Pipe pipe = Pipe.open();
        Queue<String> queue = new Queue<>();
        CompletableFuture<String> future = new CompletableFuture<>();
        List<Object> all = List.of(pipe.first(), queue, future);
        assertThat(Multiprocessing.waitAny(all, SHORT)).isEmpty();

        Process sender = new Process((Connection end) -> end.send("from the child"), pipe.second());
        sender.start();
        assertThat(Multiprocessing.waitAny(all, LONG)).containsExactly(pipe.first());
        assertThat(pipe.first().recv()).isEqualTo("from the child");
        sender.join();

        queue.put("item");
        future.complete("done");
        assertThat(Multiprocessing.waitAny(List.of(queue, future), LONG)).containsExactly(queue, future);
        assertThat(Multiprocessing.waitAny(List.of(pipe.first()), LONG)).as("end of file counts as ready")
                .containsExactly(pipe.first());
    }

    @Test
    void waitAny_overSocketConnections_returnsTheOneAChildWroteTo_andOneWhosePeerClosed() throws Exception {
        byte[] key = "wait-any-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Listener listener = Listener.bind(key)) {
            java.net.InetSocketAddress address = listener.address();
            try (SocketConnection quiet = Client.connect(address, key);
                    SocketConnection quietServerSide = listener.accept(LONG)) {
                Process writer = new Process((java.net.InetSocketAddress to) -> {
                    try (SocketConnection connection = Client.connect(to, "wait-any-key".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                        connection.send("from the child");
                    }
                }, address);
                writer.start();
                try (SocketConnection fromChild = listener.accept(LONG)) {
                    assertThat(Multiprocessing.waitAny(List.of(quiet, quietServerSide, fromChild), LONG))
                            .containsExactly(fromChild);
                    assertThat(fromChild.recv()).isEqualTo("from the child");
                    writer.join();
                    assertThat(Multiprocessing.waitAny(List.of(quiet, fromChild), LONG))
                            .as("a connection whose peer closed is ready: its receive says end of file")
                            .containsExactly(fromChild);
                    assertThat(Multiprocessing.waitAny(List.of(quiet, quietServerSide), SHORT)).isEmpty();
                }
            }
        }
    }

    @Test
    void waitAny_refusesWhatItCannotWaitFor_andSentinelNeedsAStartedProcess() {
        assertThatThrownBy(() -> Multiprocessing.waitAny(List.of("text"), SHORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> new Process(() -> { }).sentinel()).isInstanceOf(IllegalStateException.class);
    }

    // ---- 2. Condition.waitFor, Barrier action and default timeout ---------------------------------------

    @Test
    void conditionWaitFor_returnsOnceAChildMadeThePredicateTrue() throws Exception {
        Condition cond = new Condition();
        Value.OfLong state = Value.ofLong(0);
        Process child = new Process((List<Object> shared) -> {
            Condition c = (Condition) shared.get(0);
            c.lock().lock();
            try {
                ((Value.OfLong) shared.get(1)).set(1);
                c.signalAll();
            } finally {
                c.lock().unlock();
            }
        }, List.of(cond, state));
        cond.lock().lock();
        try {
            child.start();
            assertThat(cond.waitFor(() -> state.get() == 1, LONG)).isTrue();
            assertThat(cond.waitFor(() -> false, SHORT)).as("still false when the time ran out").isFalse();
        } finally {
            cond.lock().unlock();
        }
        child.join();
    }

    @Test
    void barrierAction_runsOncePerRound_inTheLastParty_beforeAnyoneIsReleased() throws Exception {
        Queue<String> log = new Queue<>();
        Barrier barrier = new Barrier(2, () -> log.put("action"));
        Process child = new Process((List<Object> shared) -> {
            @SuppressWarnings("unchecked")
            Queue<String> q = (Queue<String>) shared.get(0);
            ((Barrier) shared.get(1)).await(LONG);
            q.put("child passed");
        }, List.of(log, barrier));
        child.start();
        barrier.await(LONG);
        assertThat(log.get(LONG)).as("the action ran before anyone passed").isEqualTo("action");
        assertThat(log.get(LONG)).isEqualTo("child passed");
        child.join();
        assertThat(log.isEmpty()).isTrue();
        assertThat(barrier.isBroken()).isFalse();
    }

    @Test
    void barrierAction_thatThrows_reachesTheLastParty_andBreaksTheBarrier() {
        Barrier barrier = new Barrier(1, () -> {
            throw new IllegalStateException("action failed");
        });
        assertThatThrownBy(barrier::await).isInstanceOf(IllegalStateException.class).hasMessage("action failed");
        assertThat(barrier.isBroken()).isTrue();
    }

    @Test
    void barrierDefaultTimeout_breaksTheBarrier_withBrokenBarrierException_asInPython() {
        Barrier barrier = new Barrier(2, null, SHORT);
        assertThat(barrier.timeout()).contains(SHORT);
        assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class).hasMessageContaining("timeout");
        assertThat(barrier.isBroken()).isTrue();
    }

    // ---- 3. Value and Array: associated lock, more typecodes --------------------------------------------

    @Test
    void valueLock_isTheSameLockInEveryProcess() throws Exception {
        Value.OfInt counter = Value.ofInt(0);
        RLock lock = counter.getLock();
        lock.lock();
        try {
            Process blocked = new Process((Value.OfInt v) -> {
                if (v.getLock().tryLock()) {
                    throw new AssertionError("the child got the lock the parent holds");
                }
            }, counter);
            blocked.start();
            blocked.join();
            assertThat(blocked.exitCode()).as(() -> String.valueOf(blocked.exception())).isZero();
        } finally {
            lock.unlock();
        }
        Process adder = new Process((Value.OfInt v) -> {
            v.getLock().lock();
            try {
                v.set(v.get() + 5);
            } finally {
                v.getLock().unlock();
            }
        }, counter);
        adder.start();
        adder.join();
        assertThat(counter.get()).isEqualTo(5);
    }

    @Test
    void rawValueAndArray_haveNoLock() {
        Value.OfLong raw = Value.ofLong(1, false);
        assertThat(raw.hasLock()).isFalse();
        assertThatThrownBy(raw::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("lock = false");
        assertThat(Array.ofDoubles(2, false).hasLock()).isFalse();
        assertThat(Array.ofDoubles(2).getLock()).isNotNull();
    }

    @Test
    void moreTypecodes_areSharedWithAChild() throws Exception {
        Value.OfByte b = Value.ofByte((byte) 127);
        Value.OfShort h = Value.ofShort((short) 1);
        Value.OfFloat f = Value.ofFloat(1.5f);
        Value.OfChar u = Value.ofChar('a');
        Array.OfShort shorts = Array.of((short) 1, (short) 2);
        Array.OfFloat floats = Array.of(0.5f, 1.5f);
        Array.OfChar chars = Array.of('h', 'i');
        Process child = new Process((List<Object> all) -> {
            ((Value.OfByte) all.get(0)).getAndAdd((byte) 1);
            ((Value.OfShort) all.get(1)).addAndGet((short) 41);
            ((Value.OfFloat) all.get(2)).addAndGet(1.0f);
            ((Value.OfChar) all.get(3)).compareAndSet('a', 'z');
            ((Array.OfShort) all.get(4)).set(1, (short) 20);
            ((Array.OfFloat) all.get(5)).set(0, 2.5f);
            ((Array.OfChar) all.get(6)).set(1, 'o');
        }, List.of(b, h, f, u, shorts, floats, chars));
        child.start();
        child.join();
        assertThat(child.exitCode()).as(() -> String.valueOf(child.exception())).isZero();
        assertThat(b.get()).as("byte arithmetic wraps").isEqualTo((byte) -128);
        assertThat(h.get()).isEqualTo((short) 42);
        assertThat(f.get()).isEqualTo(2.5f);
        assertThat(u.get()).isEqualTo('z');
        assertThat(shorts.toArray()).containsExactly((short) 1, (short) 20);
        assertThat(floats.toArray()).containsExactly(2.5f, 1.5f);
        assertThat(chars.asString()).isEqualTo("ho");
    }

    // ---- 4. Manager: more shared types, and registered types -------------------------------------------

    /** What a type registered with a manager exposes. */
    public interface Counter {
        int increment();
    }

    static final class SimpleCounter implements Counter {
        private int count;

        @Override
        public synchronized int increment() {
            return ++count;
        }
    }

    @Test
    void manager_makesEveryPythonSharedType_andAChildUsesThem() throws Exception {
        try (Manager manager = Manager.start()) {
            Queue<Integer> bounded = manager.queue(1);
            Manager.ValueProxy<String> value = manager.value("start");
            List<Integer> array = manager.array(List.of(0, 0, 0));
            java.util.Set<String> set = manager.set();
            Semaphore semaphore = manager.semaphore(1);
            BoundedSemaphore bounded2 = manager.boundedSemaphore(1);
            Condition condition = manager.condition();
            Barrier barrier = manager.barrier(1);
            JoinableQueue<String> joinable = manager.joinableQueue(0);
            Process child = new Process((List<Object> shared) -> {
                @SuppressWarnings("unchecked")
                Manager.ValueProxy<String> v = (Manager.ValueProxy<String>) shared.get(0);
                v.set(v.get() + " and child");
                @SuppressWarnings("unchecked")
                List<Integer> a = (List<Integer>) shared.get(1);
                a.set(2, 7);
                @SuppressWarnings("unchecked")
                java.util.Set<String> s = (java.util.Set<String>) shared.get(2);
                s.add("x");
                s.add("x");
                ((Barrier) shared.get(3)).await();
            }, List.of(value, array, set, barrier));
            child.start();
            child.join();
            assertThat(child.exitCode()).as(() -> String.valueOf(child.exception())).isZero();
            assertThat(value.get()).isEqualTo("start and child");
            assertThat(array).containsExactly(0, 0, 7);
            assertThatThrownBy(() -> array.add(1)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(set).containsExactly("x");
            bounded.put(1);
            assertThatThrownBy(() -> bounded.putNowait(2)).isInstanceOf(Queue.Full.class);
            assertThat(semaphore.tryAcquire()).isTrue();
            assertThat(semaphore.tryAcquire()).isFalse();
            assertThatThrownBy(bounded2::release).isInstanceOf(IllegalStateException.class);
            condition.lock().lock();
            try {
                assertThat(condition.waitFor(() -> true, SHORT)).isTrue();
            } finally {
                condition.lock().unlock();
            }
            joinable.put("job");
            assertThat(joinable.get()).isEqualTo("job");
        }
    }

    @Test
    void manager_registeredType_isMadeOnRequest_hereAndFromAnotherJvm() throws Exception {
        byte[] key = "a key of sixteen bytes or more".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Manager manager = Manager.start()) {
            manager.registerType("Counter", Counter.class, SimpleCounter::new);
            assertThatThrownBy(() -> manager.registerType("Counter", Counter.class, SimpleCounter::new))
                    .isInstanceOf(IllegalStateException.class);
            Counter here = manager.create("Counter", Counter.class);
            assertThat(here.increment()).isEqualTo(1);
            String address = manager.listen(java.net.InetAddress.getLoopbackAddress(), 0, key);
            Process client = new Process((String at) -> {
                Manager.Remote remote = Manager.connect(at, "a key of sixteen bytes or more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Counter there = remote.create("Counter", Counter.class);
                if (there.increment() != 1 || there.increment() != 2) {
                    throw new AssertionError("a new counter counts from 1");
                }
                if (!(remote.create("Nothing", Counter.class) == null)) {
                    throw new AssertionError("unreachable");
                }
            }, address);
            client.start();
            client.join();
            assertThat(client.exception()).get().isInstanceOf(NoSuchElementException.class)
                    .extracting(Throwable::getMessage).asString().contains("Counter");
            assertThat(here.increment()).as("each create makes a new object").isEqualTo(2);
        }
    }

    // ---- 8. connection details --------------------------------------------------------------------------

    @Test
    void connection_sendBytesSlice_recvBytesInto_andBufferTooShort() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.second().sendBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
        byte[] buffer = new byte[6];
        assertThat(pipe.first().recvBytesInto(buffer, 2)).isEqualTo(3);
        assertThat(buffer).containsExactly(0, 0, 2, 3, 4, 0);

        pipe.second().sendBytes(new byte[] {9, 9, 9});
        Connection.BufferTooShort tooShort = org.junit.jupiter.api.Assertions.assertThrows(Connection.BufferTooShort.class,
                () -> pipe.first().recvBytesInto(new byte[2]));
        assertThat(tooShort.message()).containsExactly(9, 9, 9);
        assertThatThrownBy(() -> pipe.second().sendBytes(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void connection_closedReadableWritable() {
        Pipe oneWay = Pipe.open(false);
        assertThat(oneWay.first().readable()).isTrue();
        assertThat(oneWay.first().writable()).isFalse();
        assertThat(oneWay.second().readable()).isFalse();
        assertThat(oneWay.second().writable()).isTrue();
        assertThat(oneWay.first().closed()).isFalse();
        oneWay.first().close();
        assertThat(oneWay.first().closed()).isTrue();
    }
}
