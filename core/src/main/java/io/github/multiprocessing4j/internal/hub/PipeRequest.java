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

    /** The caller's process now uses {@code end} (it received a copy of it). */
    record Attach(int end) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            pipe.attach(caller, end);
            return null;
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

    /** Receives at {@code end}, waiting at most {@code timeoutNanos}. */
    record Receive(int end, long timeoutNanos) implements PipeRequest<PipeReceipt> {
        @Override
        public PipeReceipt runOn(PipeState pipe, Caller caller) {
            return pipe.receive(caller, end, timeoutNanos);
        }
    }

    /** Whether a receive at {@code end} would not wait, waiting at most {@code timeoutNanos} for that. */
    record Poll(int end, long timeoutNanos) implements PipeRequest<Boolean> {
        @Override
        public Boolean runOn(PipeState pipe, Caller caller) {
            return pipe.poll(caller, end, timeoutNanos);
        }
    }

    /**
     * The caller's process stops using {@code end}; {@code handedOver} when it sent a copy of the end to
     * another process (see {@link PipeState#close}).
     */
    record Close(int end, boolean handedOver) implements PipeRequest<Void> {
        @Override
        public Void runOn(PipeState pipe, Caller caller) {
            pipe.close(caller, end, handedOver);
            return null;
        }
    }
}
