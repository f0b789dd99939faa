package io.github.multiprocessing4j.internal.hub;

/** The hosted side of {@code Event}: one flag, and waiters for it to be set. Guarded by this object's monitor. */
public final class EventState implements HubObject {
    private boolean set;

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "set":
                set = true;
                notifyAll();
                return null;
            case "clear":
                set = false;
                return null;
            case "isSet":
                return set;
            case "wait": {
                Deadline deadline = new Deadline((Long) args[0]);
                while (!set) {
                    if (!deadline.await(this, caller)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }
}
