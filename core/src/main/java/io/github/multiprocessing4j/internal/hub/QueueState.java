package io.github.multiprocessing4j.internal.hub;

import java.util.ArrayDeque;

/**
 * The hosted side of {@code Queue}, {@code SimpleQueue} and {@code JoinableQueue}: a FIFO of encoded items,
 * optionally bounded. Items stay encoded here, so the hosting process never needs the items' classes. A
 * {@code get} hands an item only to a caller that is still alive, so a waiter killed mid-wait takes
 * nothing with it. Guarded by this object's monitor.
 */
public final class QueueState implements HubObject {
    private final int capacity;
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    /** Items put and not yet marked done, for {@code JoinableQueue}. */
    private long unfinished;

    /** @param capacity the most items it holds, or 0 for no limit */
    public QueueState(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        switch (method) {
            case "put": {
                byte[] item = (byte[]) args[0];
                Deadline deadline = new Deadline((Long) args[1]);
                while (capacity > 0 && items.size() >= capacity) {
                    if (!deadline.await(this, caller)) {
                        return false;
                    }
                }
                items.addLast(item);
                unfinished++;
                notifyAll();
                return true;
            }
            case "get": {
                Deadline deadline = new Deadline((Long) args[0]);
                while (items.isEmpty()) {
                    if (!deadline.await(this, caller)) {
                        return null;
                    }
                }
                if (!caller.isAlive()) {
                    return null;
                }
                notifyAll();
                return items.pollFirst();
            }
            case "qsize":
                return items.size();
            case "full":
                return capacity > 0 && items.size() >= capacity;
            case "taskDone":
                if (unfinished == 0) {
                    throw new IllegalStateException("taskDone() called more times than there were items put");
                }
                unfinished--;
                notifyAll();
                return null;
            case "join": {
                Deadline deadline = new Deadline((Long) args[0]);
                while (unfinished > 0) {
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
