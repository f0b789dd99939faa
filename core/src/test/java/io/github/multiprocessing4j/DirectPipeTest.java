package io.github.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipe's inboxes live with the processes that receive on its ends, so its ends talk directly and keep
 * working after the process that opened the pipe is gone; an inbox whose receiver exits normally goes back
 * to where it came from, with its messages.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectPipeTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    /**
     * In a child: opens a pipe, hands both ends out through the queue in one item (so both count as handed
     * out before the other side attaches either), then waits to be killed.
     */
    static void openAndHandOut(Queue<List<Connection>> ends) throws InterruptedException {
        Pipe pipe = Pipe.open();
        ends.put(List.of(pipe.first(), pipe.second()));
        Thread.sleep(60_000);
    }

    /** In a child: sends back what it receives until "stop". */
    static void echo(Connection end) throws Exception {
        for (Object message = end.recv(); !"stop".equals(message); message = end.recv()) {
            end.send(message);
        }
    }

    @Test
    void aPipeWhoseOpenerWasKilled_keepsWorking_betweenTheProcessesHoldingItsEnds() throws Exception {
        Queue<List<Connection>> ends = new Queue<>();
        Process opener = new Process(DirectPipeTest::openAndHandOut, ends);
        opener.start();
        List<Connection> both = ends.get(LONG);
        Connection mine = both.get(0);
        Connection theirs = both.get(1);
        opener.kill();
        opener.join();

        Process echo = new Process(DirectPipeTest::echo, theirs);
        echo.start();
        mine.send("first");
        assertEquals("first", mine.recv(LONG));
        theirs.close(); // the echo holds that end now; this process gives up its copy
        for (int i = 0; i < 100; i++) {
            mine.send(i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, mine.recv(LONG), "message " + i);
        }
        mine.send("stop");
        echo.join();
        assertEquals(0, echo.exitCode(), () -> "echo failed: " + echo.exception());
        assertThrows(EOFException.class, () -> mine.recv(LONG), "the echo's end closed when it exited");
    }

    /**
     * In a child: says it holds its end (which it attached when its arguments arrived), receives
     * {@code count} messages from it and puts them on the queue, then waits for the event.
     */
    static void receiveThenWait(List<Object> shared) throws Exception {
        Connection in = (Connection) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Object> out = (Queue<Object>) shared.get(1);
        out.put("holding");
        for (int i = 0; i < (Integer) shared.get(2); i++) {
            out.put(in.recv());
        }
        ((Event) shared.get(3)).waitFor(LONG);
    }

    /** In a child: sends on its end each number the queue gives it, until -1. */
    static void sendWhatTheQueueSays(List<Object> shared) throws Exception {
        Connection out = (Connection) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Integer> numbers = (Queue<Integer>) shared.get(1);
        for (int number = numbers.get(); number != -1; number = numbers.get()) {
            out.send(number);
        }
    }

    @Test
    void whenTheChildKeepingAnEndsMessagesExits_theyGoBack_andTheNextHolderGetsThemInOrder() throws Exception {
        Pipe pipe = Pipe.open(false);
        Queue<Integer> toSend = new Queue<>();
        Queue<Object> received = new Queue<>();
        Event firstMayExit = new Event();
        Event done = new Event();
        done.set();
        // This process hands out both ends, so each inbox goes to the process receiving on it.
        Process sender = new Process(DirectPipeTest::sendWhatTheQueueSays, List.of(pipe.second(), toSend));
        sender.start();
        Process first = new Process(DirectPipeTest::receiveThenWait, List.of(pipe.first(), received, 1, firstMayExit));
        first.start();
        assertEquals("holding", received.get(LONG));
        toSend.put(1);
        toSend.put(2);
        assertEquals(1, received.get(LONG));
        Process next = new Process(DirectPipeTest::receiveThenWait, List.of(pipe.first(), received, 2, done));
        next.start();
        // Until the next child holds the end, the first one's exit would close it: the copy here was never used.
        assertEquals("holding", received.get(LONG));
        firstMayExit.set();
        first.join();
        assertEquals(0, first.exitCode());
        toSend.put(3);
        assertEquals(2, received.get(LONG), "the message the first child left unread");
        assertEquals(3, received.get(LONG));
        toSend.put(-1);
        next.join();
        sender.join();
        assertEquals(0, next.exitCode(), () -> "next failed: " + next.exception());
        assertEquals(0, sender.exitCode(), () -> "sender failed: " + sender.exception());
    }

    /** In a child: receives 1,000 numbers, reports their sum, then waits to be killed. */
    static void sumThenHang(List<Object> shared) throws Exception {
        Connection end = (Connection) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Object> out = (Queue<Object>) shared.get(1);
        long sum = 0;
        for (int i = 0; i < 1000; i++) {
            sum += (Integer) end.recv();
        }
        out.put(sum);
        Thread.sleep(60_000);
    }

    /** In a child: sends 1,000 numbers, then reports how receiving on its own end ends. */
    static void sendNumbersThenReceive(List<Object> shared) throws Exception {
        Connection end = (Connection) shared.get(0);
        @SuppressWarnings("unchecked")
        Queue<Object> out = (Queue<Object>) shared.get(1);
        for (int i = 0; i < 1000; i++) {
            end.send(i);
        }
        try {
            out.put("received " + end.recv());
        } catch (EOFException e) {
            out.put("end of file");
        }
    }

    @Test
    void twoChildrenTalkThroughAPipeTheParentHandedOut_andWhenTheKeeperIsKilled_theOtherReadsEndOfFile()
            throws Exception {
        Pipe pipe = Pipe.open();
        Queue<Object> received = new Queue<>();
        Queue<Object> outcome = new Queue<>();
        Process receiver = new Process(DirectPipeTest::sumThenHang, List.of(pipe.first(), received));
        Process sender = new Process(DirectPipeTest::sendNumbersThenReceive, List.of(pipe.second(), outcome));
        // The sender's end is handed out first, so the pipe is brokered by the time the receiver attaches
        // its end, whose messages it then keeps.
        sender.start();
        receiver.start();
        assertEquals(499_500L, received.get(LONG), "every number, each once");
        receiver.kill();
        receiver.join();
        assertEquals("end of file", outcome.get(LONG), "its peer's end died with the process that held it");
        sender.join();
        assertEquals(0, sender.exitCode(), () -> "sender failed: " + sender.exception());
    }

}
