package io.github.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, "Fails today": behaviours where a port of CPython's own multiprocessing tests found us
 * different from Python, each checked through the public API with real child JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Issue14ConformanceTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = new Pool(2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    // ---- pool callbacks ---------------------------------------------------------------------------------

    @Test
    void applyAsyncCallback_hasRunWhenGetReturns() throws Exception {
        AtomicBoolean callbackDone = new AtomicBoolean();
        AsyncResult<Integer> result = pool.applyAsync((Integer x) -> x + 1, 41, value -> {
            pause(); // widens the window in which a get() that does not wait for the callback returns early
            callbackDone.set(true);
        }, failure -> { });
        assertThat(result.get()).isEqualTo(42);
        assertThat(callbackDone).as("the callback ran before get() returned").isTrue();
    }

    @Test
    void applyAsyncErrorCallback_forAResultThatCannotBeSentBack_hasRunWhenGetThrows() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AsyncResult<Object> result = pool.applyAsync((Integer x) -> new Object(), 1, value -> { }, failure -> {
            pause();
            seen.set(failure);
        });
        assertThatThrownBy(result::get).isInstanceOf(SerializationException.class);
        assertThat(seen.get()).as("the error callback ran before get() threw").isInstanceOf(SerializationException.class);
        assertThat(result.successful()).isFalse();
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- imap over a failing input ----------------------------------------------------------------------

    /** 0, 1, 2, then throws at item 3 (and would go on with 4 if asked again). */
    private static Iterator<Integer> brokenAtThree() {
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < 6;
            }

            @Override
            public Integer next() {
                int item = next++;
                if (item == 3) {
                    throw new IllegalStateException("input broke at 3");
                }
                return item;
            }
        };
    }

    @Test
    void imap_inputThatThrowsAtItemThree_yieldsItemsZeroToTwo_thenThrowsTheInputsException_thenEnds() {
        ResultIterator<Integer> results = pool.imap((Integer x) -> x * 10, brokenAtThree(), 1);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(results.next());
        }
        assertThat(seen).containsExactly(0, 10, 20);
        assertThat(results.hasNext()).isTrue();
        assertThatThrownBy(results::next).isInstanceOf(IllegalStateException.class).hasMessage("input broke at 3");
        assertThat(results.hasNext()).isFalse();
        assertThatThrownBy(results::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void imapUnordered_inputThatThrows_yieldsWhatCameBefore_thenThrows() {
        ResultIterator<Integer> results = pool.imapUnordered((Integer x) -> x, brokenAtThree(), 2);
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> results.forEachRemaining(seen::add)).hasMessage("input broke at 3");
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(results.hasNext()).isFalse();
    }

    // ---- pipes ------------------------------------------------------------------------------------------

    @Test
    void pipe_parentClosesTheChildsEndRightAfterStart_theConversationStillWorks() throws Exception {
        Pipe pipe = Pipe.open();
        Process child = new Process((Connection end) -> end.send("echo " + end.recv()), pipe.second());
        child.start();
        pipe.second().close(); // Python's child_conn.close(): this process gives up its copy only
        pipe.first().send("hi");
        assertThat(pipe.first().recv(LONG)).isEqualTo("echo hi");
        child.join();
        assertThat(child.exitCode()).isZero();
        assertThatThrownBy(() -> pipe.first().recv(LONG)).as("the child, the last user, exited").isInstanceOf(EOFException.class);
    }

    @Test
    void pipe_anEndClosedWithoutBeingHandedOver_isClosed() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.second().close();
        assertThatThrownBy(() -> pipe.first().recv(LONG)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> pipe.first().send("x")).hasMessageContaining("other end of this pipe is closed");
    }

    @Test
    void connection_bytesAndObjects_asDocumented() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.second().sendBytes(new byte[] {7});
        assertThat(pipe.first().recv(LONG)).isEqualTo(new byte[] {7});
        pipe.second().send("text");
        assertThatThrownBy(() -> pipe.first().recvBytes()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang.String");
    }

    // ---- standard streams set to null -------------------------------------------------------------------

    @Test
    void child_thatSetsStandardStreamsToNull_exitsWithZero() throws Exception {
        Process p = new Process(() -> {
            System.setOut(null);
            System.setErr(null);
        });
        p.start();
        p.join();
        assertThat(p.exitCode()).isZero();
    }

    @Test
    void child_thatSetsStandardErrorToNullAndThrows_exitsWithOne_andReportsItsException() throws Exception {
        Process p = new Process(() -> {
            System.setErr((PrintStream) null);
            throw new IllegalArgumentException("failed with no stderr");
        });
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.exception()).get().isInstanceOf(IllegalArgumentException.class)
                .extracting(Throwable::getMessage).isEqualTo("failed with no stderr");
    }

    // ---- shared memory ----------------------------------------------------------------------------------

    @Test
    void sharedMemory_showsNameAndSize_andASecondUnlinkFails() {
        try (SharedMemory block = SharedMemory.create("issue14-" + ProcessHandle.current().pid(), 64)) {
            assertThat(block).hasToString("SharedMemory('issue14-" + ProcessHandle.current().pid() + "', size=64)");
            block.unlink();
            assertThatThrownBy(block::unlink).isInstanceOf(IllegalStateException.class).hasMessageContaining("already unlinked");
        }
    }

    // ---- documented differences -------------------------------------------------------------------------

    @Test
    void lock_heldByAChildThatReturnsNormally_isReleasedAtItsExit_andTheNextOwnerIsTold() throws Exception {
        Lock lock = new Lock();
        Process p = new Process((Lock l) -> l.lock(), lock);
        p.start();
        p.join();
        assertThat(p.exitCode()).isZero();
        assertThat(lock.tryLock(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(lock.previousOwnerDied()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void manager_calledFromItsOwnJvm_storesAndReturnsCopies_asInPython() {
        try (Manager manager = Manager.start()) {
            Map<String, List<Integer>> d = manager.dict();
            List<Integer> list = new ArrayList<>();
            d.put("k", list);
            list.add(1);
            assertThat(d.get("k")).as("the manager holds a copy").isEmpty();
            d.get("k").add(2);
            assertThat(d.get("k")).as("a result is a copy too").isEmpty();
        }
    }

    @Test
    void manager_argumentThatCannotBeCopied_failsTheCall() {
        try (Manager manager = Manager.start()) {
            Map<String, Object> d = manager.dict();
            assertThatThrownBy(() -> d.put("k", new Object())).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("java.lang.Object");
        }
    }
}
