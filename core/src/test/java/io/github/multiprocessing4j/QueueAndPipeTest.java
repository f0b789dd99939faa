package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Queues and pipes between the parent, its children, siblings, and pool tasks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueAndPipeTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    static void produce(Queue<Integer> queue) throws InterruptedException {
        for (int i = 1; i <= 100; i++) {
            queue.put(i);
        }
        queue.put(-1);
    }

    static void consume(List<Queue<Integer>> queues) throws InterruptedException {
        int sum = 0;
        for (int item = queues.get(0).get(); item != -1; item = queues.get(0).get()) {
            sum += item;
        }
        queues.get(1).put(sum);
    }

    @Test
    void siblings_produceAndConsumeThroughAQueue_inOrder() throws Exception {
        Queue<Integer> items = new Queue<>(10);
        Queue<Integer> result = new Queue<>();
        Process producer = new Process(QueueAndPipeTest::produce, items);
        Process consumer = new Process(QueueAndPipeTest::consume, List.of(items, result));
        producer.start();
        consumer.start();
        assertEquals(5050, result.get(LONG));
        producer.join();
        consumer.join();
        assertEquals(0, producer.exitCode());
        assertEquals(0, consumer.exitCode());
        assertTrue(items.isEmpty());
    }

    static void putManyThenSignal(List<Object> shared) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Queue<Integer> queue = (Queue<Integer>) shared.get(0);
        for (int i = 0; i < 1000; i++) {
            queue.put(i);
        }
        ((Event) shared.get(1)).set();
        Thread.sleep(60_000);
    }

    @Test
    void asynchronousPuts_arriveBeforeTheSendersLaterCalls() throws Exception {
        Queue<Integer> queue = new Queue<>();
        Event done = new Event();
        Process child = new Process(QueueAndPipeTest::putManyThenSignal, List.of(queue, done));
        child.start();
        assertTrue(done.waitFor(LONG));
        assertEquals(1000, queue.qsize(), "puts made before set() are delivered before it");
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, queue.getNowait());
        }
        child.kill();
        child.join();
    }

    @Test
    void putsPendingWhenAChildCallsSystemExit_areStillDelivered() throws Exception {
        Queue<Integer> queue = new Queue<>();
        Process child = new Process((Queue<Integer> q) -> {
            for (int i = 0; i < 1000; i++) {
                q.put(i);
            }
            System.exit(0);
        }, queue);
        child.start();
        child.join();
        assertEquals(0, child.exitCode());
        assertEquals(1000, queue.qsize());
    }

    @Test
    void fifoOrder_sizes_andPythonsEmptyAndFull() throws Exception {
        Queue<String> queue = new Queue<>(2);
        assertThrows(Queue.Empty.class, queue::getNowait);
        assertThrows(Queue.Empty.class, () -> queue.get(Duration.ofMillis(50)));
        queue.put("a");
        queue.putNowait("b");
        assertEquals(2, queue.qsize());
        assertTrue(queue.isFull());
        Queue.Full full = assertThrows(Queue.Full.class, () -> queue.putNowait("c"));
        assertTrue(full.getMessage().contains("maxsize 2"), full.getMessage());
        assertThrows(Queue.Full.class, () -> queue.put("c", Duration.ofMillis(50)));
        assertEquals("a", queue.get());
        assertEquals("b", queue.getNowait());
        assertTrue(queue.isEmpty());
    }

    @Test
    void nonSerializableItem_failsAtPut_namingTheClass_andTheQueueIsUnchanged() throws Exception {
        Queue<Object> queue = new Queue<>();
        SerializationException e = assertThrows(SerializationException.class, () -> queue.put(new Thread()));
        assertTrue(e.getMessage().startsWith("queue item is of type java.lang.Thread, which is not Serializable"),
                e.getMessage());
        assertEquals(0, queue.qsize());
    }

    @Test
    void getBlocksUntilAnotherProcessPuts() throws Exception {
        Queue<String> queue = new Queue<>();
        Process p = new Process((Queue<String> q) -> {
            Thread.sleep(300);
            q.put("late");
        }, queue);
        p.start();
        assertEquals("late", queue.get());
        p.join();
    }

    @Test
    void poolTasks_putIntoAQueuePassedAsArgument() throws Exception {
        Queue<Long> pids = new Queue<>();
        try (Pool pool = new Pool(2)) {
            pool.map(q -> {
                q.put(ProcessHandle.current().pid());
                return 0;
            }, List.of(pids, pids, pids, pids), 1);
        }
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(pids.get(LONG));
        }
        assertFalse(seen.contains(ProcessHandle.current().pid()));
        assertTrue(pids.isEmpty());
    }

    static void work(JoinableQueue<Integer> queue) throws InterruptedException {
        while (true) {
            int item = queue.get();
            queue.taskDone();
            if (item < 0) {
                return;
            }
        }
    }

    @Test
    void joinableQueue_joinWaitsForEveryTaskDone() throws Exception {
        JoinableQueue<Integer> queue = new JoinableQueue<>();
        for (int i = 0; i < 20; i++) {
            queue.put(i);
        }
        assertFalse(queue.join(Duration.ofMillis(50)), "nothing is done before a worker runs");
        Process worker = new Process(QueueAndPipeTest::work, queue);
        worker.start();
        queue.put(-1);
        assertTrue(queue.join(LONG));
        worker.join();
        assertThrows(IllegalStateException.class, queue::taskDone, "more taskDone() than items");
    }

    @Test
    void pipe_duplexConversation_withBytesAndPoll() throws Exception {
        Pipe pipe = Pipe.open();
        Connection parent = pipe.first();
        Process child = new Process((Connection end) -> {
            String question = (String) end.recv();
            end.send(question.toUpperCase());
            end.sendBytes(end.recvBytes());
        }, pipe.second());
        child.start();
        assertFalse(parent.poll(), "nothing sent yet");
        parent.send("hello");
        assertTrue(parent.poll(LONG));
        assertEquals("HELLO", parent.recv());
        parent.sendBytes(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, parent.recvBytes());
        child.join();
        assertEquals(0, child.exitCode());
    }

    @Test
    void recvWithTimeout_timesOutWithoutLosingWhatComesLater() throws Exception {
        Pipe pipe = Pipe.open();
        assertThrows(java.util.concurrent.TimeoutException.class, () -> pipe.first().recv(Duration.ofMillis(50)));
        pipe.second().send("later");
        assertEquals("later", pipe.first().recv(LONG));
    }

    @Test
    void oneWayPipe_refusesTheWrongDirection() {
        Pipe pipe = Pipe.open(false);
        assertThrows(IllegalStateException.class, () -> pipe.first().send("x"));
        assertThrows(IllegalStateException.class, () -> pipe.second().recv());
    }

    @Test
    void peerThatDies_givesEofNotAHang() throws Exception {
        Pipe pipe = Pipe.open();
        Process child = new Process((Connection end) -> {
            end.send("last words");
            Thread.sleep(60_000);
        }, pipe.second());
        child.start();
        assertEquals("last words", pipe.first().recv());
        child.kill();
        child.join();
        assertThrows(EOFException.class, () -> pipe.first().recv());
    }

    @Test
    void closedPeer_givesEof() throws Exception {
        Pipe pipe = Pipe.open();
        Process child = new Process((Connection end) -> {
            end.send(1);
            end.close();
            Thread.sleep(60_000);
        }, pipe.second());
        child.start();
        assertEquals(1, pipe.first().recv());
        assertThrows(EOFException.class, () -> pipe.first().recv());
        child.kill();
        child.join();
    }

    @Test
    void largeMessages_passThroughQueueAndPipe() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Queue<byte[]> queue = new Queue<>();
        Pipe pipe = Pipe.open();
        Process echo = new Process((List<Object> ends) -> {
            @SuppressWarnings("unchecked")
            Queue<byte[]> q = (Queue<byte[]>) ends.get(0);
            Connection c = (Connection) ends.get(1);
            c.sendBytes(q.get());
        }, List.of(queue, pipe.second()));
        echo.start();
        queue.put(big);
        assertArrayEquals(big, pipe.first().recvBytes());
        echo.join();
    }

    @Test
    void primitiveArrays_passThroughQueueAndPipe_asTheArraysTheyWere() throws Exception {
        double[] doubles = new Random(3).doubles(3_000_000).toArray();
        doubles[0] = -0.0;
        Queue<Object> queue = new Queue<>();
        Pipe pipe = Pipe.open();
        Process echo = new Process((List<Object> ends) -> {
            @SuppressWarnings("unchecked")
            Queue<Object> q = (Queue<Object>) ends.get(0);
            Connection c = (Connection) ends.get(1);
            c.send(q.get());
            c.send(q.get());
        }, List.of(queue, pipe.second()));
        echo.start();
        queue.put(doubles);
        queue.put(new int[] {1, 2, 3});
        assertArrayEquals(doubles, (double[]) pipe.first().recv());
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) pipe.first().recv());
        echo.join();
    }

    @Test
    void sendBytesFromAnOffset_sendsToTheArraysEnd_andRefusesAnOffsetOutside() throws Exception {
        Pipe pipe = Pipe.open();
        Process sender = new Process((Connection end) -> {
            byte[] bytes = {1, 2, 3, 4, 5};
            end.sendBytes(bytes, 2);
            end.sendBytes(bytes, bytes.length);
            end.send(List.of(refused(() -> end.sendBytes(bytes, -1)), refused(() -> end.sendBytes(bytes, 6))));
        }, pipe.second());
        sender.start();
        assertArrayEquals(new byte[] {3, 4, 5}, pipe.first().recvBytes());
        assertArrayEquals(new byte[0], pipe.first().recvBytes());
        assertEquals(List.of(true, true), pipe.first().recv(), "offsets -1 and length + 1 were refused");
        sender.join();
        assertEquals(0, sender.exitCode());
    }

    @Test
    void recvBytesIntoAByteBuffer_writesAtItsPosition_orHoldsAMessageThatDoesNotFit() throws Exception {
        Pipe pipe = Pipe.open();
        Process sender = new Process((Connection end) -> {
            end.sendBytes(new byte[] {1, 2, 3});
            end.sendBytes(new byte[] {4, 5, 6, 7});
        }, pipe.second());
        sender.start();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(6).position(2);
        assertEquals(3, pipe.first().recvBytesInto(buffer));
        assertEquals(5, buffer.position());
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 0}, buffer.array());
        Connection.BufferTooShort tooShort = assertThrows(Connection.BufferTooShort.class,
                () -> pipe.first().recvBytesInto(buffer));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, tooShort.message());
        assertEquals(5, buffer.position(), "a message that does not fit leaves the buffer as it was");
        assertThrows(java.nio.ReadOnlyBufferException.class,
                () -> pipe.first().recvBytesInto(java.nio.ByteBuffer.allocate(8).asReadOnlyBuffer()));
        sender.join();
    }

    private static boolean refused(Runnable send) {
        try {
            send.run();
            return false;
        } catch (IndexOutOfBoundsException e) {
            return true;
        }
    }

    @Test
    void sendBytesOfAByteBuffer_sendsWhatIsBetweenPositionAndLimit_heapOrDirect() throws Exception {
        Pipe pipe = Pipe.open();
        Process sender = new Process((Connection end) -> {
            java.nio.ByteBuffer heap = java.nio.ByteBuffer.wrap("xxhello worldyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            heap.position(2).limit(13);
            end.sendBytes(heap.slice());
            end.sendBytes(heap);
            end.send(heap.position());
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(200_000);
            for (int i = 0; i < direct.capacity(); i++) {
                direct.put((byte) i);
            }
            direct.flip().position(7);
            end.sendBytes(direct.asReadOnlyBuffer());
        }, pipe.second());
        sender.start();
        assertArrayEquals("hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII), pipe.first().recvBytes());
        assertArrayEquals("hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII), pipe.first().recvBytes());
        assertEquals(13, pipe.first().recv(), "the position moved to the limit");
        byte[] fromDirect = pipe.first().recvBytes();
        assertEquals(200_000 - 7, fromDirect.length);
        assertEquals((byte) 7, fromDirect[0]);
        assertEquals((byte) 199_999, fromDirect[fromDirect.length - 1]);
        sender.join();
        assertEquals(0, sender.exitCode());
    }

    static void interruptedGetThenPut(List<Queue<String>> queues) throws Exception {
        Thread.currentThread().interrupt();
        try {
            queues.get(0).get(Duration.ofSeconds(5));
            queues.get(1).put("no interrupt seen");
        } catch (InterruptedException expected) {
            queues.get(1).put("interrupted, and the queue still works");
        }
    }

    @Test
    void interruptedRemoteGet_throwsInterruptedException_andTheConnectionSurvives() throws Exception {
        Queue<String> empty = new Queue<>();
        Queue<String> report = new Queue<>();
        Process child = new Process(QueueAndPipeTest::interruptedGetThenPut, List.of(empty, report));
        child.start();
        assertEquals("interrupted, and the queue still works", report.get(LONG));
        child.join();
        assertEquals(0, child.exitCode(), () -> "child failed: " + child.exception());
    }

    /** Interrupts {@code thread} 300 ms from now, from a thread of its own. */
    private static void interruptIn300Ms(Thread thread) {
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            thread.interrupt();
        }).start();
    }

    static void getInterruptedWhileWaitingThenGetAgain(List<Queue<String>> queues) throws Exception {
        Queue<String> inbox = queues.get(0);
        Queue<String> report = queues.get(1);
        inbox.qsize(); // now a connection to the parent's hub is idle, so the gets below do their I/O on this thread
        interruptIn300Ms(Thread.currentThread());
        try {
            inbox.get(Duration.ofSeconds(10));
            report.put("no interrupt seen");
            return;
        } catch (InterruptedException expected) {
            report.put("interrupted");
        }
        report.qsize(); // delivers the report before waiting again
        report.put("then got " + inbox.get(Duration.ofSeconds(10)));
    }

    @Test
    void remoteGetInterruptedWhileItWaits_throwsInterruptedException_andTheNextGetOnTheSameConnectionWorks() throws Exception {
        Queue<String> inbox = new Queue<>();
        Queue<String> report = new Queue<>();
        Process child = new Process(QueueAndPipeTest::getInterruptedWhileWaitingThenGetAgain, List.of(inbox, report));
        child.start();
        assertEquals("interrupted", report.get(LONG));
        inbox.put("the item put after the interrupt");
        assertEquals("then got the item put after the interrupt", report.get(LONG));
        child.join();
        assertEquals(0, child.exitCode(), () -> "child failed: " + child.exception());
    }

    static void getInterruptedWhileAnItemArrives(List<Queue<String>> queues) throws Exception {
        Queue<String> inbox = queues.get(0);
        Queue<String> report = queues.get(1);
        inbox.qsize(); // an idle connection: the get below does its I/O on this thread
        report.put("waiting");
        report.qsize();
        interruptIn300Ms(Thread.currentThread());
        String outcome;
        try {
            outcome = "got " + inbox.get(Duration.ofSeconds(10)) + (Thread.interrupted() ? ", flag kept" : ", flag lost");
        } catch (InterruptedException e) {
            outcome = "interrupted";
        }
        report.put(outcome);
    }

    @Test
    void anItemThatArrivesWhileAnInterruptedRemoteGetWaits_isNeitherLostNorTakenTwice() throws Exception {
        Queue<String> inbox = new Queue<>();
        Queue<String> report = new Queue<>();
        Process child = new Process(QueueAndPipeTest::getInterruptedWhileAnItemArrives, List.of(inbox, report));
        child.start();
        assertEquals("waiting", report.get(LONG));
        Thread.sleep(500); // within the get's wait slice of 1 s, after the interrupt
        inbox.put("the item");
        String outcome = report.get(LONG);
        if (outcome.equals("interrupted")) {
            assertEquals("the item", inbox.get(LONG), "the interrupted get took nothing");
        } else {
            assertEquals("got the item, flag kept", outcome);
        }
        assertEquals(0, inbox.qsize());
        child.join();
        assertEquals(0, child.exitCode(), () -> "child failed: " + child.exception());
    }
}
