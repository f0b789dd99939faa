package io.github.multiprocessing4j.internal.hub;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A manager's published objects by name: what a remote client finds with {@code lookup}. It is the root of
 * the manager's TCP entrance ({@link HubFrame.RootCall}), so a client that knows only the address and key
 * can start there.
 */
public final class Registry implements HubObject {
    private final Map<String, Object> published = new ConcurrentHashMap<>();
    /** Type ids and the factories that make a new shared object of that type and return its proxy. */
    private final Map<String, Supplier<Object>> types = new ConcurrentHashMap<>();

    /**
     * Defines {@code typeid}: {@link #create} calls {@code factory}, which makes and shares a new object.
     *
     * @throws IllegalStateException if {@code typeid} is already defined
     */
    public void define(String typeid, Supplier<Object> factory) {
        if (types.putIfAbsent(typeid, factory) != null) {
            throw new IllegalStateException("type id '" + typeid + "' is already registered with this manager");
        }
    }

    /** @throws NoSuchElementException if {@code typeid} was never defined */
    public Object create(String typeid) {
        Supplier<Object> factory = types.get(typeid);
        if (factory == null) {
            throw new NoSuchElementException("no type registered as '" + typeid + "'; registered: " + new TreeSet<>(types.keySet()));
        }
        return factory.get();
    }

    public void publish(String name, Object shared) {
        published.put(name, shared);
    }

    /** @throws NoSuchElementException if nothing is published under {@code name} */
    public Object lookup(String name) {
        Object shared = published.get(name);
        if (shared == null) {
            throw new NoSuchElementException("nothing is published under the name '" + name + "'; published: "
                    + published.keySet());
        }
        return shared;
    }

    public SortedSet<String> names() {
        return new TreeSet<>(published.keySet());
    }
}
