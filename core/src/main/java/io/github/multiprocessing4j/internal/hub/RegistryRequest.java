package io.github.multiprocessing4j.internal.hub;

import java.util.SortedSet;

/** The operations of a manager's {@link Registry}, reached as the root of its TCP entrance. */
public sealed interface RegistryRequest<R> extends Request<R> {
    R runOn(Registry registry, Caller caller);

    @Override
    default R dispatch(HubObject target, Caller caller) {
        return runOn(Request.expect(target, Registry.class, this), caller);
    }

    /** The shared object published under {@code name}. */
    record Lookup(String name) implements RegistryRequest<Object> {
        @Override
        public Object runOn(Registry registry, Caller caller) {
            return registry.lookup(name);
        }
    }

    /** A new shared object of the registered type {@code typeid}, as its proxy. */
    record Create(String typeid) implements RegistryRequest<Object> {
        @Override
        public Object runOn(Registry registry, Caller caller) {
            return registry.create(typeid);
        }
    }

    record Names() implements RegistryRequest<SortedSet<String>> {
        @Override
        public SortedSet<String> runOn(Registry registry, Caller caller) {
            return registry.names();
        }
    }
}
