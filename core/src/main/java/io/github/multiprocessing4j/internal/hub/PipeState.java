package io.github.multiprocessing4j.internal.hub;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hosted side of {@code Pipe}: two ends, each with the messages sent to it, and the processes using it.
 *
 * <p>An end counts as closed once some process used it and no process uses it any more: each process that
 * sends or receives on an end (or receives the end as an argument) is registered as a user; it stops being
 * one when it closes its end or exits. A receive on the other end then drains what was sent and reports
 * end of file instead of waiting forever. Unlike Python, the creator need not close its own copy of an end
 * it handed to a child: copies never used do not keep an end open. Guarded by this object's monitor.
 */
public final class PipeState implements HubObject {
    /** Returned by "recv" at end of file. */
    static final String EOF = "EOF";

    /** Messages waiting for end 0 and end 1. */
    private final List<ArrayDeque<byte[]>> inbox = List.of(new ArrayDeque<>(), new ArrayDeque<>());
    /** Processes using end 0 and end 1. */
    private final List<Set<Long>> users = List.of(new HashSet<>(), new HashSet<>());
    private final boolean[] used = new boolean[2];

    @Override
    public synchronized Object call(Caller caller, String method, Object[] args) throws InterruptedException {
        int end = (Integer) args[0];
        int peer = 1 - end;
        switch (method) {
            case "attach":
                use(end, caller.pid());
                return null;
            case "send":
                use(end, caller.pid());
                if (closed(peer)) {
                    throw new IllegalStateException("the other end of this pipe is closed: nobody can receive");
                }
                inbox.get(peer).addLast((byte[]) args[1]);
                notifyAll();
                return null;
            case "recv": {
                use(end, caller.pid());
                Deadline deadline = new Deadline((Long) args[1]);
                while (inbox.get(end).isEmpty()) {
                    if (closed(peer)) {
                        return EOF;
                    }
                    if (!deadline.await(this, caller)) {
                        return null;
                    }
                }
                return caller.isAlive() ? inbox.get(end).pollFirst() : null;
            }
            case "poll": {
                Deadline deadline = new Deadline((Long) args[1]);
                while (inbox.get(end).isEmpty() && !closed(peer)) {
                    if (!deadline.await(this, caller)) {
                        return false;
                    }
                }
                return true;
            }
            case "close":
                users.get(end).remove(caller.pid());
                used[end] = true;
                notifyAll();
                return null;
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }

    private void use(int end, long pid) {
        users.get(end).add(pid);
        used[end] = true;
    }

    private boolean closed(int end) {
        return used[end] && users.get(end).isEmpty();
    }

    @Override
    public synchronized void processExited(long pid, boolean died) {
        boolean changed = users.get(0).remove(pid) | users.get(1).remove(pid);
        if (changed) {
            notifyAll();
        }
    }
}
