package io.github.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Multiprocessing#waitAny}: waits until at least one of several processes, futures, pipe ends, socket
 * connections and queues is ready.
 */
/*
 * Design: one thread (the caller) checks every object in turn and returns those ready; if none is, it parks.
 * Objects with a completion event (a Process's end, a CompletableFuture, an AsyncResult) unpark it the
 * moment they complete. Pipe ends, queues and plain Futures have no event that reaches this thread without
 * a thread per object, so while any is in the set the park is bounded: 1 ms at first, doubling up to
 * MAX_POLL, and each round asks their hub (one short call per object) or, for a SocketConnection, looks at
 * what its reader thread has received. Nothing is consumed by a check.
 */
final class WaitAny {
    /** The longest pause between two rounds of checks while pipe ends or queues are watched. */
    static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private WaitAny() {}

    /** The ready objects among {@code objects}, in their order; empty if {@code timeout} (null: none) passed. */
    static <T> List<T> waitAny(Collection<? extends T> objects, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(objects, "objects");
        List<T> watched = new ArrayList<>(objects);
        boolean polled = false;
        Thread waiter = Thread.currentThread();
        for (int i = 0; i < watched.size(); i++) {
            CompletableFuture<?> event = event(Objects.requireNonNull(watched.get(i), () -> "objects contains null"));
            if (event == null) {
                polled = true;
            } else {
                event.whenComplete((value, failure) -> LockSupport.unpark(waiter));
            }
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + Math.max(0, timeout.toNanos());
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            List<T> ready = new ArrayList<>();
            for (T object : watched) {
                if (isReady(object)) {
                    ready.add(object);
                }
            }
            if (!ready.isEmpty() || watched.isEmpty()) {
                return ready;
            }
            long park = polled ? pause : Long.MAX_VALUE;
            if (timeout != null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return ready;
                }
                park = Math.min(park, remaining);
            }
            LockSupport.parkNanos(park);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for any of " + watched.size() + " objects");
            }
            pause = Math.min(2 * pause, MAX_POLL_NANOS);
        }
    }

    /** The future that completes when {@code object} is ready, or null if it must be polled. */
    private static CompletableFuture<?> event(Object object) {
        if (object instanceof Process process) {
            return process.sentinel();
        }
        if (object instanceof AsyncResult<?> result) {
            return result.future();
        }
        if (object instanceof CompletableFuture<?> future) {
            return future;
        }
        if (object instanceof Future<?> || object instanceof Connection || object instanceof SocketConnection
                || object instanceof Queue<?> || object instanceof SimpleQueue<?>) {
            return null;
        }
        throw new IllegalArgumentException("cannot wait for a " + object.getClass().getName() + ": waitAny takes "
                + "Process, Connection, SocketConnection, Queue, SimpleQueue, AsyncResult and Future objects");
    }

    private static boolean isReady(Object object) {
        if (object instanceof Process process) {
            return process.sentinel().isDone();
        }
        if (object instanceof AsyncResult<?> result) {
            return result.ready();
        }
        if (object instanceof Future<?> future) {
            return future.isDone();
        }
        if (object instanceof Connection connection) {
            return connection.poll();
        }
        if (object instanceof SocketConnection connection) {
            return connection.poll();
        }
        if (object instanceof Queue<?> queue) {
            return !queue.isEmpty();
        }
        return !((SimpleQueue<?>) object).isEmpty();
    }
}
