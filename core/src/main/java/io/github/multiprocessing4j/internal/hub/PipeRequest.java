package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;
import java.util.Arrays;

/** The operations of a hosted {@link PipeState}, each on one {@code end} (0 or 1), for {@code Connection}. */
public sealed interface PipeRequest<R> extends Request<R> {
    R runOn(PipeState pipe, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, PipeState.class, this), caller);
    }

    /**
     * The caller's process now uses {@code end} (it received a copy of it); {@code hub} is its hub, where it
     * hears that an inbox moved, or null. With {@code claim} it asks to keep {@code end}'s inbox (see
     * {@link PipeState}). Answers where each inbox is kept.
     */
    record Attach(int end, Handle hub, boolean claim) implements PipeRequest<PipeState.Keepers> {
        @Override
        public PipeState.Keepers runOn(PipeState pipe, Caller caller) {
            return pipe.attach(caller, end, hub, claim, true);
        }
    }

    /** Sends an encoded message from {@code end} to the other end. */
    record Send(int end, Item message) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            pipe.send(caller, end, message);
            return null;
        }

        @Override
        public long carriedBytes() {
            return message.length();
        }
    }

    /**
     * Sends the message whose encoding is {@code tag} followed by {@code size} bytes of {@code buffer} from
     * {@code offset} (a large {@code sendBytes}), without joining them: to another process's hub they are
     * written straight from the caller's array, and arrive there as a {@link Send} of an item whose body is
     * the array read there. The caller keeps the
     * buffer unchanged until the send returns.
     */
    record SendSlice(int end, byte[] tag, byte[] buffer, int offset, int size) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            pipe.send(caller, end, new Item(tag, Arrays.copyOfRange(buffer, offset, offset + size)));
            return null;
        }

        @Override
        public boolean borrowsCallerArray() {
            return true;
        }

        @Override
        public long carriedBytes() {
            return (long) tag.length + size;
        }
    }

    /** Receives at {@code end}, waiting at most {@code timeoutNanos}; or where to receive instead. */
    record Receive(int end, long timeoutNanos) implements PipeRequest<PipeReceipt> {
        @Override
        public PipeReceipt runOn(PipeState pipe, Caller caller) {
            return pipe.receive(caller, end, timeoutNanos);
        }
    }

    /** Whether a receive at {@code end} would not wait, waiting at most {@code timeoutNanos} for that. */
    record Poll(int end, long timeoutNanos) implements PipeRequest<Object> {
        /**
         * @return {@code true} (a receive would not wait), {@code false} (not within the wait), or a
         *     {@link PipeReceipt.Moved}: the two common answers travel as the codec's booleans, unserialized
         */
        @Override
        public Object runOn(PipeState pipe, Caller caller) {
            PipeReceipt receipt = pipe.poll(caller, end, timeoutNanos);
            return receipt instanceof PipeReceipt.Moved ? receipt : Boolean.valueOf(receipt instanceof PipeReceipt.Ready);
        }
    }

    /**
     * The caller's process stops using {@code end}; {@code handedOver} when it sent a copy of the end to
     * another process (see {@link PipeState#close}).
     */
    record Close(int end, boolean handedOver) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            pipe.close(caller, end, handedOver, true);
            return null;
        }
    }

    /**
     * A replica passing on a send, attach or close of process {@code pid} to the replica keeping an inbox
     * (see {@link PipeState}); {@code hops} counts how often a send was passed on. Not passed on further,
     * except a send whose inbox moved again meanwhile.
     */
    record Forwarded(long pid, int hops, PipeRequest<?> request) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            Caller original = new Caller(pid, caller.threadId(), caller.liveness());
            if (request instanceof Send send) {
                pipe.send(original, send.end(), send.message(), hops);
            } else if (request instanceof Attach attach) {
                pipe.attach(original, attach.end(), attach.hub(), false, false);
            } else if (request instanceof Close close) {
                pipe.close(original, close.end(), close.handedOver(), false);
            } else {
                throw new IllegalArgumentException("a pipe passes on only sends, attaches and closes, not " + request);
            }
            return null;
        }

        @Override
        public long carriedBytes() {
            return request.carriedBytes();
        }
    }
}
