package io.github.multiprocessing4j;

/**
 * The root of the library's failures: something went wrong in or with another process. Misuse of the API
 * (a null argument, a call in the wrong state) is reported with the JDK's own exceptions instead.
 *
 * <h2>Comparison with Python</h2>
 * Python's counterpart is {@code multiprocessing.ProcessError}, the base of {@code BufferTooShort},
 * {@code AuthenticationError} and {@code TimeoutError}. This one is unchecked, and a timeout is the JDK's
 * {@link java.util.concurrent.TimeoutException}. Where Python raises {@code ValueError} or
 * {@code AssertionError} for misuse (a pool not running, a process started twice), this library throws the
 * JDK's {@link IllegalArgumentException} or {@link IllegalStateException}.
 */
public class MultiprocessingException extends RuntimeException {
    /**
     * Makes one with a message.
     *
     * @param message what went wrong, and what to do about it when that is known
     */
    public MultiprocessingException(String message) {
        super(message);
    }

    /**
     * Makes one with a message and a cause.
     *
     * @param message what went wrong, and what to do about it when that is known
     * @param cause the failure that led to it, or null
     */
    public MultiprocessingException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Makes one that may skip filling in its stack trace, for exceptions that only carry information.
     *
     * @param message what went wrong
     * @param cause the failure that led to it, or null
     * @param writableStackTrace false to leave the stack trace empty
     */
    protected MultiprocessingException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
