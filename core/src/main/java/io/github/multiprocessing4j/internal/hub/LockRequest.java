package io.github.multiprocessing4j.internal.hub;

/** The operations of a hosted {@link LockState}, for {@code Lock} and {@code RLock}. */
public sealed interface LockRequest<R> extends Request<R> {
    R runOn(LockState lock, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, LockState.class, this), caller);
    }

    /** Takes the lock, waiting at most {@code timeoutNanos} (negative: forever). */
    record Acquire(long timeoutNanos) implements LockRequest<AcquireOutcome> {
        @Override
        public AcquireOutcome runOn(LockState lock, Caller caller) {
            return lock.acquire(caller, timeoutNanos);
        }
    }

    record Release() implements LockRequest<Void> {
        @Override
        public Void runOn(LockState lock, Caller caller) {
            lock.release(caller);
            return null;
        }
    }

    record IsLocked() implements LockRequest<Boolean> {
        @Override
        public Boolean runOn(LockState lock, Caller caller) {
            return lock.isLocked();
        }
    }
}
