package io.github.multiprocessing4j.internal.hub;

/** The one operation of a {@link ReflectiveObject}: a call of an interface method, for a manager proxy. */
public sealed interface ProxyRequest<R> extends Request<R> {
    R runOn(ReflectiveObject object, Caller caller) throws Exception;

    @Override
    default R dispatch(HubObject target, Caller caller) throws Exception {
        return runOn(Request.expect(target, ReflectiveObject.class, this), caller);
    }

    /** Calls {@code method}, found by name and parameter type names, with {@code arguments}. */
    record Invoke(String method, String[] parameterTypes, Object[] arguments) implements ProxyRequest<Object> {
        @Override
        public Object runOn(ReflectiveObject object, Caller caller) throws Exception {
            return object.invoke(method, parameterTypes, arguments);
        }
    }
}
