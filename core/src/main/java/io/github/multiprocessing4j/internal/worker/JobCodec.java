package io.github.multiprocessing4j.internal.worker;

import io.github.multiprocessing4j.SerializableRunnable;
import io.github.multiprocessing4j.SerializationException;
import io.github.multiprocessing4j.internal.codec.Codec;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How a job travels to a child. Most jobs are one {@link Codec} value (a serialized record holding the
 * user's function and arguments). A {@code Process} target that is a static method taking no arguments and
 * capturing nothing ({@code new Process(Example::getId)}, or a lambda that captures nothing) travels as the
 * names of its class and method instead: the child then runs it by reflection, without the JDK
 * serialization and lambda deserialization whose first use costs a fresh JVM tens of milliseconds.
 *
 * <pre>
 * +----------+-------------------------------------------------------------+
 * | 'M' (u8) | class name length (u16) | class name | method name (UTF-8)  |
 * | 'F' (u8) | a pool job whose function travels apart: see FunctionJobs   |
 * | other    | the job as one Codec value, whose own tag is never M or F   |
 * +----------+-------------------------------------------------------------+
 * </pre>
 *
 * A Codec value is passed as it is, without a prefix of its own, so a task's payload (a map chunk's items
 * among them) is not copied again on either side.
 */
public final class JobCodec {
    private static final byte STATIC_METHOD = 'M';

    private JobCodec() {}

    /**
     * Encodes {@code job} for a child.
     *
     * @throws SerializationException if it cannot be serialized, naming {@code what} and the path to the culprit
     */
    public static byte[] encode(Job job, String what) {
        if (job instanceof ProcessJobs.RunTarget run) {
            Optional<StaticMethod> byName = StaticMethod.of(run.target());
            if (byName.isPresent()) {
                byte[] className = byName.get().className().getBytes(StandardCharsets.UTF_8);
                byte[] methodName = byName.get().methodName().getBytes(StandardCharsets.UTF_8);
                if (className.length <= 0xffff) {
                    return ByteBuffer.allocate(3 + className.length + methodName.length).put(STATIC_METHOD)
                            .putShort((short) className.length).put(className).put(methodName).array();
                }
            }
        }
        return Codec.encode(job, what);
    }

    /**
     * Decodes a job sent by {@link #encode}.
     *
     * @throws SerializationException if the payload is malformed or names classes this JVM cannot load
     */
    public static Job decode(byte[] payload) {
        return decode(payload, new FunctionCache<>());
    }

    /**
     * Decodes a job sent by {@link #encode} or {@link FunctionJobs#payload}; the functions of the latter are
     * taken from and kept in {@code functions}.
     *
     * @throws SerializationException if the payload is malformed or names classes this JVM cannot load
     */
    public static Job decode(byte[] payload, FunctionCache<Object> functions) {
        if (payload.length == 0) {
            throw new SerializationException("an empty job payload");
        }
        if (payload[0] == FunctionJobs.FORM) {
            return FunctionJobs.decode(payload, functions);
        }
        if (payload[0] != STATIC_METHOD) {
            if (!(Codec.decode(payload) instanceof Job job)) {
                throw new SerializationException("a job payload decoded to something that is not a job");
            }
            return job;
        }
        if (payload.length < 3) {
            throw new SerializationException("a static-method job payload is too short: " + payload.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        int classNameLength = Short.toUnsignedInt(in.getShort());
        if (classNameLength > in.remaining()) {
            throw new SerializationException("a static-method job names a class of " + classNameLength
                    + " bytes but only " + in.remaining() + " follow");
        }
        String className = new String(payload, 3, classNameLength, StandardCharsets.UTF_8);
        String methodName = new String(payload, 3 + classNameLength, payload.length - 3 - classNameLength, StandardCharsets.UTF_8);
        return new StaticMethod(className, methodName);
    }

    /** A static method with no parameters, named, run by reflection. */
    record StaticMethod(String className, String methodName) implements Job {
        /**
         * The static method behind {@code target}, when it is a reference to one (or a lambda compiled to
         * one) with no parameters and no captured values, and reflection may call it; else empty.
         */
        static Optional<StaticMethod> of(SerializableRunnable target) {
            try {
                Method writeReplace = target.getClass().getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                if (!(writeReplace.invoke(target) instanceof SerializedLambda lambda)
                        || lambda.getCapturedArgCount() != 0
                        || lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic
                        || !lambda.getImplMethodSignature().startsWith("()")) {
                    return Optional.empty();
                }
                StaticMethod method = new StaticMethod(lambda.getImplClass().replace('/', '.'), lambda.getImplMethodName());
                Class<?> owner = Class.forName(method.className(), false, target.getClass().getClassLoader());
                owner.getDeclaredMethod(method.methodName()).setAccessible(true);
                return Optional.of(method);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Not a lambda, or one this code may not look into (a named module that does not open its
                // package): it travels serialized, as any other target.
                return Optional.empty();
            }
        }

        @Override
        public Object run() throws Throwable {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> owner;
            Method method;
            try {
                owner = Class.forName(className, true, loader != null ? loader : ClassLoader.getSystemClassLoader());
                method = owner.getDeclaredMethod(methodName);
                method.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new SerializationException("the target " + className + "::" + methodName
                        + " cannot be found in this child JVM (" + e + "): is the class on the child's class path?", e);
            }
            try {
                return method.invoke(null);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
