package io.github.multiprocessing4j.internal.hub;

import io.github.multiprocessing4j.internal.codec.Codec;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The client side of a manager proxy: turns each interface call into a call on the hosted
 * {@link ReflectiveObject}. Serializable, so the proxy can be sent to other processes.
 *
 * <p>Default methods whose arguments cannot be sent (a {@code forEach} with a lambda) run here, on top of
 * the remote abstract methods they call; with sendable arguments they run remotely, where they are atomic.
 * Streams and spliterators are always made here, over snapshots. {@code removeIf}, {@code replaceAll} and
 * {@code sort} with a function that cannot be sent are refused, since here they would change only a
 * snapshot.
 */
public final class RemoteInvoker implements InvocationHandler, Serializable {
    /** Default methods that build local objects (a stream) from the remote ones: they always run here. */
    private static final Set<String> RUN_HERE = Set.of("stream", "parallelStream", "spliterator");
    /**
     * Default methods that change the object through an iterator or a view; here those are snapshots, so
     * run locally they would change nothing. They must run in the manager, with a serializable function.
     */
    private static final Set<String> CHANGE_THROUGH_VIEWS = Set.of("removeIf", "replaceAll", "sort");

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
                        && other.handle.objectId().equals(handle.objectId()) && other.handle.address().equals(handle.address());
                case "hashCode" -> handle.objectId().hashCode();
                default -> "shared " + typeName + " " + remote(method, arguments);
            };
        }
        if (method.isDefault() && RUN_HERE.contains(method.getName())) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (method.isDefault() && !Arrays.stream(arguments).allMatch(a -> a == null || a instanceof Serializable)) {
            if (CHANGE_THROUGH_VIEWS.contains(method.getName())) {
                throw new IllegalArgumentException(method.getName() + " on a shared " + typeName + " needs a serializable "
                        + "function, to run in the manager: cast the lambda or method reference to an intersection "
                        + "with Serializable, e.g. (Predicate<T> & Serializable) x -> ...");
            }
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (method.getName().equals("listIterator")) {
            // A snapshot of the whole list, positioned here: the remote iterator's position does not travel.
            Method whole = method.getDeclaringClass().getMethod("listIterator");
            List<Object> all = ((ReflectiveObject.IteratorSnapshot) remote(whole, new Object[0])).remaining();
            return new ArrayList<>(all).listIterator(arguments.length == 0 ? 0 : (Integer) arguments[0]);
        }
        Object result = remote(method, arguments);
        if (result instanceof ReflectiveObject.IteratorSnapshot snapshot) {
            return snapshot.remaining().iterator();
        }
        return result;
    }

    /**
     * Calls the hosted object. Arguments and result are copies, as they are between processes: a call
     * from the hosting JVM itself, which skips the wire, copies them here (Python's manager copies too).
     */
    private Object remote(Method method, Object[] arguments) {
        String[] parameterTypes = Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new);
        boolean local = HubClients.of(handle.address(), handle.key()).isLocal();
        Object[] sent = local && arguments.length > 0
                ? (Object[]) Codec.decode(Codec.encode(arguments, "arguments of " + typeName + "." + method.getName()))
                : arguments;
        Object result = handle.call(new ProxyRequest.Invoke(method.getName(), parameterTypes, sent));
        return local && result != null
                ? Codec.decode(Codec.encode(result, "result of " + typeName + "." + method.getName()))
                : result;
    }
}
