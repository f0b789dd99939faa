package io.github.multiprocessing4j;

/**
 * The root of the library's failures: something went wrong in or with another process. Misuse of the API
 * (a null argument, a call in the wrong state) is reported with the JDK's own exceptions instead.
 */
public class MultiprocessingException extends RuntimeException {
    public MultiprocessingException(String message) {
        super(message);
    }

    public MultiprocessingException(String message, Throwable cause) {
        super(message, cause);
    }

    protected MultiprocessingException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
