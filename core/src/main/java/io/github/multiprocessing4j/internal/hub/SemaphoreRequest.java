package io.github.multiprocessing4j.internal.hub;

/** The operations of a hosted {@link SemaphoreState}, for {@code Semaphore} and {@code BoundedSemaphore}. */
public sealed interface SemaphoreRequest<R> extends Request<R> {
    R runOn(SemaphoreState semaphore, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, SemaphoreState.class, this), caller);
    }

    /** Takes a permit, waiting at most {@code timeoutNanos} (negative: forever). */
    record Acquire(long timeoutNanos) implements SemaphoreRequest<AcquireOutcome> {
        @Override
        public AcquireOutcome runOn(SemaphoreState semaphore, Caller caller) {
            return semaphore.acquire(caller, timeoutNanos);
        }
    }

    record Release() implements SemaphoreRequest<Void> {
        @Override
        public Void runOn(SemaphoreState semaphore, Caller caller) {
            semaphore.release(caller);
            return null;
        }
    }

    record AvailablePermits() implements SemaphoreRequest<Integer> {
        @Override
        public Integer runOn(SemaphoreState semaphore, Caller caller) {
            return semaphore.availablePermits();
        }
    }
}
