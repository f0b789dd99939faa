package io.github.multiprocessing4j;

import io.github.multiprocessing4j.internal.hub.BarrierOutcome;
import io.github.multiprocessing4j.internal.hub.BarrierRequest;
import io.github.multiprocessing4j.internal.hub.BarrierState;
import io.github.multiprocessing4j.internal.hub.Handle;
import io.github.multiprocessing4j.internal.hub.HubServer;
import io.github.multiprocessing4j.internal.hub.Waits;
import io.github.multiprocessing4j.internal.runtime.Scheduler;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties in any processes: Python's {@code multiprocessing.Barrier}, with
 * {@link java.util.concurrent.CyclicBarrier}'s Java signature. It is reusable: once all parties arrived,
 * it starts over.
 *
 * <p>An optional action runs once per round, in the process and thread of the last party to arrive, after
 * all arrived and before any is released (Python's {@code action}, {@code CyclicBarrier}'s
 * {@code barrierAction}). If it throws, that party gets its exception (a checked one wrapped in
 * {@link TaskFailedException}), the barrier breaks and the others
 * get {@link BrokenBarrierException}; if that party's process dies while running it, the barrier breaks
 * too. An optional default timeout applies to {@link #await()}.
 *
 * <h2>Comparison with Python</h2>
 * <ul>
 * <li>Python's {@code wait} is {@link #await()}, and {@code wait(timeout)} is {@link #await(Duration)}.</li>
 * <li>The arrival index follows {@code CyclicBarrier}: {@code parties - 1} for the first party to arrive,
 *     0 for the last; Python gives 0 to the first. Either way exactly one party gets each index.</li>
 * <li>{@link #await(Duration)} that times out breaks the barrier for every party and throws
 *     {@link TimeoutException}, as {@code CyclicBarrier} does (Python raises {@code BrokenBarrierError}
 *     there); the other waiters get {@link BrokenBarrierException}. A timeout of {@link #await()} given by the
 *     constructor's default breaks the barrier the same way and throws {@link BrokenBarrierException}, as
 *     Python does.</li>
 * <li>{@link #await()} without a default timeout waits in the process that created the barrier and cannot
 *     be interrupted: use {@link #await(Duration)} where a wait must end.</li>
 * </ul>
 */
public final class Barrier implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The barrier in the hub of the process that made it, through which every copy talks. */
    final Handle handle;
    /** How many parties each round waits for. */
    private final int parties;
    /** Run by the last party of each round; null for none. */
    private final SerializableRunnable action;
    /** The timeout of {@link #await()}; null waits as long as it takes. */
    private final Duration timeout;

    /**
     * A barrier for {@code parties} processes or threads, with no action and no default timeout (Python's
     * {@code Barrier(parties)}).
     *
     * @param parties how many must call {@link #await()} before all are released; at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /**
     * A barrier whose last arriving party runs {@code action} each round (Python's
     * {@code Barrier(parties, action)}).
     *
     * @param parties how many must call {@link #await()} before all are released; at least 1
     * @param action run by the last party of each round, before any is released; serialized with what it captures when
     *     this barrier is sent to another process
     * @throws IllegalArgumentException if {@code parties} is less than 1
     * @throws NullPointerException if {@code action} is null
     */
    public Barrier(int parties, SerializableRunnable action) {
        this(parties, Objects.requireNonNull(action, "action"), null);
    }

    /**
     * A barrier with an optional action and a default timeout for {@link #await()} (Python's
     * {@code Barrier(parties, action, timeout)}).
     *
     * @param action run by the last party of each round; null for none
     * @param timeout how long {@link #await()} waits before breaking the barrier; null for no limit
     * @param parties how many must call {@link #await()} before all are released; at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, SerializableRunnable action, Duration timeout) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1 but was " + parties);
        }
        if (timeout != null) {
            Waits.requireTimeout(timeout);
        }
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
        this.handle = HubServer.local().register(new BarrierState(parties, action != null, Scheduler.system()));
    }

    /**
     * Waits until all parties have arrived, or for the default timeout if one was given.
     *
     * @return this party's arrival index: {@code parties - 1} for the first, 0 for the last
     * @throws BrokenBarrierException if the barrier broke, also when the default timeout passed
     */
    public int await() throws BrokenBarrierException {
        long nanos = timeout == null ? -1 : Math.max(0, timeout.toNanos());
        BarrierOutcome outcome = finish(handle.call(new BarrierRequest.Await(nanos)));
        if (outcome instanceof BarrierOutcome.Passed passed) {
            return passed.index();
        }
        if (outcome instanceof BarrierOutcome.TimedOut) {
            throw new BrokenBarrierException("not all " + parties + " parties arrived within the barrier's timeout of "
                    + timeout.toMillis() + " ms");
        }
        throw new BrokenBarrierException("the barrier was broken while waiting");
    }

    /**
     * Waits at most {@code timeout}; on timeout the barrier breaks.
     *
     * @param timeout how long to wait for the other parties at most; it replaces the default timeout for this call
     * @return this party's arrival index: {@code parties - 1} for the first, 0 for the last
     * @throws BrokenBarrierException if the barrier was already broken, or was broken, reset or aborted while
     *     waiting
     * @throws TimeoutException if not all parties arrived in time; the barrier is then broken for the others
     */
    public int await(Duration timeout) throws BrokenBarrierException, TimeoutException {
        BarrierOutcome outcome = finish(handle.call(
                new BarrierRequest.Await(Math.max(0, Waits.requireTimeout(timeout).toNanos()))));
        if (outcome instanceof BarrierOutcome.Passed passed) {
            return passed.index();
        }
        if (outcome instanceof BarrierOutcome.TimedOut) {
            throw new TimeoutException("not all " + parties + " parties arrived within " + timeout.toMillis() + " ms");
        }
        throw new BrokenBarrierException("the barrier was broken while waiting");
    }

    /** Runs the action if this party was the last to arrive, and reports it; other outcomes pass through. */
    private BarrierOutcome finish(BarrierOutcome outcome) {
        if (!(outcome instanceof BarrierOutcome.RunAction run)) {
            return outcome;
        }
        try {
            action.run();
        } catch (Exception | Error e) {
            handle.call(new BarrierRequest.ActionDone(run.index(), run.generation(), false));
            throw AsyncResult.rethrow(e);
        }
        return handle.call(new BarrierRequest.ActionDone(run.index(), run.generation(), true));
    }

    /**
     * The default timeout of {@link #await()}, if any (Python's {@code timeout} argument).
     *
     * @return the default timeout, or empty if {@link #await()} waits as long as it takes
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Breaks the barrier for current waiters and makes it usable again. */
    public void reset() {
        handle.call(new BarrierRequest.Reset());
    }

    /** Breaks the barrier: current and future waiters fail until {@link #reset()}. */
    public void abort() {
        handle.call(new BarrierRequest.Abort());
    }

    /**
     * The number of parties each round waits for (Python's {@code parties}).
     *
     * @return the number given at creation
     */
    public int parties() {
        return parties;
    }

    /**
     * The number of parties waiting now (Python's {@code n_waiting}); a snapshot.
     *
     * @return the number waiting in the current round
     */
    public int numberWaiting() {
        return handle.call(new BarrierRequest.NumberWaiting());
    }

    /**
     * Whether the barrier is broken (Python's {@code broken}): {@link #await()} then fails at once until
     * {@link #reset()}.
     *
     * @return true if it is broken
     */
    public boolean isBroken() {
        return handle.call(new BarrierRequest.IsBroken());
    }
}
