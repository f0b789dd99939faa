package io.github.multiprocessing4j.internal.hub;

/** The operations of a hosted {@link BarrierState}, for {@code Barrier}. */
public sealed interface BarrierRequest<R> extends Request<R> {
    R runOn(BarrierState barrier, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, BarrierState.class, this), caller);
    }

    /** Arrives and waits at most {@code timeoutNanos} (negative: forever) for the other parties. */
    record Await(long timeoutNanos) implements BarrierRequest<BarrierOutcome> {
        @Override
        public BarrierOutcome runOn(BarrierState barrier, Caller caller) {
            return barrier.await(caller, timeoutNanos);
        }
    }

    /** The party told to {@link BarrierOutcome.RunAction run the action} ran it, successfully or not. */
    record ActionDone(int index, long generation, boolean succeeded) implements BarrierRequest<BarrierOutcome> {
        @Override
        public BarrierOutcome runOn(BarrierState barrier, Caller caller) {
            return barrier.actionDone(index, generation, succeeded);
        }
    }

    record Reset() implements BarrierRequest<Void> {
        @Override
        public Void runOn(BarrierState barrier, Caller caller) {
            barrier.reset();
            return null;
        }
    }

    record Abort() implements BarrierRequest<Void> {
        @Override
        public Void runOn(BarrierState barrier, Caller caller) {
            barrier.abort();
            return null;
        }
    }

    record NumberWaiting() implements BarrierRequest<Integer> {
        @Override
        public Integer runOn(BarrierState barrier, Caller caller) {
            return barrier.numberWaiting();
        }
    }

    record IsBroken() implements BarrierRequest<Boolean> {
        @Override
        public Boolean runOn(BarrierState barrier, Caller caller) {
            return barrier.isBroken();
        }
    }
}
