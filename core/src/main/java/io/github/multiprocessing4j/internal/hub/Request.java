package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;

/**
 * One operation on a hosted object, answered with an {@code R}: what a {@link Handle} sends and a
 * {@link HubServer} runs. Each kind of hosted object has a sealed request interface of its own
 * ({@link LockRequest}, {@link QueueRequest}, …) whose records name the operations and carry typed
 * arguments.
 */
public sealed interface Request<R> extends Serializable
        permits LockRequest, SemaphoreRequest, QueueRequest, PipeRequest, EventRequest, ConditionRequest,
        BarrierRequest, RegistryRequest, ProxyRequest {
    /*
     * Dispatch is checked by the compiler, without a pattern switch (Java 17 has none): each kind's interface
     * declares an abstract runOn(ThatState, Caller) that every one of its records implements by calling a
     * typed method of the state, and implements dispatch by checking that the target is of its kind. A new
     * record that forgets its operation does not compile; a request sent to an object of another kind (a
     * handle mixed up by hand) fails with a message naming both.
     */

    /** Runs this request on {@code target} for {@code caller}. */
    R dispatch(HubObject target, Caller caller) throws Exception;

    /**
     * Whether this request refers to an array of its caller instead of a copy: sent asynchronously, its
     * caller waits until it has been written (see {@link SendFeeder#send}).
     */
    default boolean borrowsCallerArray() {
        return false;
    }

    /** Bytes of encoded items this request carries, to size its frame and count it against back-pressure. */
    default long carriedBytes() {
        return 0;
    }

    /** The request's name for messages, such as {@code QueueRequest.Put}. */
    static String nameOf(Request<?> request) {
        Class<?> type = request.getClass();
        Class<?> kind = type.getEnclosingClass();
        return kind == null ? type.getSimpleName() : kind.getSimpleName() + "." + type.getSimpleName();
    }

    /**
     * {@code target} as the kind of object {@code request} is made for.
     *
     * @throws IllegalArgumentException if it is of another kind
     */
    static <S extends HubObject> S expect(HubObject target, Class<S> kind, Request<?> request) {
        if (!kind.isInstance(target)) {
            throw new IllegalArgumentException("a " + nameOf(request) + " request for a "
                    + kind.getSimpleName() + " reached a " + target.getClass().getSimpleName()
                    + ": the handle leads to another kind of shared object");
        }
        return kind.cast(target);
    }
}
