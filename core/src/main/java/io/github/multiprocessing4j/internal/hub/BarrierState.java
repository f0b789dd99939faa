package io.github.multiprocessing4j.internal.hub;

/**
 * The hosted side of {@code Barrier}: parties arrive; when the last one does, all are released and the
 * barrier resets for the next round (a new generation). A wait that times out breaks the barrier for
 * everyone waiting, as with {@code java.util.concurrent.CyclicBarrier}; {@code reset} breaks it for the
 * current waiters and starts a fresh generation.
 * Guarded by this object's monitor.
 */
public final class BarrierState implements HubObject {
    /** Returned by "wait" when the barrier is or became broken. */
    static final int BROKEN = -1;

    private final int parties;
    private int waiting;
    /** Each round of arrivals is a generation; {@link #reset} also starts a new one. */
    private long generation;
    /** The generation that was broken, or -1: its waiters fail, the next generation starts whole. */
    private long brokenGeneration = -1;

    public BarrierState(int parties) {
        this.parties = parties;
    }

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "wait": {
                if (brokenGeneration == generation) {
                    return BROKEN;
                }
                int index = parties - 1 - waiting;
                if (++waiting == parties) {
                    waiting = 0;
                    generation++;
                    notifyAll();
                    return index;
                }
                long myGeneration = generation;
                Deadline deadline = new Deadline((Long) args[0]);
                while (generation == myGeneration && brokenGeneration != myGeneration) {
                    if (!deadline.await(this, caller)) {
                        if (generation == myGeneration) {
                            breakBarrier();
                        }
                        break;
                    }
                }
                return brokenGeneration == myGeneration ? BROKEN : index;
            }
            case "reset":
                breakBarrier();
                generation++;
                return null;
            case "abort":
                breakBarrier();
                return null;
            case "nWaiting":
                return waiting;
            case "broken":
                return brokenGeneration == generation;
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }

    private void breakBarrier() {
        brokenGeneration = generation;
        waiting = 0;
        notifyAll();
    }
}
