package io.github.multiprocessing4j;

/**
 * Stands in for an exception raised in another process whose class could not be re-created here (it is
 * missing from this JVM's class path, or it could not be serialized). It carries the original class name,
 * message and stack trace; its cause stands in for the original cause the same way.
 */
public final class RemoteException extends MultiprocessingException {
    private final String remoteClassName;

    public RemoteException(String remoteClassName, String remoteMessage, StackTraceElement[] remoteTrace,
            Throwable cause) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(remoteTrace);
    }

    /** The fully qualified name of the exception's class in the process that raised it. */
    public String remoteClassName() {
        return remoteClassName;
    }
}
