package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.launch.Bootstrap;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.launch.ChildSide;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child JVM's main: connect back, then run what the parent sends.
 *
 * <p>Two threads. The main thread runs jobs, one at a time, and sends each {@link Message.Outcome}. The
 * reader thread ({@code mp4j-parent-watch}) receives frames and queues tasks; when the channel closes,
 * the parent is gone (it exited or was killed, even with {@code kill -9}), and the reader halts this JVM at
 * once: no orphans. That holds while this JVM exits too: one that waits for its own non-daemon children
 * (in the exit sequence) keeps its channel open and still halts when the parent goes; its children then see
 * their own channels close and do the same. A {@link Message.Stop} makes the main thread exit after its
 * current job.
 *
 * <p>As a {@code Process}, the child runs a single job and exits with 0 when it returned, or prints the
 * exception to stderr (as Python does) and exits with 1 when it threw.
 *
 * <p>Before reporting a task's outcome, every put or send the task made to a shared object of another
 * process is delivered (see {@code SendFeeder}), so the parent sees them once it sees the outcome.
 *
 * <p>As a pool worker, a task that runs out of memory ends the worker: a heap that overflowed once cannot be
 * trusted with the next task. The worker says so on stderr and exits with {@value #OUT_OF_MEMORY}, so the
 * parent fails that task with the worker's death and replaces it.
 */
public final class WorkerMain {
    /** Exit code when the parent vanished; nobody is left to read it. */
    static final int PARENT_GONE = 1;
    /** Exit code of a worker that ran out of memory, as with HotSpot's -XX:+ExitOnOutOfMemoryError. */
    static final int OUT_OF_MEMORY = 3;

    private static final Message.Stop STOP = new Message.Stop();

    /** The functions this worker keeps between tasks; used by the main thread only. */
    private static final FunctionCache<Object> FUNCTIONS = new FunctionCache<>();

    /** Set when this JVM closed the channel itself, so the reader takes its closing as expected. */
    private static volatile boolean closedHere;

    private WorkerMain() {}

    public static void main(String[] args) {
        Bootstrap bootstrap;
        Channel channel;
        try {
            bootstrap = ChildSide.readBootstrap();
            if (bootstrap.spare()) {
                // Before connecting: once a spare has connected it is warm, so a claim never waits for this.
                warmUp();
            }
            channel = ChildSide.connect(bootstrap);
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: " + e.getMessage()
                    + " (this program is started by multiprocessing4j and cannot be run by hand)");
            System.exit(ChildSide.CANNOT_CONNECT);
            return;
        }
        // The reader runs from the start: a spare that waits notices its parent's end as any child does, and
        // once assigned it finds its first task already read.
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        LibraryThreads.start(() -> readUntilParentGone(channel, inbox), "mp4j-parent-watch");
        Message.Assign assignment;
        try {
            assignment = ChildSide.assume(take(inbox), bootstrap);
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: " + e.getMessage());
            Runtime.getRuntime().halt(PARENT_GONE);
            return;
        }
        int exitCode;
        if (assignment.worker()) {
            runTasks(channel, inbox);
            exitCode = 0;
        } else {
            exitCode = runTarget(channel, inbox);
        }
        exit(channel, exitCode);
    }

    /**
     * A spare, while it waits, runs the library's own task path once (decoding a serialized lambda, running
     * it, encoding a result and an exception, the end-of-task flush of sends), so that the classes and
     * first-use costs of that path are paid before the spare is needed. No user code runs: the target is
     * {@link #nothing(String)}.
     */
    private static void warmUp() {
        try {
            Job job = JobCodec.decode(JobCodec.encode(new ProcessJobs.RunWithArgument<>(WorkerMain::nothing, "warm-up"), "warm-up"));
            Codec.encode(job.run(), "warm-up result");
            JobCodec.decode(JobCodec.encode(new ProcessJobs.RunTarget(WorkerMain::nothingAtAll), "warm-up")).run();
            // A pool's map chunk, with a cache of its own: the worker's cache must only see the parent's tasks.
            SerializableFunction<Object, Object> same = WorkerMain::same;
            FunctionJobs.Encoded map = FunctionJobs.map(FunctionJobs.function(same, "warm-up"), java.util.List.of(1, 2), "warm-up");
            JobCodec.decode(FunctionJobs.payload(map, false)).runEncoded();
            Launcher.hasChildrenToWaitFor();
            ThrowableTransport.encode(new IllegalStateException("warm-up"), "warm-up", 0);
            Handle.flushAll();
        } catch (Throwable e) {
            // Warming up is an optimisation only; the real task reports any real problem.
        }
    }

    private static void nothing(String ignored) {
        // The warm-up target: it takes an argument so that the warm-up goes through lambda deserialization.
    }

    private static Object same(Object item) {
        return item;
    }

    private static void nothingAtAll() {
        // The warm-up target that travels by name (JobCodec's static-method form).
    }

    /**
     * Closes the channel before exiting: a JVM with a thread blocked reading a socket takes about 300 ms
     * longer to exit (measured on JDK 17 here), which would add to every {@code Process} join. Unless the
     * exit will wait for children of this JVM: then the channel stays open, so that the parent's death is
     * still noticed while waiting.
     */
    private static void exit(Channel channel, int exitCode) {
        if (exitCode != 0) {
            Handle.exitingAfterFailure();
        }
        flushStandardStreams();
        if (!Launcher.hasChildrenToWaitFor()) {
            closedHere = true;
            channel.close();
        }
        System.exit(exitCode);
    }

    private static void readUntilParentGone(Channel channel, BlockingQueue<Message> inbox) {
        try {
            while (true) {
                inbox.add(channel.receive());
            }
        } catch (IOException e) {
            if (!closedHere) {
                // The parent is gone, also when this JVM is exiting and waits for its own children.
                Runtime.getRuntime().halt(PARENT_GONE);
            }
        }
    }

    private static int runTarget(Channel channel, BlockingQueue<Message> inbox) {
        Message first = take(inbox);
        if (!(first instanceof Message.Task task)) {
            return 0;
        }
        return execute(channel, task, true) ? 0 : 1;
    }

    private static void runTasks(Channel channel, BlockingQueue<Message> inbox) {
        while (true) {
            Message message = take(inbox);
            if (message instanceof Message.Task task) {
                execute(channel, task, false);
            } else if (message instanceof Message.Stop) {
                return;
            }
        }
    }

    /** Runs one task and sends its outcome; returns whether it succeeded. */
    private static boolean execute(Channel channel, Message.Task task, boolean isProcess) {
        ProcessInfo self = Identity.current();
        byte[] payload;
        boolean success;
        try {
            payload = JobCodec.decode(task.payload(), FUNCTIONS).runEncoded();
            success = true;
        } catch (Throwable failure) {
            // The task may have set System.err to null: then there is nowhere to print.
            java.io.PrintStream err = System.err;
            if (failure instanceof OutOfMemoryError && !isProcess) {
                if (err != null) {
                    err.println(self.name() + " (pid " + self.pid() + ") ran out of memory " + ChildProcess.MAX_HEAP
                            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) and exits: " + failure);
                }
                flushStandardStreams();
                Runtime.getRuntime().halt(OUT_OF_MEMORY);
            }
            if (isProcess && err != null) {
                err.println("Process " + self.name() + " (pid " + self.pid() + ") failed:");
                failure.printStackTrace(err);
            }
            payload = ThrowableTransport.encode(failure, self.name(), self.pid());
            success = false;
        }
        // A task may leave its thread's interrupt flag set; socket I/O with the flag set would close the channel.
        Thread.interrupted();
        try {
            Handle.flushAll();
        } catch (RuntimeException lost) {
            if (success) {
                success = false;
                payload = ThrowableTransport.encode(lost, self.name(), self.pid());
            }
        }
        try {
            channel.send(new Message.Outcome(task.taskId(), success, payload));
        } catch (IOException e) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        return success;
    }

    private static Message take(BlockingQueue<Message> inbox) {
        try {
            return inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return STOP;
        }
    }

    /** Flushes stdout and stderr; a task may have replaced either, even with null. */
    private static void flushStandardStreams() {
        if (System.out != null) {
            System.out.flush();
        }
        if (System.err != null) {
            System.err.flush();
        }
    }
}
