package io.github.multiprocessing4j.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import io.github.multiprocessing4j.internal.codec.ThrowableTransport;
import io.github.multiprocessing4j.internal.pool.WorkerLauncher;
import io.github.multiprocessing4j.internal.runtime.LibraryThreads;
import io.github.multiprocessing4j.internal.wire.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The cluster pool's workers: each "worker" the pool's rules see is a slot, one task in flight at a time,
 * whose task runs on a member of the cluster. The pool's rules ({@code PoolCore}) are the ones a local pool
 * uses; only where tasks go differs.
 *
 * <h2>Design</h2>
 * A slot is connected at once. {@code send(Task)} signs the job's bytes into a {@link TaskEnvelope} and
 * submits it to the member with the lowest load (this launcher's tasks in flight there per worker it
 * advertises; a random one among equals), skipping members lost to any pool of this client; a member that
 * joins later is chosen once the client has connected to it ({@link DirectConnections} says why). The
 * member's answer becomes the slot's {@link Message.Outcome}: a value, the task's exception, a
 * {@code WorkerDiedException} from the member's own worker JVM (the slot lives on), or a refusal. When the member is lost instead (its connection closed, it left the cluster, the client's
 * heartbeat to it timed out), the task is submitted again to another member if retries remain (so a task
 * may run more than once: at-least-once), else the slot exits and the pool fails the task with a
 * {@code WorkerDiedException} naming the member and starts a new slot. {@code kill()} (a timeout, a
 * {@code cancel(true)}, terminate) cancels the task on its member, which kills the worker running it, and
 * the slot exits; a task with a timeout carries it (plus a grace) to the member, which enforces it too, in
 * case the cancel reached the member before the task had started there. Each launcher uses an executor of its own name, so ending one pool never touches
 * another's executor; the pool's end destroys that executor, and each member then ends the pool's tasks
 * it still runs (a cancel that reached a member before its task started would otherwise miss it).
 *
 * <p>Threads: sends run on {@code mp4j-events}; Hazelcast completes futures on its own threads; a slot's
 * state is guarded by the slot's monitor.
 */
public final class MemberSlots implements WorkerLauncher {
    private static final int LOST_EXIT = 255;
    /**
     * A task with a timeout travels with that timeout plus this grace: the pool kills the slot (and so
     * cancels the task) at the timeout itself, and the member's own timeout ends a task that cancel missed.
     */
    static final long MEMBER_TIMEOUT_GRACE_MILLIS = 2000;

    private final HazelcastInstance client;
    private final IExecutorService executor;
    private final byte[] key;
    private final int retries;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** Members lost by any pool of the same client; shared so a new pool does not try a dead member first. */
    private final Set<UUID> lost;
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private final DirectConnections connections;
    private final UUID listener;

    /**
     * @param lost the members already lost to pools of this client, updated by this launcher too; a lost
     *     member is not chosen again (a member that comes back joins under a new UUID)
     */
    public MemberSlots(HazelcastInstance client, byte[] key, int retries, Set<UUID> lost) {
        this.client = client;
        this.connections = new DirectConnections(client);
        this.lost = lost;
        this.executor = client.getExecutorService(
                Configs.executorPrefixOf(client.getLocalEndpoint().getUuid()) + UUID.randomUUID());
        this.key = key.clone();
        this.retries = retries;
        this.listener = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
                lost.add(event.getMember().getUuid());
                for (Slot slot : slots) {
                    slot.memberLost(event.getMember(), "it left the cluster", true);
                }
            }
        });
    }

    @Override
    public Worker launch(String name, Consumer<Message.Outcome> outcomes) {
        Slot slot = new Slot(name, outcomes);
        slots.add(slot);
        slot.exited.whenComplete((code, failure) -> slots.remove(slot));
        return slot;
    }

    @Override
    public void poolEnded() {
        try {
            client.getCluster().removeMembershipListener(listener);
            executor.destroy();
        } catch (RuntimeException e) {
            // The client is already shut down; there is nothing left to release.
        }
    }

    /**
     * The member that should take the next task, or null if none can: the least loaded, and among equally
     * loaded members a random one, so that new pools (whose counts all start at zero) spread their first
     * tasks over the cluster instead of all choosing the first member. Members this client has a
     * connection of its own to come first (see {@link DirectConnections}); a member that has just joined
     * is chosen once the client has connected to it, or when no connected member can take the task.
     */
    private Member choose(Set<UUID> excluded) {
        List<Member> candidates = new ArrayList<>();
        List<Member> connected = new ArrayList<>();
        for (Member member : client.getCluster().getMembers()) {
            if (member.getAttribute(Configs.WORKERS) == null || lost.contains(member.getUuid())
                    || excluded.contains(member.getUuid())) {
                continue;
            }
            candidates.add(member);
            if (connections.connectedTo(member.getUuid())) {
                connected.add(member);
            }
        }
        return leastLoaded(connected.isEmpty() ? candidates : connected);
    }

    private Member leastLoaded(List<Member> members) {
        List<Member> best = new ArrayList<>();
        double bestLoad = Double.MAX_VALUE;
        for (Member member : members) {
            double load = (double) inFlight.computeIfAbsent(member.getUuid(), u -> new AtomicInteger()).get()
                    / Math.max(1, Integer.parseInt(member.getAttribute(Configs.WORKERS)));
            if (load < bestLoad) {
                best.clear();
                bestLoad = load;
            }
            if (load == bestLoad) {
                best.add(member);
            }
        }
        return best.isEmpty() ? null : best.get(ThreadLocalRandom.current().nextInt(best.size()));
    }

    /** A member's label, or its address, without its pid (which the pool's messages add themselves). */
    static String address(Member member) {
        String label = member.getAttribute(Configs.LABEL);
        return "member " + (label != null ? label : member.getAddress().getHost() + ":" + member.getAddress().getPort());
    }

    static String describe(Member member) {
        return address(member) + " (pid " + member.getAttribute(Configs.PID) + ")";
    }

    private static long pidOf(Member member) {
        try {
            return Long.parseLong(member.getAttribute(Configs.PID));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private final class Slot implements Worker {
        private final String name;
        private final Consumer<Message.Outcome> outcomes;
        private final CompletableFuture<Void> connected = CompletableFuture.completedFuture(null);
        final CompletableFuture<Integer> exited = new CompletableFuture<>();

        /* Accessed only while holding this slot's monitor. */
        private Message.Task task;
        private Member member;
        private Future<byte[]> future;
        private long memberTimeoutMillis;
        private int attempts;
        private final Set<UUID> triedMembers = new HashSet<>();
        private List<String> tail = List.of();

        Slot(String name, Consumer<Message.Outcome> outcomes) {
            this.name = name;
            this.outcomes = outcomes;
        }

        @Override
        public String name() {
            synchronized (this) {
                return member == null ? name : name + " on " + address(member);
            }
        }

        @Override
        public long pid() {
            synchronized (this) {
                return member == null ? -1 : pidOf(member);
            }
        }

        @Override
        public CompletableFuture<Void> connected() {
            return connected;
        }

        @Override
        public void send(Message message) {
            if (message instanceof Message.Stop) {
                exited.complete(0);
            } else if (message instanceof Message.Task next) {
                sendTask(next, null);
            }
        }

        @Override
        public void sendTask(Message.Task next, Duration timeout) {
            synchronized (this) {
                task = next;
                memberTimeoutMillis = timeout == null ? 0 : timeout.toMillis() + MEMBER_TIMEOUT_GRACE_MILLIS;
                attempts = 0;
                triedMembers.clear();
            }
            LibraryThreads.events().execute(() -> submit(next));
        }

        private void submit(Message.Task next) {
            Member target;
            long timeoutMillis;
            synchronized (this) {
                timeoutMillis = memberTimeoutMillis;
                if (task != next || exited.isDone()) {
                    return;
                }
                try {
                    target = choose(triedMembers);
                    if (target == null && !triedMembers.isEmpty()) {
                        target = choose(Set.of());
                    }
                } catch (RuntimeException e) {
                    target = null; // the client was shut down (Cluster.close)
                }
                if (target == null) {
                    tail = List.of("no member of the cluster can take tasks now");
                    exited.complete(LOST_EXIT);
                    return;
                }
                member = target;
                attempts++;
                triedMembers.add(target.getUuid());
            }
            AtomicInteger load = inFlight.computeIfAbsent(target.getUuid(), u -> new AtomicInteger());
            load.incrementAndGet();
            String pool = executor.getName();
            TaskEnvelope envelope = new TaskEnvelope(pool, next.taskId(), timeoutMillis, next.payload(),
                    Signatures.sign(key, pool, next.taskId(), timeoutMillis, next.payload()));
            // Whether the task travels on the client's own connection to its member, or through another member.
            boolean direct = connections.connectedTo(target.getUuid());
            Future<byte[]> submitted;
            try {
                submitted = executor.submitToMember(envelope, target);
            } catch (RuntimeException e) {
                load.decrementAndGet();
                memberLost(target, "submitting failed: " + e, true);
                return;
            }
            boolean stillWanted;
            synchronized (this) {
                stillWanted = task == next && !exited.isDone();
                if (stillWanted) {
                    future = submitted;
                }
            }
            if (!stillWanted) {
                // kill() ran while the task was being submitted and found no future to cancel.
                try {
                    submitted.cancel(true);
                } catch (RuntimeException e) {
                    // The member is gone already; there is nothing left to cancel.
                }
            }
            Member on = target;
            ((CompletableFuture<byte[]>) submitted).whenComplete((reply, failure) -> {
                load.decrementAndGet();
                if (failure == null) {
                    replied(next, reply);
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (!(cause instanceof CancellationException)) {
                        if (direct || !forwardingConnectionFailed(cause)) {
                            memberLost(on, "the task's connection to it failed: " + cause, true);
                        } else {
                            // The member forwarding the task went away: that says nothing of this member.
                            memberLost(on, "the connection that carried the task failed (the client had no"
                                    + " connection of its own to this member yet, and another member forwarded"
                                    + " the task), so its result is lost; it may still be running there: "
                                    + cause, false);
                        }
                    }
                }
            });
        }

        /**
         * Whether {@code cause} is the failure of the connection a forwarded task travelled on, rather than
         * news of its own member (which, gone, fails a forwarded task with {@code MemberLeftException},
         * {@code TargetNotMemberException} or a timeout).
         */
        private static boolean forwardingConnectionFailed(Throwable cause) {
            return cause instanceof TargetDisconnectedException || cause instanceof java.io.IOException;
        }

        private void replied(Message.Task answered, byte[] reply) {
            synchronized (this) {
                if (task != answered) {
                    return;
                }
                task = null;
                future = null;
            }
            byte status = Replies.status(reply);
            byte[] body = Replies.body(reply);
            if (status == Replies.VALUE) {
                outcomes.accept(new Message.Outcome(answered.taskId(), true, body));
            } else if (status == Replies.ERROR) {
                outcomes.accept(new Message.Outcome(answered.taskId(), false, body));
            } else {
                String reason = new String(body, StandardCharsets.UTF_8);
                outcomes.accept(new Message.Outcome(answered.taskId(), false, ThrowableTransport.encode(
                        new io.github.multiprocessing4j.cluster.ClusterTaskRefusedException(reason), name(), pid())));
            }
        }

        /**
         * The task on {@code lostMember} (if that is where this slot's task runs) is lost: retry elsewhere, or
         * exit. {@code excludeMember}: the member itself is gone, so no pool of this client uses it again.
         */
        void memberLost(Member lostMember, String why, boolean excludeMember) {
            Message.Task retry = null;
            synchronized (this) {
                if (task == null || member == null || !member.getUuid().equals(lostMember.getUuid()) || exited.isDone()) {
                    return;
                }
                if (excludeMember) {
                    lost.add(lostMember.getUuid());
                }
                future = null;
                if (attempts <= retries) {
                    retry = task;
                    member = null; // a second report of the same loss finds no member and does nothing
                } else {
                    tail = List.of((excludeMember ? describe(lostMember) + " was lost while running this task: "
                            : "this task on " + describe(lostMember) + " was lost: ") + why);
                }
            }
            if (retry != null) {
                Message.Task again = retry;
                LibraryThreads.events().execute(() -> submit(again));
            } else {
                exited.complete(LOST_EXIT);
            }
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public void kill() {
            Future<byte[]> running;
            synchronized (this) {
                running = future;
                future = null;
                task = null;
                tail = new ArrayList<>(List.of("killed by the pool (timeout, cancel or terminate)"));
            }
            if (running != null) {
                try {
                    running.cancel(true);
                } catch (RuntimeException e) {
                    // The member is gone already; there is nothing left to cancel.
                }
            }
            exited.complete(128 + 9);
        }

        @Override
        public List<String> stderrTail() {
            synchronized (this) {
                return List.copyOf(tail);
            }
        }

        @Override
        public String toString() {
            return name();
        }
    }
}
