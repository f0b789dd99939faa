package io.github.multiprocessing4j.internal.hub;

/** The operations of a hosted {@link EventState}, for {@code Event}. */
public sealed interface EventRequest<R> extends Request<R> {
    R runOn(EventState event, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, EventState.class, this), caller);
    }

    record Set() implements EventRequest<Void> {
        @Override
        public Void runOn(EventState event, Caller caller) {
            event.set();
            return null;
        }
    }

    record Clear() implements EventRequest<Void> {
        @Override
        public Void runOn(EventState event, Caller caller) {
            event.clear();
            return null;
        }
    }

    record IsSet() implements EventRequest<Boolean> {
        @Override
        public Boolean runOn(EventState event, Caller caller) {
            return event.isSet();
        }
    }

    /** Waits at most {@code timeoutNanos} for the flag; answers whether it is set. */
    record WaitFor(long timeoutNanos) implements EventRequest<Boolean> {
        @Override
        public Boolean runOn(EventState event, Caller caller) {
            return event.waitFor(caller, timeoutNanos);
        }
    }
}
