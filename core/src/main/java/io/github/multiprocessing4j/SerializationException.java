package io.github.multiprocessing4j;

/**
 * A value could not be sent to or from another process: it (or something it refers to) is not
 * {@link java.io.Serializable}, or its bytes could not be turned back into an object. The message names the
 * offending class and the path to it from the value that was sent, for example
 * {@code target captured field 'conn' of type java.sql.Connection, which is not Serializable}.
 */
public class SerializationException extends MultiprocessingException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
