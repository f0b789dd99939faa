package io.github.multiprocessing4j.internal.hub;

/** The operations of a hosted {@link ConditionState}, for {@code Condition}. */
public sealed interface ConditionRequest<R> extends Request<R> {
    R runOn(ConditionState condition, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, ConditionState.class, this), caller);
    }

    /** Releases the lock, waits at most {@code timeoutNanos} to be signalled, retakes the lock. */
    record Await(long timeoutNanos) implements ConditionRequest<Boolean> {
        @Override
        public Boolean runOn(ConditionState condition, Caller caller) {
            return condition.await(caller, timeoutNanos);
        }
    }

    /** Wakes the {@code n} longest waiters. */
    record Signal(int n) implements ConditionRequest<Void> {
        @Override
        public Void runOn(ConditionState condition, Caller caller) {
            condition.signal(caller, n);
            return null;
        }
    }

    record SignalAll() implements ConditionRequest<Void> {
        @Override
        public Void runOn(ConditionState condition, Caller caller) {
            condition.signalAll(caller);
            return null;
        }
    }
}
