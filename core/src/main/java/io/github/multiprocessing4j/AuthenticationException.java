package io.github.multiprocessing4j;

/**
 * The other end of a connection did not prove that it knows the authentication key: Python's
 * {@code multiprocessing.AuthenticationError}. Thrown by {@link Client#connect} when the listener refused
 * this key or could not prove the key itself; nothing the other end sent was deserialized.
 *
 * <h2>Comparison with Python</h2>
 * Python raises {@code AuthenticationError} on both sides; here only the client learns of it, since a
 * {@link Listener} drops a client that fails and goes on accepting.
 */
public class AuthenticationException extends MultiprocessingException {
    /**
     * Makes one with a message and a cause.
     *
     * @param message what failed in the handshake
     * @param cause the failure that led to it, or null
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
