package io.github.multiprocessing4j.internal.hub;

/**
 * The hosted side of {@code Barrier}: parties arrive; when the last one does, all are released and the
 * barrier resets for the next round (a new generation). A wait that times out, or a waiting process that
 * dies, breaks the barrier for everyone waiting, as with {@code java.util.concurrent.CyclicBarrier}.
 * Guarded by this object's monitor.
 */
public final class BarrierState implements HubObject {
    /** Returned by "wait" when the barrier is or became broken. */
    static final int BROKEN = -1;

    private final int parties;
    private int waiting;
    private long generation;
    private boolean broken;

    public BarrierState(int parties) {
        this.parties = parties;
    }

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "wait": {
                if (broken) {
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
                while (generation == myGeneration && !broken) {
                    if (!deadline.await(this, caller)) {
                        breakBarrier();
                        return BROKEN;
                    }
                }
                return broken && generation == myGeneration ? BROKEN : index;
            }
            case "reset":
                if (waiting > 0) {
                    breakBarrier();
                }
                broken = false;
                return null;
            case "abort":
                breakBarrier();
                return null;
            case "nWaiting":
                return waiting;
            case "broken":
                return broken;
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }

    private void breakBarrier() {
        broken = true;
        waiting = 0;
        notifyAll();
    }
}
