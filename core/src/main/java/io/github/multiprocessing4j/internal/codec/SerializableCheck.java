package io.github.multiprocessing4j.internal.codec;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds why a value cannot be serialized, as a sentence a user can act on.
 *
 * <p>JDK serialization only says {@code NotSerializableException: java.sql.Connection}; it does not say
 * how that object was reached. This walks the object graph the way serialization would (non-static,
 * non-transient fields of serializable classes, captured values of serializable lambdas, elements of
 * arrays and JDK collections) and reports the first object that is not {@link Serializable}, with the path
 * to it. It runs only after serialization has already failed, so its reflective cost is off the hot path.
 * Fields it is not allowed to read (inside JDK modules) are skipped.
 */
final class SerializableCheck {
    private static final String INTERNAL = "io.github.multiprocessing4j.internal.";

    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> path = new ArrayList<>();

    private SerializableCheck() {}

    /**
     * The sentence for {@code value}, or empty if no non-serializable object was found. The library's own
     * job records are transparent: their components are named as the user knows them ({@code target},
     * {@code argument}, …) rather than as fields of a wrapper the user never wrote.
     */
    static Optional<String> describe(Object value, String what) {
        if (value != null && value.getClass().isRecord() && value.getClass().getName().startsWith(INTERNAL)) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                Optional<String> problem;
                try {
                    problem = describe(component.getAccessor().invoke(value), component.getName());
                } catch (ReflectiveOperationException e) {
                    continue;
                }
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        SerializableCheck check = new SerializableCheck();
        return Optional.ofNullable(check.find(value)).map(offender -> check.sentence(what, offender));
    }

    private String sentence(String what, Object offender) {
        StringBuilder text = new StringBuilder(what);
        boolean capturedThis = false;
        for (String step : path) {
            text.append(text.length() == what.length() ? " " : " → ").append(step);
            capturedThis |= step.startsWith("captured 'this'");
        }
        text.append(path.isEmpty() ? " is of type " : " of type ").append(offender.getClass().getName())
                .append(", which is not Serializable. ");
        if (capturedThis) {
            text.append("Lambdas and anonymous classes that use instance fields or methods capture 'this': "
                    + "use a static method, or copy the values you need into local variables first.");
        } else {
            text.append("Pass a Serializable value instead, mark the field transient, "
                    + "or create the object inside the child process.");
        }
        return text.toString();
    }

    /** Depth-first search; on success {@link #path} holds the steps from the root to the returned offender. */
    private Object find(Object value) {
        if (value == null || isLeaf(value.getClass()) || !visited.add(value)) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return null;
            }
            Object[] array = (Object[]) value;
            for (int i = 0; i < array.length; i++) {
                Object found = step("element [" + i + "]", array[i]);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (!(value instanceof Serializable)) {
            return value;
        }
        SerializedLambda lambda = serializedLambda(value);
        if (lambda != null) {
            String capturingClass = lambda.getCapturingClass().replace('/', '.');
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object captured = lambda.getCapturedArg(i);
                boolean isThis = captured != null && captured.getClass().getName().equals(capturingClass);
                Object found = step(isThis ? "captured 'this'" : "captured value #" + i, captured);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (type.getName().startsWith("java.")) {
            return findInJdkContainer(value);
        }
        for (Class<?> c = type; c != null && Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (RuntimeException | IllegalAccessException e) {
                    continue;
                }
                String name = field.getName().equals("this$0") ? "captured 'this'" : "field '" + field.getName() + "'";
                Object found = step(name, fieldValue);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Object findInJdkContainer(Object value) {
        if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                Object found = step("contains an element", element);
                if (found != null) {
                    return found;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object found = step("a key", entry.getKey());
                if (found == null) {
                    found = step("the value for key '" + entry.getKey() + "'", entry.getValue());
                }
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Object step(String description, Object next) {
        if (next == null) {
            return null;
        }
        int index = path.size();
        path.add(description);
        Object found = find(next);
        if (found == null) {
            path.remove(index);
        } else if (found != next) {
            path.set(index, description + " (" + next.getClass().getName() + ")");
        }
        return found;
    }

    private static boolean isLeaf(Class<?> type) {
        return type == String.class || type == Class.class || type.isEnum() || type.isPrimitive()
                || Number.class.isAssignableFrom(type) && type.getName().startsWith("java.")
                || type == Boolean.class || type == Character.class;
    }

    private static SerializedLambda serializedLambda(Object value) {
        if (!value.getClass().isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = value.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replacement = writeReplace.invoke(value);
            return replacement instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
