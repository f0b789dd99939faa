package io.github.multiprocessing4j;

/**
 * Stands in for an exception raised in another process whose class could not be re-created here (it is
 * missing from this JVM's class path, or it could not be serialized). It carries the original class name,
 * message and stack trace; its cause stands in for the original cause the same way.
 *
 * <h2>Comparison with Python</h2>
 * Python has no stand-in class. An exception that cannot be pickled in the worker becomes
 * {@code multiprocessing.pool.MaybeEncodingError} in a {@code Pool}; one that cannot be unpickled in the
 * parent breaks a {@code ProcessPoolExecutor} ({@code BrokenProcessPool}: "A result has failed to
 * un-serialize"). Here the failure arrives, with its class name, message and stack trace, and the pool goes
 * on.
 */
public final class RemoteException extends MultiprocessingException {
    /** The fully qualified name of the original exception's class. */
    private final String remoteClassName;

    /**
     * Makes the stand-in; the library makes these when it decodes an exception from another process.
     *
     * @param remoteClassName the fully qualified name of the original exception's class
     * @param remoteMessage the original message, or null
     * @param remoteTrace the original stack trace
     * @param cause the stand-in for (or the re-created) original cause, or null
     */
    public RemoteException(String remoteClassName, String remoteMessage, StackTraceElement[] remoteTrace,
            Throwable cause) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(remoteTrace);
    }

    /**
     * The fully qualified name of the exception's class in the process that raised it.
     *
     * @return the class name, such as {@code com.example.MissingHereException}
     */
    public String remoteClassName() {
        return remoteClassName;
    }
}
