package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;
import java.util.List;

/**
 * What a hub connection carries in the payload of a {@code TASK} frame; the answer comes back in the
 * {@code OUTCOME} frame. Calls to this process's own hub run the same frames directly, without a socket.
 */
sealed interface HubFrame extends Serializable {
    /*
     * Each kind of frame runs itself at the hub (runAt), so that the hub needs no switch over kinds and a
     * new kind that forgets how to run does not compile. What used to be sentinel object ids (a batch, the
     * exit notice, the manager's root) are kinds of their own.
     */

    /** Runs this frame at {@code hub} for process {@code pid}; returns the answer to send back. */
    Object runAt(HubServer hub, long pid) throws Exception;

    /** For messages: what this frame asks, such as {@code QueueRequest.Get}. */
    String describe();

    /** Bytes of encoded items carried, to size the encoding buffer. */
    long carriedBytes();

    /** One request to the hosted object {@code objectId}, from thread {@code threadId} of the caller. */
    record Call(ObjectId objectId, long threadId, Request<?> request) implements HubFrame {
        @Override
        public Object runAt(HubServer hub, long pid) throws Exception {
            return hub.invoke(hub.caller(pid, threadId), objectId, request);
        }

        @Override
        public String describe() {
            return Request.nameOf(request);
        }

        @Override
        public long carriedBytes() {
            return request.carriedBytes();
        }
    }

    /**
     * Asynchronous sends of one process, delivered together: run in order, every one even after one fails,
     * and the first failure reported.
     */
    record Batch(List<Call> calls) implements HubFrame {
        public Batch {
            calls = List.copyOf(calls);
        }

        @Override
        public Object runAt(HubServer hub, long pid) throws Exception {
            hub.invokeBatch(pid, calls);
            return null;
        }

        @Override
        public String describe() {
            return "a batch of " + calls.size() + " puts and sends";
        }

        @Override
        public long carriedBytes() {
            return calls.stream().mapToLong(call -> 64 + call.carriedBytes()).sum();
        }
    }

    /** The calling process is about to exit normally: what it holds was used, not lost. */
    record ExitNotice() implements HubFrame {
        @Override
        public Object runAt(HubServer hub, long pid) {
            hub.exitingNormally(pid);
            return null;
        }

        @Override
        public String describe() {
            return "the normal-exit notice";
        }

        @Override
        public long carriedBytes() {
            return 0;
        }
    }

    /**
     * Another process's replica of pipe {@code pipe} hands one of its inboxes to this hub (see
     * {@link PipeState}), making this hub's replica of the pipe if it has none.
     */
    record AdoptInbox(ObjectId pipe, PipeState.Handover handover) implements HubFrame {
        @Override
        public Object runAt(HubServer hub, long pid) {
            hub.adoptInbox(pipe, handover);
            return null;
        }

        @Override
        public String describe() {
            return "a pipe's hand-over of an inbox";
        }

        @Override
        public long carriedBytes() {
            return handover.messages().stream().mapToLong(message -> 64 + message.length()).sum();
        }
    }

    /** The inbox of end {@code end} of pipe {@code pipe} is kept at {@code keeper} now (see {@link PipeRoutes}). */
    record InboxMoved(ObjectId pipe, int end, Handle keeper) implements HubFrame {
        @Override
        public Object runAt(HubServer hub, long pid) {
            hub.inboxMoved(pipe, end, keeper);
            return null;
        }

        @Override
        public String describe() {
            return "a pipe's news that an inbox moved";
        }

        @Override
        public long carriedBytes() {
            return 0;
        }
    }

    /** A request to the root object of the entrance it arrives at: a manager's {@link Registry}. */
    record RootCall(long threadId, RegistryRequest<?> request) implements HubFrame {
        @Override
        public Object runAt(HubServer hub, long pid) throws Exception {
            return hub.invokeRoot(hub.caller(pid, threadId), request);
        }

        @Override
        public String describe() {
            return Request.nameOf(request);
        }

        @Override
        public long carriedBytes() {
            return 0;
        }
    }
}
