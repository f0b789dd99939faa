package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.ProcessInfo;
import io.github.multiprocessing4j.SerializableFunction;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.SendWarmUp;
import io.github.multiprocessing4j.internal.launch.Bootstrap;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.launch.ChildSide;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.Identity;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.IOException;

/**
 * The child JVM's main: connect back, then run what the parent sends.
 *
 * <p>Two threads. The main thread reads each frame itself, runs jobs one at a time on that one thread (an
 * initializer's thread-locals stay with the tasks) and sends each {@link Message.Outcome}: a task goes from
 * the socket to its job with no hand-off between threads. The channel is non-blocking
 * ({@link Channel#makeSendsInterruptSafe()}), so an interrupt of the main thread (by a task, or a thread a
 * task left behind) never closes it. When the channel closes, the parent is gone (it exited or was killed,
 * even with {@code kill -9}), and this JVM halts at once: no orphans. While the main thread waits for a frame
 * it sees the close itself; while it runs a job, or exits waiting for its own non-daemon children with the
 * channel open, {@link ParentWatch} ({@code mp4j-parent-watch}) watches the channel for it. Its children then
 * see their own channels close and do the same. A {@link Message.Stop} makes the main thread exit after its
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

    /** The functions this worker keeps between tasks; used by the main thread only. */
    private static final FunctionCache<Object> FUNCTIONS = new FunctionCache<>();

    /** Set when this JVM closed the channel itself, so the watcher takes its closing as expected. */
    private static volatile boolean closedHere;
    /**
     * Small sends a spare makes into nothing while it warms up ({@link SendWarmUp}): enough for the JIT to
     * compile the send path. Measured in a fresh JVM: 53 ms and 80 ms of CPU (compiler threads included) more
     * than none.
     */
    static final int WARM_UP_SENDS = 20_000;

    /** Watches the channel while the main thread does not read it; set once connected. */
    private static ParentWatch watch;

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
        Message.Assign assignment;
        try {
            channel.makeSendsInterruptSafe();
            watch = new ParentWatch(channel, WorkerMain::parentGone);
            assignment = ChildSide.assume(receive(channel), bootstrap);
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: " + e.getMessage());
            Runtime.getRuntime().halt(PARENT_GONE);
            return;
        }
        int exitCode;
        if (assignment.worker()) {
            runTasks(channel);
            exitCode = 0;
        } else {
            exitCode = runTarget(channel);
        }
        exit(channel, exitCode);
    }

    /**
     * A spare, while it waits, runs the library's own task path once (decoding a serialized lambda, running
     * it, encoding a result and an exception, the end-of-task flush of sends) and the send path of small queue
     * puts and pipe sends {@value #WARM_UP_SENDS} times, so that the classes, first-use costs and JIT
     * compilation of those paths are paid before the spare is needed. No user code runs: the target is
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
            SendWarmUp.run(WARM_UP_SENDS);
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
        } else {
            watch.busy();
        }
        System.exit(exitCode);
    }

    /** The next frame from the parent, read on the main thread; halts this JVM when the parent is gone. */
    private static Message receive(Channel channel) {
        try {
            return channel.receive();
        } catch (IOException e) {
            parentGone();
            throw new IllegalStateException("channel closed by this JVM", e);
        }
    }

    /** The channel ended: unless this JVM closed it, the parent is gone. */
    private static void parentGone() {
        if (!closedHere) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
    }

    private static int runTarget(Channel channel) {
        Message first = receive(channel);
        if (!(first instanceof Message.Task task)) {
            return 0;
        }
        return execute(channel, task, true) ? 0 : 1;
    }

    private static void runTasks(Channel channel) {
        while (true) {
            Message message = receive(channel);
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
        watch.busy();
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
        // A task may leave its thread's interrupt flag set; blocking socket I/O with the flag set (the flush of
        // sends to shared objects) would close its connection.
        Thread.interrupted();
        try {
            Handle.flushAll();
        } catch (RuntimeException lost) {
            if (success) {
                success = false;
                payload = ThrowableTransport.encode(lost, self.name(), self.pid());
            }
        }
        // Before the outcome: once the parent has it, it may send the next frame, which the main thread reads.
        watch.reading();
        try {
            channel.send(new Message.Outcome(task.taskId(), success, payload));
        } catch (IOException e) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        return success;
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
