package io.github.multiprocessing4j.internal.codec;

import io.github.multiprocessing4j.RemoteException;
import io.github.multiprocessing4j.RemoteOrigin;
import io.github.multiprocessing4j.SerializationException;
import java.io.Serializable;

/**
 * Carries an exception from the process that raised it to the one that reads it.
 *
 * <p>The exception travels twice in one envelope: serialized as itself (when it can be), and as a plain
 * description (class name, message, stack trace, and the same for its causes). The receiver re-creates the
 * original when it can, so an {@code AssertionError} stays an {@code AssertionError}; when it cannot (the
 * class is missing here, or a field was not serializable) it gets a {@link RemoteException} built from the
 * description. Either way a {@link RemoteOrigin} naming the process and pid is attached.
 */
public final class ThrowableTransport {
    private ThrowableTransport() {}

    private record Envelope(byte[] original, Description description, String processName, long pid)
            implements Serializable {}

    private record Description(String className, String message, StackTraceElement[] trace, Description cause)
            implements Serializable {
        static Description of(Throwable t, int depth) {
            Description cause = t.getCause() == null || t.getCause() == t || depth > 50
                    ? null : of(t.getCause(), depth + 1);
            return new Description(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause);
        }

        RemoteException toRemoteException(String processName, long pid) {
            RemoteException causeException = cause == null ? null : cause.toRemoteException(processName, pid);
            return new RemoteException(className, message, trace, causeException);
        }
    }

    public static byte[] encode(Throwable exception, String processName, long pid) {
        byte[] original;
        try {
            original = Codec.encode(exception, "exception");
        } catch (SerializationException e) {
            original = null;
        }
        return Codec.encode(new Envelope(original, Description.of(exception, 0), processName, pid), "exception");
    }

    public static Throwable decode(byte[] bytes) {
        Envelope envelope = (Envelope) Codec.decode(bytes);
        Throwable exception = null;
        if (envelope.original() != null) {
            try {
                exception = (Throwable) Codec.decode(envelope.original());
            } catch (SerializationException | ClassCastException e) {
                exception = null;
            }
        }
        if (exception == null) {
            exception = envelope.description().toRemoteException(envelope.processName(), envelope.pid());
        }
        exception.addSuppressed(new RemoteOrigin(envelope.processName(), envelope.pid()));
        return exception;
    }
}
