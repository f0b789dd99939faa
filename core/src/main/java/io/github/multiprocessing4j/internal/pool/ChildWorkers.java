package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.DeathCause;
import io.github.multiprocessing4j.JvmOptions;
import io.github.multiprocessing4j.internal.launch.ChildProcess;
import io.github.multiprocessing4j.internal.launch.Launcher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Channel;
import io.github.multiprocessing4j.internal.wire.Message;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Workers that are child JVMs of this one, all started with the same {@link JvmOptions}: the launcher every
 * real pool uses.
 *
 * <p>Outcomes: once a worker has connected, a library thread waits for its frames and hands each outcome
 * to the pool. A caller that waits for the result of the task a worker runs ({@link #awaitOutcome}) waits
 * for the frame on its own thread instead and hands the outcome on itself, so in the usual
 * {@code applyAsync(f).get()} the outcome goes from the socket to the caller with no second thread woken in
 * between (it took three wake-ups: the worker, the library thread, the caller; now two). Each waits on a
 * {@link Channel.Waiter} of its own and reads with {@link Channel#receiveIfReady()} under {@code turn}, so
 * outcomes reach the pool one at a time and in order, and a frame is read whole by one thread. What makes
 * this safe: a worker has at most one outcome in flight (the pool sends it one task at a time, and its
 * initializer and STOP one at a time too), so a caller waiting for its task's result waits for the one frame
 * that can come, and reads it itself; the library thread only has to be back soon after no caller waits.
 *
 * <p>While callers read a worker's outcomes the library thread steps aside: woken by a frame a caller waits
 * for, it parks instead of racing the caller for it, and stays parked while callers keep coming back, until
 * none has waited for {@link #CALLER_LEASE_NANOS}. A task sent by another thread than the last caller (a
 * queued task dispatched by another worker's outcome, say) wakes it at once; any other outcome nobody waits
 * for is read at most that lease late, and only in the moments after a caller's wait. So a loop of
 * {@code applyAsync(f).get()} costs the library thread about one wake-up per lease, not one per task.
 *
 * <p>A caller's waits are interrupt-safe like its sends (below): an interrupt ends its wait between frames,
 * never inside one, and never closes the channel; a result completed otherwise (timeout, cancel, the
 * worker's death, terminate) wakes it at once. The channel closes when the worker exits (the library thread
 * reads the end of the stream).
 *
 * <p>Sends run on the thread that sends, with no hand-off to another thread: the channel is made
 * interrupt-safe ({@link Channel#makeSendsInterruptSafe()}) before its first task, since blocking socket I/O
 * on a thread whose interrupt flag is set (a caller's) would close the worker's channel. A task larger than
 * {@link #INLINE_SEND_BYTES}, which may not fit in the socket's buffer, is written on
 * {@link LibraryThreads#events()} instead, so that a caller never waits for a worker to read it. Sends to one
 * worker cannot overtake each other, since the pool sends a worker one task at a time and STOP only when it
 * is idle.
 */
public final class ChildWorkers implements WorkerLauncher {
    /** How long a timed-out worker's thread dump is waited for before it is killed anyway. */
    static final long THREAD_DUMP_MILLIS = 500;
    /** The largest task payload written on the sending thread; a larger one is written by a library thread. */
    static final int INLINE_SEND_BYTES = 64 * 1024;
    /** How long one wait for a frame lasts before the waiter looks whether the channel is still open. */
    private static final long WAIT_SLICE_MILLIS = 1000;
    /**
     * How long the library thread leaves a worker's outcomes to callers after one read one itself: an outcome
     * nobody waits for is read at most this much later than it arrives, and only in the moments after a
     * caller's wait.
     */
    static final long CALLER_LEASE_NANOS = 1_000_000;
    /** Set on a thread while it hands an outcome to the pool: a task it sends then is queued work, not its own. */
    private static final ThreadLocal<Boolean> HANDING_ON = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final JvmOptions options;
    private final boolean useSpares;

    /** Workers started with {@code options}; with {@code useSpares} false each is a JVM started for it. */
    public ChildWorkers(JvmOptions options, boolean useSpares) {
        this.options = options;
        this.useSpares = useSpares;
    }

    @Override
    public Worker launch(String name, Consumer<Message.Outcome> outcomes) {
        ChildProcess child = Launcher.get().launch(name, Launcher.Role.WORKER, true, options, useSpares);
        return new ChildWorker(child, outcomes);
    }

    private static final class ChildWorker implements Worker {
        private final ChildProcess child;
        private final Consumer<Message.Outcome> outcomes;
        private final CompletableFuture<Channel> channel;
        private final CompletableFuture<Void> connected;
        /** Held while a frame is read and its outcome handed to the pool; a caller waits for it interruptibly. */
        private final ReentrantLock turn = new ReentrantLock();
        /** Set while a caller waits in {@link #awaitOutcome}; it guards {@link #callerWait}. */
        private final AtomicBoolean callerWaiting = new AtomicBoolean();
        /** The waiter of the caller in {@link #awaitOutcome}; set once connected. */
        private volatile Channel.Waiter callerWait;
        /** The last result a caller waited for, whose completion wakes {@link #callerWait}; under callerWaiting. */
        private CompletableFuture<?> wakesCaller;
        /** The thread in {@link #awaitOutcome}: it needs no wake-up for a result it completes itself. */
        private volatile Thread caller;
        /** Callers' waits so far, for the library thread to tell one long wait from many short ones (only a change matters). */
        private volatile long waits;
        /** The thread that read this worker's outcome last as a caller, and when it stopped waiting. */
        private volatile Thread lastCaller;
        private volatile long lastCallerLeft;
        /** The library thread that reads outcomes; set before it first waits. */
        private volatile Thread library;
        /** Whether the library thread leaves outcomes to callers now, parked. */
        private volatile boolean libraryAside;
        /** Whether a task was sent whose outcome no caller may wait for: the library thread must read it. */
        private volatile boolean unclaimed;

        ChildWorker(ChildProcess child, Consumer<Message.Outcome> outcomes) {
            this.child = child;
            this.outcomes = outcomes;
            this.channel = child.connected();
            this.connected = channel.thenAccept(open -> {
                Channel.Waiter library;
                try {
                    open.makeSendsInterruptSafe();
                    library = open.newWaiter();
                    callerWait = open.newWaiter();
                } catch (IOException e) {
                    // It died just now; its exit reports how, and a send to it fails quietly.
                    open.close();
                    return;
                }
                LibraryThreads.events().execute(() -> readOutcomes(open, library));
            });
        }

        /** The library thread's loop: every outcome no caller took, until the worker's end closes the channel. */
        private void readOutcomes(Channel open, Channel.Waiter waiter) {
            library = Thread.currentThread();
            try (open; waiter) {
                while (true) {
                    if (waiter.await(WAIT_SLICE_MILLIS)) {
                        if (callerWaiting.get()) {
                            stepAside();
                            continue;
                        }
                        turn.lock();
                        try {
                            takeFrame(open);
                        } finally {
                            turn.unlock();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // EOF: the worker exited; its exit callback reports how.
            }
        }

        /**
         * The library thread leaves the frame that has arrived to the caller waiting for it, and stays parked
         * while callers keep reading this worker's outcomes: until none has waited for {@link #CALLER_LEASE_NANOS},
         * or a task is sent that a caller may not wait for. While one caller's wait goes on past the lease it
         * parks for longer and longer (up to {@link #WAIT_SLICE_MILLIS}), and that caller wakes it as it leaves.
         */
        private void stepAside() {
            libraryAside = true;
            try {
                long parkFor = CALLER_LEASE_NANOS;
                long sameWait = -1;
                while (!unclaimed) {
                    if (callerWaiting.get()) {
                        long wait = waits;
                        parkFor = wait == sameWait ? Math.min(2 * parkFor, TimeUnit.MILLISECONDS.toNanos(WAIT_SLICE_MILLIS))
                                : CALLER_LEASE_NANOS;
                        sameWait = wait;
                        LockSupport.parkNanos(this, parkFor);
                        continue;
                    }
                    long left = lastCallerLeft + CALLER_LEASE_NANOS - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                libraryAside = false;
                unclaimed = false;
            }
        }

        /**
         * Wakes the library thread when it steps aside and {@code message} is a task whose outcome no caller
         * may wait for: one sent by another thread than the last caller, or by any thread as it hands on an
         * outcome (queued work, dispatched as a worker became idle). A caller's own next task leaves it parked.
         */
        private void wakeLibraryFor(Message message) {
            if (message instanceof Message.Task && libraryAside
                    && (Thread.currentThread() != lastCaller || HANDING_ON.get())) {
                unclaimed = true;
                LockSupport.unpark(library);
            }
        }

        /**
         * Reads the frame that has arrived and hands on its outcome, unless another thread took it first.
         * The caller holds {@link #turn}.
         */
        private void takeFrame(Channel open) throws IOException {
            Message frame;
            try {
                frame = open.receiveIfReady();
            } catch (EOFException e) {
                throw e;
            } catch (IOException | RuntimeException | Error e) {
                // Part of a frame may be consumed: nothing after it can be read in step any more.
                open.close();
                throw e;
            }
            if (frame instanceof Message.Outcome outcome) {
                Boolean wasHandingOn = HANDING_ON.get();
                HANDING_ON.set(Boolean.TRUE);
                try {
                    outcomes.accept(outcome);
                } finally {
                    HANDING_ON.set(wasHandingOn);
                }
            }
        }

        @Override
        public void awaitOutcome(CompletableFuture<?> result, long timeoutNanos) throws InterruptedException {
            Channel open = channel.getNow(null);
            Channel.Waiter waiter = callerWait;
            if (open == null || waiter == null) {
                return;
            }
            // Counted before the wait is announced, so that the library thread, seeing callerWaiting, never
            // takes a new wait for the one before and parks as long as it did then (stepAside).
            waits++;
            if (!callerWaiting.compareAndSet(false, true)) {
                return;
            }
            long start = System.nanoTime();
            try {
                caller = Thread.currentThread();
                if (wakesCaller != result) {
                    // A result completed otherwise (timeout, cancel, the worker's death) ends the wait at once.
                    wakesCaller = result;
                    result.whenComplete((value, failure) -> {
                        if (Thread.currentThread() != caller) {
                            waiter.wakeup();
                        }
                    });
                }
                while (!result.isDone()) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    long left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return;
                    }
                    if (waiter.await(Math.min(WAIT_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1))) {
                        // The library thread may be reading (a large outcome, say): wait for it only as long as
                        // this wait may last; the caller then waits for the result as usual.
                        if (!turn.tryLock(timeoutNanos - (System.nanoTime() - start), TimeUnit.NANOSECONDS)) {
                            return;
                        }
                        try {
                            // Another thread may have read this result's outcome meanwhile: the frame there now,
                            // if any, is then another task's, which its own reader hands on.
                            if (!result.isDone()) {
                                takeFrame(open);
                            }
                        } finally {
                            turn.unlock();
                        }
                    }
                }
            } catch (IOException e) {
                // The worker ended: its exit completes the result, which the caller waits for as usual.
            } finally {
                caller = null;
                if (result.isDone()) {
                    wakesCaller = null; // so that the worker does not keep its last value reachable
                }
                lastCaller = Thread.currentThread();
                lastCallerLeft = System.nanoTime();
                callerWaiting.set(false);
                if (lastCallerLeft - start > CALLER_LEASE_NANOS && libraryAside) {
                    // The library thread may be parked for longer than the lease (see stepAside).
                    LockSupport.unpark(library);
                }
            }
        }

        private static void send(Channel open, Message message) {
            try {
                open.send(message);
            } catch (IOException e) {
                // The exit callback reports the worker's death and fails its task.
            }
        }

        @Override
        public String name() {
            return child.name();
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public CompletableFuture<Void> connected() {
            return connected;
        }

        @Override
        public void send(Message message) {
            Channel open = channel.getNow(null);
            if (open == null) {
                throw new IllegalStateException(child.name() + " is not connected yet");
            }
            wakeLibraryFor(message);
            if (message instanceof Message.Task task && task.payload().length > INLINE_SEND_BYTES) {
                LibraryThreads.events().execute(() -> send(open, message));
            } else {
                send(open, message);
            }
        }

        @Override
        public boolean keepsFunctions() {
            return true;
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return child.exited();
        }

        @Override
        public void kill() {
            child.kill();
        }

        @Override
        public void kill(DeathCause.Kind why) {
            child.kill(why);
        }

        @Override
        public CompletableFuture<List<String>> threadDump() {
            return child.threadDump(THREAD_DUMP_MILLIS).thenApplyAsync(lines -> lines, LibraryThreads.events());
        }

        @Override
        public DeathCause deathCause(int rawExitValue) {
            return child.deathCause(rawExitValue, false, true);
        }

        @Override
        public List<String> stderrTail() {
            return child.stderrTail();
        }

        @Override
        public List<String> crashReport() {
            return child.crashReport();
        }

        @Override
        public String toString() {
            return child.name() + " (pid " + child.pid() + ")";
        }
    }
}
