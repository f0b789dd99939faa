package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * The client side of a manager proxy: turns each interface call into a call on the hosted
 * {@link ReflectiveObject}. Serializable, so the proxy can be sent to other processes.
 *
 * <p>Default methods whose arguments cannot be sent (a {@code forEach} with a lambda) run here, on top of
 * the remote abstract methods they call; with sendable arguments they run remotely, where they are atomic.
 */
public final class RemoteInvoker implements InvocationHandler, Serializable {
    private final Handle handle;
    private final String typeName;

    private RemoteInvoker(Handle handle, String typeName) {
        this.handle = handle;
        this.typeName = typeName;
    }

    /** A proxy implementing {@code type} for the object behind {@code handle}. */
    public static <T> T proxy(Class<T> type, Handle handle) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new RemoteInvoker(handle, type.getName())));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object[] arguments = args == null ? new Object[0] : args;
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> arguments[0] != null && Proxy.isProxyClass(arguments[0].getClass())
                        && Proxy.getInvocationHandler(arguments[0]) instanceof RemoteInvoker other
                        && other.handle.objectId() == handle.objectId() && other.handle.address().equals(handle.address());
                case "hashCode" -> Long.hashCode(handle.objectId());
                default -> "shared " + typeName + " " + remote(method, arguments);
            };
        }
        if (method.isDefault() && !Arrays.stream(arguments).allMatch(a -> a == null || a instanceof Serializable)) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Object result = remote(method, arguments);
        if (result instanceof ReflectiveObject.IteratorSnapshot snapshot) {
            return snapshot.remaining().iterator();
        }
        return result;
    }

    private Object remote(Method method, Object[] arguments) {
        String[] parameterTypes = Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new);
        return handle.call("invoke", method.getName(), parameterTypes, arguments);
    }
}
