package io.github.multiprocessing4j.internal.pool;

import io.github.multiprocessing4j.ProcessStartException;
import io.github.multiprocessing4j.internal.codec.Codec;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Workers that live in memory, driven by the test: it decides when each one connects, answers a task,
 * fails to start or dies. Everything a worker would do runs on the test's thread, so a {@link PoolCore}
 * test is deterministic and takes milliseconds.
 */
final class FakeWorkers implements WorkerLauncher {
    private static final AtomicLong pids = new AtomicLong(10_000);

    /* Accessed only while holding this. */
    private final List<FakeWorker> launched = new ArrayList<>();
    private ProcessStartException refuseWith;

    @Override
    public synchronized Worker launch(String name, Consumer<Message.Outcome> outcomes) {
        if (refuseWith != null) {
            throw refuseWith;
        }
        FakeWorker worker = new FakeWorker(name, pids.incrementAndGet(), outcomes);
        launched.add(worker);
        return worker;
    }

    /** From now on, every launch fails at once, as when the {@code java} binary cannot be executed. */
    synchronized void refuseLaunches(ProcessStartException failure) {
        refuseWith = failure;
    }

    synchronized List<FakeWorker> launched() {
        return List.copyOf(launched);
    }

    synchronized FakeWorker get(int index) {
        return launched.get(index);
    }

    /** Workers launched and not yet exited. */
    synchronized List<FakeWorker> alive() {
        return launched.stream().filter(w -> !w.exited.isDone()).toList();
    }

    /** Connects every worker that has not connected or exited yet. */
    void connectAll() {
        for (FakeWorker worker : alive()) {
            if (!worker.connected.isDone()) {
                worker.connect();
            }
        }
    }

    static final class FakeWorker implements Worker {
        private final String name;
        private final long pid;
        private final Consumer<Message.Outcome> outcomes;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<Integer> exited = new CompletableFuture<>();
        /* Accessed only while holding this. */
        private final List<Message> received = new ArrayList<>();
        private boolean killed;

        FakeWorker(String name, long pid, Consumer<Message.Outcome> outcomes) {
            this.name = name;
            this.pid = pid;
            this.outcomes = outcomes;
        }

        void connect() {
            connected.complete(null);
        }

        /** The worker's JVM ends before connecting, with the given stderr. */
        void failToStart(int exitValue) {
            connected.completeExceptionally(new ProcessStartException(name, "exited before connecting", exitValue,
                    List.of("Error: Could not create the Java Virtual Machine.")));
            exited.complete(exitValue);
        }

        /** The worker answers a task with its value. */
        void succeed(long taskId, Object value) {
            outcomes.accept(new Message.Outcome(taskId, true, Codec.encode(value, "result")));
        }

        /** The worker answers a task with an exception. */
        void fail(long taskId, Throwable error) {
            outcomes.accept(new Message.Outcome(taskId, false, ThrowableTransport.encode(error, name, pid)));
        }

        /** The worker's JVM ends (System.exit, a crash) with this raw exit value. */
        void exit(int rawExitValue) {
            exited.complete(rawExitValue);
        }

        synchronized List<Message> received() {
            return List.copyOf(received);
        }

        /** The task the worker was sent last, which must be its only unanswered one. */
        synchronized Message.Task lastTask() {
            for (int i = received.size() - 1; i >= 0; i--) {
                if (received.get(i) instanceof Message.Task task) {
                    return task;
                }
            }
            throw new AssertionError(name + " was sent no task; it received " + received);
        }

        synchronized boolean wasStopped() {
            return received.stream().anyMatch(Message.Stop.class::isInstance);
        }

        synchronized boolean wasKilled() {
            return killed;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Void> connected() {
            return connected;
        }

        @Override
        public synchronized void send(Message message) {
            if (!connected.isDone() || connected.isCompletedExceptionally()) {
                throw new AssertionError("sent " + message + " to " + name + " before it connected");
            }
            received.add(message);
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public void kill() {
            synchronized (this) {
                killed = true;
            }
            exited.complete(128 + 9);
        }

        @Override
        public List<String> stderrTail() {
            return List.of("last words of " + name);
        }
    }
}
