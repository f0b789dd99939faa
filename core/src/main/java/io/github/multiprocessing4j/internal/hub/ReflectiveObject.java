package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hosts a plain object behind one interface, for manager proxies: a call names an interface method by name
 * and parameter types, and runs on the object with its monitor held, so each call is atomic with respect
 * to other processes. Only methods of that interface can be called.
 *
 * <p>Results that cannot travel are turned into ones that can: an iterator into a snapshot of what it has
 * left, and collection views (a {@code keySet()}, an {@code entrySet()}, a {@code subList}) into copies.
 */
public final class ReflectiveObject implements HubObject {
    private final Object target;
    private final Class<?> type;

    public ReflectiveObject(Object target, Class<?> type) {
        if (!type.isInterface() || !type.isInstance(target)) {
            throw new IllegalArgumentException(target.getClass().getName() + " must implement the interface "
                    + type.getName() + " to be shared through it");
        }
        this.target = target;
        this.type = type;
    }

    /** What an iterator becomes on its way to another process. */
    public record IteratorSnapshot(List<Object> remaining) implements Serializable {}

    /**
     * Calls the interface method named {@code name} with parameter types {@code parameterTypes} (class
     * names) on the target, holding its monitor; returns the result made portable.
     *
     * @throws IllegalArgumentException if the interface has no such method
     * @throws Exception what the method threw
     */
    public Object invoke(String name, String[] parameterTypes, Object[] arguments) throws Exception {
        if (name.equals("toString") && parameterTypes.length == 0) {
            synchronized (target) {
                return target.toString();
            }
        }
        Method resolved = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name)
                        && Arrays.equals(Arrays.stream(m.getParameterTypes()).map(Class::getName).toArray(), parameterTypes))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(type.getName() + " has no method " + name
                        + Arrays.toString(parameterTypes)));
        Object result;
        synchronized (target) {
            try {
                result = resolved.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
            }
            return portable(result);
        }
    }

    private static Object portable(Object result) {
        if (result instanceof Iterator<?> iterator) {
            List<Object> remaining = new ArrayList<>();
            iterator.forEachRemaining(remaining::add);
            return new IteratorSnapshot(remaining);
        }
        if (result instanceof Map.Entry<?, ?> entry && !(result instanceof Serializable)) {
            return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue());
        }
        if (result instanceof Serializable) {
            return result;
        }
        if (result instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(element -> copy.add(portable(element)));
            return copy;
        }
        if (result instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>();
            collection.forEach(element -> copy.add(portable(element)));
            return copy;
        }
        if (result instanceof Map<?, ?> map) {
            return new LinkedHashMap<>(map);
        }
        return result;
    }
}
