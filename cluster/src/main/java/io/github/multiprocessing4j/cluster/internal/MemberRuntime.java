package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.HazelcastInstance;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
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
    /** The tasks running for each client pool, by the pool's executor name. */
    private final Map<String, Set<PoolTask>> running = new ConcurrentHashMap<>();
    /** Client pools that ended, most recent last; a few hundred names are enough for late envelopes. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 512;
        }
    });

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

    /**
     * The client pool whose executor is {@code poolName} ended: the workers running its tasks are killed and
     * its envelopes that arrive later are not run.
     */
    public void poolEnded(String poolName) {
        synchronized (ended) {
            ended.add(poolName);
        }
        Set<PoolTask> tasks = running.remove(poolName);
        if (tasks != null) {
            for (PoolTask task : tasks) {
                pool.cancel(task, true);
            }
        }
    }

    /**
     * Calls {@link #poolEnded} whenever a client pool's executor is destroyed anywhere in the cluster, and for
     * every pool of a client whose connection to this member closed (the client's JVM died or disconnected).
     */
    public void watchPoolEnds(HazelcastInstance member) {
        member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {}

            @Override
            public void clientDisconnected(Client client) {
                String prefix = Configs.executorPrefixOf(client.getUuid());
                for (String poolName : running.keySet()) {
                    if (poolName.startsWith(prefix)) {
                        poolEnded(poolName);
                    }
                }
            }
        });
        member.addDistributedObjectListener(new DistributedObjectListener() {
            @Override
            public void distributedObjectCreated(DistributedObjectEvent event) {}

            @Override
            public void distributedObjectDestroyed(DistributedObjectEvent event) {
                if (event.getObjectName() instanceof String name && name.startsWith(Configs.EXECUTOR_PREFIX)) {
                    poolEnded(name);
                }
            }
        });
    }

    private boolean hasEnded(String poolName) {
        synchronized (ended) {
            return ended.contains(poolName);
        }
    }

    byte[] run(TaskEnvelope envelope) {
        if (!Signatures.verify(key, envelope.pool(), envelope.taskId(), envelope.timeoutMillis(), envelope.payload(),
                envelope.mac())) {
            refused.incrementAndGet();
            return Replies.refused(label + " (pid " + pid + ") refused a task whose signature does not match the "
                    + "cluster's key; nothing was deserialized or run");
        }
        Duration timeout = envelope.timeoutMillis() > 0 ? Duration.ofMillis(envelope.timeoutMillis()) : null;
        String poolName = envelope.pool();
        if (hasEnded(poolName)) {
            return error(new CancellationException("the client's pool ended before " + label + " ran its task"));
        }
        PoolTask task;
        try {
            task = pool.submitEncoded(envelope.payload(), timeout);
        } catch (RuntimeException e) {
            return error(e);
        }
        running.compute(poolName, (name, tasks) -> {
            Set<PoolTask> withThis = tasks != null ? tasks : ConcurrentHashMap.newKeySet();
            withThis.add(task);
            return withThis;
        });
        if (hasEnded(poolName)) {
            pool.cancel(task, true); // poolEnded ran between the check above and the registration
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
        } finally {
            running.computeIfPresent(poolName, (name, tasks) -> {
                tasks.remove(task);
                return tasks.isEmpty() ? null : tasks;
            });
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
