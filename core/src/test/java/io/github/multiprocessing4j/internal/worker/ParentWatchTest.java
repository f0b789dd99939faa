package io.github.multiprocessing4j.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child's watcher over a real Unix socket: the parent's end is noticed during a job, also a job that
 * starts after the watcher fell asleep, and bytes it reads while it watches are kept for the main thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ParentWatchTest {

    private static Path socketPath() throws Exception {
        return Files.createTempDirectory("mp4j-watch-test").resolve("s");
    }

    @Test
    void parentEndsDuringAJobThatStartedAfterTheWatcherFellAsleep_isNoticed() throws Exception {
        Path path = socketPath();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (Channel child = Channel.connect("unix:" + path); SocketChannel parent = server.accept()) {
                child.makeSendsInterruptSafe();
                CountDownLatch gone = new CountDownLatch(1);
                ParentWatch watch = new ParentWatch(child, gone::countDown);
                // Idle for several ticks: the watcher parks without a timeout.
                Thread.sleep(10 * ParentWatch.WATCH_AFTER_MILLIS);
                // A short job, then a long one during which the parent goes.
                watch.busy();
                watch.reading();
                watch.busy();
                parent.shutdownOutput();
                assertTrue(gone.await(10, TimeUnit.SECONDS), "the parent's end during a job was not noticed");
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }

    @Test
    void frameArrivingWhileWatched_isReadWholeByTheMainThreadAfterTheJob() throws Exception {
        Path path = socketPath();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (Channel child = Channel.connect("unix:" + path)) {
                try (SocketChannel parent = server.accept()) {
                    child.makeSendsInterruptSafe();
                    CountDownLatch gone = new CountDownLatch(1);
                    ParentWatch watch = new ParentWatch(child, gone::countDown);
                    watch.busy();
                    // Long enough for the watcher to be watching the channel when the frame comes.
                    Thread.sleep(5 * ParentWatch.WATCH_AFTER_MILLIS);
                    byte[] frame = {0, 0, 0, 9, 3, 0, 0, 0, 0, 0, 0, 0, 42};
                    parent.write(java.nio.ByteBuffer.wrap(frame));
                    Thread.sleep(5 * ParentWatch.WATCH_AFTER_MILLIS);
                    watch.reading();
                    Message.Task task = assertInstanceOf(Message.Task.class, child.receive());
                    assertEquals(42, task.taskId());
                    assertEquals(1, gone.getCount(), "a frame is not the parent's end");
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }
}
