package io.github.multiprocessing4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.github.multiprocessing4j.MultiprocessingException;
import io.github.multiprocessing4j.internal.codec.Item;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SendFeederTest {
    private static HubFrame.Call put(int n) {
        return new HubFrame.Call(new ObjectId(0, 1), 1, new QueueRequest.Put(Item.of(new byte[] {(byte) n}), -1));
    }

    @Test
    void flush_returnsOnceEverySendSoFarIsDelivered_inOrder() {
        List<HubFrame.Call> delivered = new CopyOnWriteArrayList<>();
        SendFeeder feeder = new SendFeeder(batch -> {
            delivered.addAll(batch.calls());
            return () -> { };
        });
        for (int n = 0; n < 100; n++) {
            feeder.send(put(n));
        }
        feeder.flush();
        assertEquals(100, delivered.size());
        for (int n = 0; n < 100; n++) {
            assertArrayEquals(new byte[] {(byte) n}, ((QueueRequest.Put) delivered.get(n).request()).item().head());
        }
    }

    @Test
    void aFailedBatch_isReportedOnce_atTheNextFlush() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        SendFeeder feeder = new SendFeeder(batch -> {
            failed.countDown();
            throw new IllegalStateException("the other end of this pipe is closed: nobody can receive");
        });
        feeder.send(put(1));
        failed.await();
        FakeHub.assertMessageContains(assertThrows(MultiprocessingException.class, feeder::flush), "an earlier put or send to a shared object failed", "other end of this pipe is closed");
        feeder.flush();
    }

    @Test
    void batches_areWrittenBeforeEarlierAnswersArrive_andAFailedAnswerIsReported() throws Exception {
        CountDownLatch answersMayCome = new CountDownLatch(1);
        CountDownLatch allSent = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        SendFeeder feeder = new SendFeeder(batch -> {
            int number = written.incrementAndGet();
            if (number == 1) {
                // The window is about batches pending at once: with nothing pending the feeder collects the
                // oldest answer instead, so the first write waits until every batch has been handed over.
                try {
                    allSent.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return () -> {
                try {
                    answersMayCome.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (number == 1) {
                    throw new IllegalStateException("the first batch was refused");
                }
            };
        });
        // Each item fills a batch of its own.
        byte[] large = new byte[(int) (SendFeeder.MAX_PENDING_BYTES / SendFeeder.WINDOW)];
        for (int n = 0; n < SendFeeder.WINDOW; n++) {
            feeder.send(new HubFrame.Call(new ObjectId(0, 1), 1, new QueueRequest.Put(Item.of(large), -1)));
        }
        allSent.countDown();
        while (written.get() < SendFeeder.WINDOW) {
            Thread.sleep(1);
        }
        answersMayCome.countDown();
        FakeHub.assertMessageContains(assertThrows(MultiprocessingException.class, feeder::flush), "the first batch was refused");
    }

    @Test
    void close_dropsWhatIsPending_reportsItOnce_andRefusesLaterSends_withoutStrandingAWaiter() throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch hubGone = new CountDownLatch(1);
        SendFeeder feeder = new SendFeeder(batch -> {
            firstWritten.countDown();
            try {
                hubGone.await(); // the first batch's write hangs, so the next sends stay pending
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new IllegalStateException("connection closed");
        });
        feeder.send(put(1));
        firstWritten.await();
        feeder.send(put(2));
        // A sender of a borrowed array waits until its call is written; closing must wake it with the failure.
        FutureTask<Void> borrowing = new FutureTask<>(() -> {
            feeder.send(new HubFrame.Call(new ObjectId(0, 1), 1,
                    new QueueRequest.PutSlice(new byte[] {1}, new byte[8], -1)));
            return null;
        });
        Thread borrower = new Thread(borrowing);
        borrower.start();
        while (borrower.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        feeder.close(new MultiprocessingException("the process that owns this shared object has exited"));
        ExecutionException woken = assertThrows(ExecutionException.class, () -> borrowing.get(5, TimeUnit.SECONDS),
                "the borrowing sender was woken, with the failure");
        FakeHub.assertMessageContains(woken.getCause(), "has exited");
        FakeHub.assertMessageContains(assertThrows(MultiprocessingException.class, () -> feeder.send(put(3))),
                "has exited");

        hubGone.countDown(); // the first batch's write fails now; the next flush reports it
        FakeHub.assertMessageContains(assertThrows(MultiprocessingException.class, feeder::flush),
                "connection closed");
        feeder.flush();
    }

    @Test
    void closeIfSettled_closesOnlyAFeederWhoseSendsWereAllDelivered() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        SendFeeder feeder = new SendFeeder(batch -> () -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        MultiprocessingException exited = new MultiprocessingException("the process that owns this shared object has exited");
        feeder.send(put(1));
        assertFalse(feeder.closeIfSettled(exited), "a send is in flight");
        answer.countDown();
        feeder.flush();
        assertTrue(feeder.closeIfSettled(exited));
        FakeHub.assertMessageContains(assertThrows(MultiprocessingException.class, () -> feeder.send(put(2))),
                "has exited");
    }

    @Test
    void flush_withNothingSent_returnsAtOnce() {
        new SendFeeder(batch -> {
            throw new AssertionError("nothing to deliver");
        }).flush();
    }
}
