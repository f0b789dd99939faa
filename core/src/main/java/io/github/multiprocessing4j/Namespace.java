package io.github.multiprocessing4j;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * Named values shared through a {@link Manager}: Python's {@code Namespace}, whose attributes become
 * {@link #get}/{@link #set} here since Java objects have no dynamic attributes.
 *
 * <h2>Comparison with Python</h2>
 * Python's {@code ns.x = 1} and {@code ns.x} are {@code set("x", 1)} and {@code get("x")}; a missing name is
 * an empty {@link Optional}, where Python raises {@code AttributeError}. {@code hasattr} and {@code delattr}
 * are {@link #has} and {@link #remove}.
 */
public final class Namespace implements Serializable {
    private final Map<String, Object> values;

    Namespace(Map<String, Object> values) {
        this.values = values;
    }

    public void set(String name, Object value) {
        values.put(name, value);
    }

    /** The value of {@code name}, cast to what the caller expects. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(String name) {
        return Optional.ofNullable((T) values.get(name));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public void remove(String name) {
        values.remove(name);
    }

    @Override
    public String toString() {
        return "Namespace" + values;
    }
}
