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
    /** The manager's map that holds the values by name. */
    private final Map<String, Object> values;

    Namespace(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Sets {@code name} to {@code value} in the manager, for every process (Python's {@code ns.name = value}).
     *
     * @param name the attribute's name
     * @param value its value; copied (serialized) to the manager; null is allowed
     */
    public void set(String name, Object value) {
        values.put(name, value);
    }

    /**
     * The value of {@code name}, cast to what the caller expects.
     *
     * @param <T> the type the caller expects; a wrong one fails with {@link ClassCastException} where the value is used
     * @param name the attribute's name
     * @return a copy of the value, or empty if {@code name} is not set or is set to null
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(String name) {
        return Optional.ofNullable((T) values.get(name));
    }

    /**
     * Whether {@code name} is set, possibly to null (Python's {@code hasattr(ns, name)}).
     *
     * @param name the attribute's name
     * @return true if it is set
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * Removes {@code name} (Python's {@code delattr(ns, name)}); nothing happens if it is not set.
     *
     * @param name the attribute's name
     */
    public void remove(String name) {
        values.remove(name);
    }

    @Override
    public String toString() {
        return "Namespace" + values;
    }
}
