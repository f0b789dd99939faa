package io.github.multiprocessing4j.cluster.internal;

import io.github.multiprocessing4j.JvmOptions;
import io.github.multiprocessing4j.TaskTimeoutException;
import io.github.multiprocessing4j.WorkerDiedException;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.pool.ChildWorkers;
import io.github.multiprocessing4j.internal.pool.PoolCore;
import io.github.multiprocessing4j.internal.pool.PoolTask;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import io.github.multiprocessing4j.internal.wire.Message;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The member's side of the cluster pool: the cluster key and one core pool of worker JVMs that runs every
 * client's tasks. A member never runs user code in its own JVM: it verifies an envelope's MAC, then hands
 * the still-encoded job to a worker and its still-encoded outcome back to the client.
 *
 * <h2>Design</h2>
 * Each envelope arrives on a Hazelcast executor thread and holds it while its task queues and runs in the
 * local pool ({@link PoolCore#submitEncoded}), so the pool's rules apply unchanged: one task per idle
 * worker, a worker that dies fails exactly its task with {@link WorkerDiedException} and is replaced, a
 * timeout kills the worker. Failures are relabelled with this member's address, so a client learns which
 * host and pid died. An interrupt of the waiting thread (the client cancelled the task) kills the worker.
 * There is one runtime per member JVM, set once by {@link #start}.
 */
public final class MemberRuntime {
    private static volatile MemberRuntime current;

    private final byte[] key;
    private final String label;
    private final long pid = ProcessHandle.current().pid();
    private final PoolCore pool;
    private final AtomicLong refused = new AtomicLong();

    private MemberRuntime(byte[] key, String label, int workers, JvmOptions options) {
        this.key = key.clone();
        this.label = label;
        this.pool = new PoolCore(workers, new ChildWorkers(options, true), Scheduler.system(), null, 0);
    }

    /** Starts this JVM's runtime; called once by the member's main before it joins the cluster. */
    public static synchronized MemberRuntime start(byte[] key, String label, int workers, JvmOptions options) {
        if (current != null) {
            throw new IllegalStateException("this JVM already runs a cluster member: " + current.label);
        }
        current = new MemberRuntime(key, label, workers, options);
        return current;
    }

    static MemberRuntime current() {
        MemberRuntime runtime = current;
        if (runtime == null) {
            throw new IllegalStateException("this JVM is not a multiprocessing4j cluster member");
        }
        return runtime;
    }

    /** Envelopes refused because their MAC did not match. */
    public long refusedCount() {
        return refused.get();
    }

    byte[] run(TaskEnvelope envelope) {
        if (!Signatures.verify(key, envelope.taskId(), envelope.timeoutMillis(), envelope.payload(), envelope.mac())) {
            refused.incrementAndGet();
            return Replies.refused(label + " (pid " + pid + ") refused a task whose signature does not match the "
                    + "cluster's key; nothing was deserialized or run");
        }
        Duration timeout = envelope.timeoutMillis() > 0 ? Duration.ofMillis(envelope.timeoutMillis()) : null;
        PoolTask task;
        try {
            task = pool.submitEncoded(envelope.payload(), timeout);
        } catch (RuntimeException e) {
            return error(e);
        }
        try {
            Message.Outcome outcome = (Message.Outcome) task.result().get();
            return Replies.of(outcome.success() ? Replies.VALUE : Replies.ERROR, outcome.payload());
        } catch (InterruptedException e) {
            pool.cancel(task, true);
            Thread.currentThread().interrupt();
            return error(new CancellationException("the client cancelled the task on " + label));
        } catch (ExecutionException e) {
            return error(relabel(e.getCause()));
        } catch (CancellationException e) {
            return error(e);
        }
    }

    private Throwable relabel(Throwable failure) {
        if (failure instanceof WorkerDiedException died) {
            return new WorkerDiedException(label + "/" + died.workerName(), died.pid(), died.deathCause(), died.stderrTail(),
                    died.crashReport());
        }
        if (failure instanceof TaskTimeoutException timedOut) {
            return new TaskTimeoutException(label + "/worker", pid, timedOut.timeout());
        }
        return failure;
    }

    private byte[] error(Throwable failure) {
        return Replies.of(Replies.ERROR, ThrowableTransport.encode(failure, label, pid));
    }
}
