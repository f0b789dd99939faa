package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Item;

/** The operations of a hosted {@link QueueState}, for {@code Queue}, {@code JoinableQueue} and {@code SimpleQueue}. */
public sealed interface QueueRequest<R> extends Request<R> {
    R runOn(QueueState queue, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, QueueState.class, this), caller);
    }

    /** Adds an encoded item, waiting at most {@code timeoutNanos} for room; answers whether it was added. */
    record Put(Item item, long timeoutNanos) implements QueueRequest<Boolean> {
        @Override
        public Boolean runOn(QueueState queue, Caller caller) {
            return queue.put(caller, item, timeoutNanos);
        }

        @Override
        public long carriedBytes() {
            return item.length();
        }
    }

    /**
     * As {@link Put}, for an item whose encoding is {@code tag} followed by {@code bytes} (a large byte
     * array), not joined: to another process's hub they are written straight from the caller's array and
     * arrive as a {@link Put} of an item whose body is the array read there. The caller keeps the array
     * unchanged until the call returns.
     */
    record PutSlice(byte[] tag, byte[] bytes, long timeoutNanos) implements QueueRequest<Boolean> {
        @Override
        public Boolean runOn(QueueState queue, Caller caller) {
            return queue.put(caller, new Item(tag, bytes.clone()), timeoutNanos);
        }

        @Override
        public boolean borrowsCallerArray() {
            return true;
        }

        @Override
        public long carriedBytes() {
            return (long) tag.length + bytes.length;
        }
    }

    /** Takes the oldest item, waiting at most {@code timeoutNanos}; answers null when there was none. */
    record Get(long timeoutNanos) implements QueueRequest<Item> {
        @Override
        public Item runOn(QueueState queue, Caller caller) {
            return queue.get(caller, timeoutNanos);
        }
    }

    record Size() implements QueueRequest<Integer> {
        @Override
        public Integer runOn(QueueState queue, Caller caller) {
            return queue.size();
        }
    }

    record IsFull() implements QueueRequest<Boolean> {
        @Override
        public Boolean runOn(QueueState queue, Caller caller) {
            return queue.isFull();
        }
    }

    record TaskDone() implements QueueRequest<Void> {
        @Override
        public Void runOn(QueueState queue, Caller caller) {
            queue.taskDone();
            return null;
        }
    }

    /** Waits at most {@code timeoutNanos} for every item put to be marked done; answers whether they are. */
    record Join(long timeoutNanos) implements QueueRequest<Boolean> {
        @Override
        public Boolean runOn(QueueState queue, Caller caller) {
            return queue.join(caller, timeoutNanos);
        }
    }
}
