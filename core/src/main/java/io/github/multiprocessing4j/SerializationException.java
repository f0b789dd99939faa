package io.github.multiprocessing4j;

/**
 * A value could not be sent to or from another process: it (or something it refers to) is not
 * {@link java.io.Serializable}, or its bytes could not be turned back into an object. The message names the
 * offending class and the path to it from the value that was sent, for example
 * {@code target captured field 'conn' of type java.sql.Connection, which is not Serializable}.
 *
 * <h2>Comparison with Python</h2>
 * Python raises {@code pickle.PicklingError}, {@code TypeError} ("cannot pickle '_thread.lock' object") or
 * {@code AttributeError} ("Can't pickle local object") when sending, and {@code MaybeEncodingError} when a
 * {@code Pool} worker cannot send its result back. This single exception covers both directions, and its
 * message gives the path to the offending object, which pickle's does not.
 */
public class SerializationException extends MultiprocessingException {
    /**
     * Makes one with a message.
     *
     * @param message what could not be sent or decoded, with the path to the offending object when known
     */
    public SerializationException(String message) {
        super(message);
    }

    /**
     * Makes one with a message and a cause.
     *
     * @param message what could not be sent or decoded, with the path to the offending object when known
     * @param cause the serialization failure, such as a {@link java.io.NotSerializableException}
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
