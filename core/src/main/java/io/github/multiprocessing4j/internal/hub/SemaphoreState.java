package io.github.multiprocessing4j.internal.hub;

import java.util.HashMap;
import java.util.Map;

/**
 * The hosted side of {@code Semaphore} and {@code BoundedSemaphore}: a count of permits, and which processes
 * hold how many, so that the permits of a process that dies (killed, crashed: not a normal exit) are
 * returned. The next acquire that takes such
 * a recovered permit is told ({@link LockState#ACQUIRED_FROM_DEAD_OWNER}). Guarded by this object's monitor.
 */
public final class SemaphoreState implements HubObject {
    private final int initial;
    private final boolean bounded;
    private int permits;
    /** Permits recovered from dead processes and not yet handed out again. */
    private int recovered;
    private final Map<Long, Integer> heldByPid = new HashMap<>();

    public SemaphoreState(int permits, boolean bounded) {
        this.initial = permits;
        this.permits = permits;
        this.bounded = bounded;
    }

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "acquire": {
                Deadline deadline = new Deadline((Long) args[0]);
                while (permits == 0) {
                    if (!deadline.await(this, caller)) {
                        return LockState.TIMED_OUT;
                    }
                }
                permits--;
                heldByPid.merge(caller.pid(), 1, Integer::sum);
                if (recovered > 0) {
                    recovered--;
                    return LockState.ACQUIRED_FROM_DEAD_OWNER;
                }
                return LockState.ACQUIRED;
            }
            case "release": {
                if (bounded && permits >= initial) {
                    throw new IllegalStateException("BoundedSemaphore released more often than acquired (" + initial
                            + " permits)");
                }
                // A release by a process that holds nothing returns another's permit (a producer releasing
                // what a consumer acquired), so that permit is not recovered again when its taker exits.
                long from = heldByPid.containsKey(caller.pid()) ? caller.pid()
                        : heldByPid.keySet().stream().findFirst().orElse(caller.pid());
                heldByPid.computeIfPresent(from, (pid, held) -> held > 1 ? held - 1 : null);
                permits++;
                notifyAll();
                return null;
            }
            case "value":
                return permits;
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        Integer held = heldByPid.remove(pid);
        // Permits taken by a process that exited normally were used (a consumer taking a token); only
        // those of a process that died are given back.
        if (held != null && died) {
            permits += held;
            recovered += held;
            notifyAll();
        }
    }
}
