package io.github.multiprocessing4j.internal.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A manager's published objects by name: what a remote client finds with {@code lookup}. */
public final class Registry implements HubObject {
    private final Map<String, Object> published = new ConcurrentHashMap<>();

    public void publish(String name, Object shared) {
        published.put(name, shared);
    }

    @Override
    public Object call(Caller caller, String method, Object[] args) {
        switch (method) {
            case "lookup": {
                Object shared = published.get((String) args[0]);
                if (shared == null) {
                    throw new java.util.NoSuchElementException("nothing is published under the name '" + args[0]
                            + "'; published: " + published.keySet());
                }
                return shared;
            }
            case "names":
                return new java.util.TreeSet<>(published.keySet());
            default:
                throw HubObject.noSuchMethod(this, method);
        }
    }
}
