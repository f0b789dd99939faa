package io.github.multiprocessing4j.internal.hub;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A manager's published objects by name: what a remote client finds with {@code lookup}. It is the root of
 * the manager's TCP entrance ({@link HubFrame.RootCall}), so a client that knows only the address and key
 * can start there.
 */
public final class Registry implements HubObject {
    private final Map<String, Object> published = new ConcurrentHashMap<>();

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
